//! The membership state machine (Matrix's knock/join/leave/ban, with
//! roles).
//!
//! `decide` is the only place transitions are checked. Stores call it
//! inside the transaction (or lock) that read the current memberships, so
//! a decision is always made on the state it changes: of two concurrent
//! approve/reject calls, exactly one sees APPLIED.

use super::access;
use super::membership::{Action, Membership, MembershipState, Role};
use super::moderation::{self, ModerationEntry};
use super::{DomainError, GroupId, Timestamp, UserId};

/// What a transition writes: the target's new membership, the actor's (only
/// for an ownership transfer), the change of the group's member count and
/// the moderation log's entry, if the action is moderation.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub target: Membership,
    pub actor: Option<Membership>,
    pub member_delta: i64,
    pub log: Option<ModerationEntry>,
}

/// The memberships a decision is made on, as read inside one transaction.
pub struct Situation<'a> {
    pub group_id: &'a GroupId,
    pub actor_id: &'a UserId,
    pub target_id: &'a UserId,
    pub actor: Option<&'a Membership>,
    pub target: Option<&'a Membership>,
    pub now: Timestamp,
}

use MembershipState as S;

pub fn decide(s: &Situation<'_>, action: &Action) -> Result<Decision, DomainError> {
    // Memberships as they stand now: an ended ban or mute holds nowhere.
    let (actor, target) = (s.actor.map(|m| m.at(s.now)), s.target.map(|m| m.at(s.now)));
    let s = &Situation {
        actor: actor.as_ref(),
        target: target.as_ref(),
        ..*s
    };
    let mut decision = decide_now(s, action)?;
    decision.log = ModerationEntry::of_transition(action, s.actor_id, &decision.target, s.now);
    Ok(decision)
}

fn decide_now(s: &Situation<'_>, action: &Action) -> Result<Decision, DomainError> {
    access::may_transition(s.actor_id, s.target_id, action)?;
    let self_service = matches!(
        action,
        Action::Apply { .. } | Action::Withdraw | Action::Leave | Action::Erase
    );
    if self_service != (s.actor_id == s.target_id) {
        return Err(DomainError::invalid(if self_service {
            "this operation applies to yourself only"
        } else {
            "use leaveGroup or withdrawApplication for yourself"
        }));
    }
    if !self_service {
        authorize_manager(s, action)?;
    }
    let fresh = || Membership {
        group_id: s.group_id.clone(),
        user_id: s.target_id.clone(),
        state: S::Left,
        role: None,
        note: None,
        reason: None,
        since: s.now,
        updated_at: s.now,
        muted_until: None,
        banned_until: None,
        last_post_at: None,
    };
    let current = s.target.cloned().unwrap_or_else(fresh);
    let state = s.target.map(|m| m.state);
    let now = s.now;
    let ok = |target: Membership, delta| {
        Ok(Decision {
            target,
            actor: None,
            member_delta: delta,
            log: None,
        })
    };
    match action {
        Action::Apply { note } => match state {
            None | Some(S::Rejected | S::Left) => {
                let mut next = current.moved(S::Applied, None, now);
                next.note.clone_from(note);
                next.reason = None;
                ok(next, 0)
            }
            Some(S::Applied) => Err(DomainError::conflict(
                "you have already applied to this group",
            )),
            Some(S::Member) => Err(DomainError::conflict(
                "you are already a member of this group",
            )),
            Some(S::Banned) => Err(DomainError::forbidden("you are banned from this group")),
        },
        Action::Withdraw => match state {
            Some(S::Applied) => ok(current.moved(S::Left, None, now), 0),
            _ => Err(DomainError::conflict(
                "there is no pending application to withdraw",
            )),
        },
        Action::Approve | Action::Reject { .. } => match state {
            Some(S::Applied) if *action == Action::Approve => {
                ok(current.moved(S::Member, Some(Role::Member), now), 1)
            }
            Some(S::Applied) => {
                let mut next = current.moved(S::Rejected, None, now);
                if let Action::Reject { reason } = action {
                    next.reason.clone_from(reason);
                }
                ok(next, 0)
            }
            _ => Err(DomainError::conflict("the user has no pending application")),
        },
        Action::Erase => {
            let (mut next, delta) = match state {
                Some(S::Member) => (current.moved(S::Left, None, now), -1),
                Some(S::Applied) => (current.moved(S::Left, None, now), 0),
                _ => (current, 0),
            };
            next.note = None;
            ok(next, delta)
        }
        Action::Leave => match (state, current.role) {
            (Some(S::Member), Some(Role::Owner)) => Err(DomainError::conflict(
                "the owner cannot leave; transfer ownership first",
            )),
            (Some(S::Member), _) => ok(current.moved(S::Left, None, now), -1),
            _ => Err(DomainError::conflict("you are not a member of this group")),
        },
        Action::Remove => match state {
            Some(S::Member) => ok(current.moved(S::Left, None, now), -1),
            _ => Err(DomainError::conflict(
                "the user is not a member of this group",
            )),
        },
        Action::Ban { until, .. } => {
            moderation::check_until(*until, now)?;
            match state {
                Some(S::Banned) => Err(DomainError::conflict("the user is already banned")),
                _ => {
                    let delta = if state == Some(S::Member) { -1 } else { 0 };
                    let mut next = current.moved(S::Banned, None, now);
                    next.banned_until = *until;
                    ok(next, delta)
                }
            }
        }
        Action::Mute { until, .. } => {
            moderation::check_until(*until, now)?;
            match state {
                Some(S::Member) => {
                    let mut next = current.clone();
                    next.muted_until = Some(until.unwrap_or_else(moderation::indefinitely));
                    next.updated_at = now;
                    ok(next, 0)
                }
                _ => Err(DomainError::conflict(
                    "the user is not a member of this group",
                )),
            }
        }
        Action::Unban => match state {
            Some(S::Banned) => {
                let mut next = current.moved(S::Left, None, now);
                next.banned_until = None;
                ok(next, 0)
            }
            _ => Err(DomainError::conflict(
                "the user is not banned from this group",
            )),
        },
        Action::Unmute => match (state, current.muted_until) {
            (Some(S::Member), Some(_)) => {
                let mut next = current.clone();
                next.muted_until = None;
                next.updated_at = now;
                ok(next, 0)
            }
            _ => Err(DomainError::conflict("the user is not muted in this group")),
        },
        Action::SetRole(role) => match (state, role) {
            (_, Role::Owner) => Err(DomainError::invalid(
                "use transferOwnership to make someone the owner",
            )),
            (Some(S::Member), role) => {
                let mut next = current.clone();
                next.role = Some(*role);
                next.updated_at = now;
                ok(next, 0)
            }
            _ => Err(DomainError::conflict(
                "the user is not a member of this group",
            )),
        },
        Action::TransferOwnership => match (state, s.actor) {
            (Some(S::Member), Some(actor)) => {
                let mut next = current.clone();
                next.role = Some(Role::Owner);
                next.updated_at = now;
                let mut former = actor.clone();
                former.role = Some(Role::Admin);
                former.updated_at = now;
                Ok(Decision {
                    target: next,
                    actor: Some(former),
                    member_delta: 0,
                    log: None,
                })
            }
            _ => Err(DomainError::conflict(
                "the new owner must be a member of this group",
            )),
        },
    }
}

/// Who may act on whom: admins manage members; only the owner manages
/// admins, roles and ownership; nobody acts on the owner.
fn authorize_manager(s: &Situation<'_>, action: &Action) -> Result<(), DomainError> {
    let actor = s
        .actor
        .filter(|m| m.is_admin())
        .ok_or_else(|| DomainError::forbidden("only the group's owner and admins can do this"))?;
    let owner_only = matches!(action, Action::SetRole(_) | Action::TransferOwnership);
    if owner_only && !actor.is_owner() {
        return Err(DomainError::forbidden("only the group's owner can do this"));
    }
    match s.target.filter(|m| m.is_member()).and_then(|m| m.role) {
        Some(Role::Owner) => Err(DomainError::forbidden(
            "the owner cannot be the target of this",
        )),
        Some(Role::Admin) if !actor.is_owner() => {
            Err(DomainError::forbidden("only the owner can act on an admin"))
        }
        _ => Ok(()),
    }
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

#[cfg(test)]
#[path = "transition_tests.rs"]
mod tests;
