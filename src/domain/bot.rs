//! Bots: users of their own that integrations act as, each a MEMBER of
//! exactly one group and confined to it, holding an API key of which only a
//! digest is kept.

use super::ids::{BotId, HookId};
use super::membership::{Membership, MembershipState, Role};
use super::{DomainError, DomainResult, GroupId, Timestamp, UserId};
use serde::{Deserialize, Serialize};

/// `lastUsedAt` is written at most this often.
pub const LAST_USED_EVERY_SECS: i64 = 60;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bot {
    pub id: BotId,
    pub user_id: UserId,
    pub group_id: GroupId,
    pub name: String,
    /// The first characters of its key, to recognise it in lists.
    pub key_prefix: String,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
    /// Why the bot is disabled (its creator lost the right to manage the
    /// group's integrations); `None` while enabled. A disabled bot's key
    /// does not sign in and its hook posts nothing until an owner or admin
    /// enables it again.
    pub disabled_reason: Option<String>,
    /// The incoming webhook that posts as this bot, if it was made for one
    /// (`createIncomingWebhook`); deleting the hook revokes the bot.
    pub hook_id: Option<HookId>,
}

/// What is kept of an API key: the prefix to show and the SHA-256 digest
/// (hex) it is looked up by. The key itself is never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyDigest {
    pub prefix: String,
    pub hash: String,
}

/// Live bots a group may hold, and live incoming webhooks (each kind).
pub const MAX_PER_GROUP: usize = 20;

/// A validated `createBot`.
#[derive(Debug, Clone)]
pub struct NewBot {
    pub id: BotId,
    pub group_id: GroupId,
    pub name: String,
    pub created_by: UserId,
    pub key: KeyDigest,
    pub now: Timestamp,
    /// For an incoming webhook's bot: the hook's id and the SHA-256 (hex)
    /// of the secret in its URL.
    pub hook: Option<(HookId, String)>,
}

/// What `rotateBotKey` and `revokeBot` do to a bot.
#[derive(Debug, Clone)]
pub enum BotChange {
    Rekey(KeyDigest),
    Revoke,
    /// Enables a bot disabled by [`fallout`].
    Enable,
}

impl NewBot {
    pub fn new(
        group_id: GroupId,
        name: &str,
        created_by: UserId,
        key: KeyDigest,
        now: Timestamp,
    ) -> DomainResult<Self> {
        Ok(Self {
            id: BotId::generate(),
            group_id,
            name: super::text::bot_name(name)?,
            created_by,
            key,
            now: super::truncated(now),
            hook: None,
        })
    }

    /// Judged on the creator's membership and the group's live bots of
    /// the same kind (bots, or incoming webhooks), as read where the bot is
    /// written.
    pub fn admit(&self, creator: Option<&Membership>, live_of_kind: usize) -> DomainResult<()> {
        may_manage(creator)?;
        if live_of_kind >= MAX_PER_GROUP {
            let kind = if self.hook.is_some() {
                "incoming webhooks"
            } else {
                "bots"
            };
            return Err(DomainError::conflict(format!(
                "a group has at most {MAX_PER_GROUP} {kind}: revoke or delete one first"
            )));
        }
        Ok(())
    }

    pub fn bot(&self) -> Bot {
        Bot {
            id: self.id.clone(),
            user_id: UserId::of_bot(&self.id),
            group_id: self.group_id.clone(),
            name: self.name.clone(),
            key_prefix: self.key.prefix.clone(),
            created_by: self.created_by.clone(),
            created_at: self.now,
            last_used_at: None,
            revoked_at: None,
            disabled_reason: None,
            hook_id: self.hook.as_ref().map(|(id, _)| id.clone()),
        }
    }

    /// What creating the bot announces: its joining the group.
    pub fn events(&self) -> Vec<super::event::DomainEvent> {
        vec![super::event::DomainEvent::membership(
            self.membership(),
            self.now,
        )]
    }

    /// The bot's membership: an ordinary MEMBER of its group.
    pub fn membership(&self) -> Membership {
        Membership {
            group_id: self.group_id.clone(),
            user_id: UserId::of_bot(&self.id),
            state: MembershipState::Member,
            role: Some(Role::Member),
            note: None,
            reason: None,
            since: self.now,
            updated_at: self.now,
        }
    }
}

/// Owners and admins of a group manage its bots and webhooks.
pub fn may_manage(actor: Option<&Membership>) -> DomainResult<()> {
    if actor.is_some_and(Membership::is_admin) {
        Ok(())
    } else {
        Err(DomainError::forbidden(
            "only the group's owner and admins manage its integrations",
        ))
    }
}

/// A bot is confined to its group: any group-scoped access without an
/// active membership is refused (for a person, public groups stay
/// readable).
pub fn confine(viewer: &UserId, membership: Option<&Membership>) -> DomainResult<()> {
    if viewer.is_bot() && !membership.is_some_and(Membership::is_member) {
        return Err(DomainError::forbidden("a bot acts only in its own group"));
    }
    Ok(())
}

/// What only people do (create or find groups, apply, register devices,
/// manage integrations): refused to bots.
pub fn people_only(viewer: &UserId) -> DomainResult<()> {
    if viewer.is_bot() {
        return Err(DomainError::forbidden("a bot acts only in its own group"));
    }
    Ok(())
}

/// Memberships of bots are made by `createBot` and ended by `revokeBot`
/// (or an admin removing or banning the bot); bots change none.
pub fn may_transition(
    actor: &UserId,
    target: &UserId,
    action: &super::membership::Action,
) -> DomainResult<()> {
    use super::membership::Action;
    people_only(actor)?;
    if target.is_bot() && !matches!(action, Action::Remove | Action::Ban) {
        return Err(DomainError::forbidden(
            "a bot is only removed or banned; revoke it to retire it",
        ));
    }
    Ok(())
}

/// What a membership change does to the group's integrations, decided on
/// the target's membership before and after it (`Store::transition`
/// applies it in the same transaction).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fallout {
    /// The user lost the right to manage integrations (removed, banned,
    /// left or demoted): the bots, incoming hooks and outgoing webhooks
    /// they created in the group are disabled, for this reason.
    DisableCreatedBy(UserId, &'static str),
    /// A bot's own membership ended (removed or banned): the bot is
    /// revoked, so its key no longer signs in.
    RevokeBotOf(UserId),
}

/// The fallout of a membership going from `before` to `after`, if any.
pub fn fallout(before: Option<&Membership>, after: &Membership) -> Option<Fallout> {
    let user = &after.user_id;
    if user.is_bot() {
        let ended = before.is_some_and(Membership::is_member) && !after.is_member();
        return ended.then(|| Fallout::RevokeBotOf(user.clone()));
    }
    if !before.is_some_and(Membership::is_admin) || after.is_admin() {
        return None;
    }
    let reason = match after.state {
        MembershipState::Banned => "its creator was banned from the group",
        MembershipState::Member => "its creator is no longer an admin of the group",
        _ => "its creator is no longer in the group",
    };
    Some(Fallout::DisableCreatedBy(user.clone(), reason))
}

/// What a change writes: the bot as it becomes, and for a revoke its
/// membership ended (LEFT) when it was still a member.
#[derive(Debug, Clone, PartialEq)]
pub struct BotDecision {
    pub bot: Bot,
    pub key: Option<KeyDigest>,
    pub left: Option<Membership>,
}

impl BotDecision {
    /// What the change announces: the bot's leaving, if it left.
    pub fn events(&self, now: Timestamp) -> Vec<super::event::DomainEvent> {
        let left = self.left.iter().cloned();
        left.map(|m| super::event::DomainEvent::membership(m, now))
            .collect()
    }
}

impl Bot {
    /// Judges `change` by `actor` on the bot and its membership, as read
    /// together. Revoking twice changes nothing; a revoked bot gets no key.
    pub fn decide(
        &self,
        change: &BotChange,
        actor: Option<&Membership>,
        membership: Option<&Membership>,
        now: Timestamp,
    ) -> DomainResult<BotDecision> {
        may_manage(actor)?;
        match (change, self.revoked_at) {
            (BotChange::Rekey(_), Some(_)) => {
                Err(DomainError::conflict("a revoked bot gets no new key"))
            }
            (BotChange::Enable, Some(_)) => {
                Err(DomainError::conflict("a revoked bot cannot be enabled"))
            }
            (BotChange::Enable, None) => Ok(BotDecision {
                bot: Bot {
                    disabled_reason: None,
                    ..self.clone()
                },
                key: None,
                left: None,
            }),
            (BotChange::Revoke, Some(_)) => Ok(BotDecision {
                bot: self.clone(),
                key: None,
                left: None,
            }),
            (BotChange::Rekey(key), None) => Ok(BotDecision {
                bot: Bot {
                    key_prefix: key.prefix.clone(),
                    ..self.clone()
                },
                key: Some(key.clone()),
                left: None,
            }),
            (BotChange::Revoke, None) => Ok(BotDecision {
                bot: Bot {
                    revoked_at: Some(now),
                    ..self.clone()
                },
                key: None,
                left: membership.filter(|m| m.is_member()).map(|m| Membership {
                    state: MembershipState::Left,
                    role: None,
                    since: now,
                    updated_at: now,
                    ..m.clone()
                }),
            }),
        }
    }

    /// Whether a use at `now` should be recorded as `lastUsedAt`.
    pub fn due_for_use_mark(&self, now: Timestamp) -> bool {
        self.last_used_at
            .is_none_or(|at| (now - at).num_seconds() >= LAST_USED_EVERY_SECS)
    }
}
