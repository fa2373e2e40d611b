//! Bots: users of their own that integrations act as, each a MEMBER of
//! exactly one group and confined to it, holding an API key of which only a
//! digest is kept.

use super::access::may_manage;
use super::ids::{BotId, HookId};
use super::membership::{Membership, MembershipState, Role};
use super::moderation::{ModerationAction, ModerationEntry};
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
    /// The moderation log's entry of the new bot.
    pub fn log_entry(&self) -> ModerationEntry {
        let bot = UserId::of_bot(&self.id);
        ModerationEntry::on_user(
            &self.group_id,
            &self.created_by,
            ModerationAction::BotCreated,
            &bot,
            self.now,
        )
    }

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

    /// Checked on the creator's membership and the group's live bots of
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
            muted_until: None,
            banned_until: None,
            last_post_at: None,
        }
    }
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
    /// The moderation log's entry when this decision revoked the bot (a
    /// repeat changes nothing and records nothing).
    pub fn log_entry(&self, actor: &UserId, now: Timestamp) -> Option<ModerationEntry> {
        let bot = &self.bot;
        (bot.revoked_at == Some(now)).then(|| {
            ModerationEntry::on_user(
                &bot.group_id,
                actor,
                ModerationAction::BotRevoked,
                &bot.user_id,
                now,
            )
        })
    }
}

impl Bot {
    /// Checks `change` by `actor` on the bot and its membership, as read
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
