//! Moderation: timed mutes and bans (their `until` rule, and how a
//! membership reads once one has ended) and the moderation log's entries.

use super::ids::ModerationEntryId;
use super::membership::{Action, Membership, MembershipState};
use super::{DomainError, DomainResult, GroupId, MessageId, Timestamp, UserId};
use serde::{Deserialize, Serialize};

/// The `mutedUntil` of a mute without an end.
pub fn indefinitely() -> Timestamp {
    chrono::DateTime::from_timestamp(253_402_300_799, 0).unwrap_or_default() // 9999-12-31T23:59:59Z
}

/// The longest a timed mute or ban runs.
pub const MAX_DAYS: i64 = 366;

/// Checks a mute's or ban's `until`: in the future, at most a year ahead.
pub fn check_until(until: Option<Timestamp>, now: Timestamp) -> DomainResult<()> {
    match until {
        Some(t) if t <= now => Err(DomainError::invalid("`until` must be in the future")),
        Some(t) if t > now + chrono::Duration::days(MAX_DAYS) => {
            Err(DomainError::invalid("`until` must be at most a year ahead"))
        }
        _ => Ok(()),
    }
}

impl Membership {
    /// The membership as it stands at `now`: a ban whose `until` has passed
    /// has ended (the user has LEFT since then and may apply again), and so
    /// has a mute. Every access rule reads memberships through this, so an
    /// ended ban or mute holds nowhere, with no job to lift it.
    pub fn at(&self, now: Timestamp) -> Membership {
        let mut current = self.clone();
        if let Some(until) = current.banned_until.filter(|t| *t <= now) {
            if current.state == MembershipState::Banned {
                current.state = MembershipState::Left;
                current.since = until;
            }
            current.banned_until = None;
        }
        if current.muted_until.is_some_and(|t| t <= now) {
            current.muted_until = None;
        }
        current
    }

    /// When the mute in force at `now` ends, if one is.
    pub fn muted_at(&self, now: Timestamp) -> Option<Timestamp> {
        self.muted_until.filter(|t| *t > now)
    }
}

/// The longest slow mode, in seconds.
pub const MAX_SLOW_MODE: u32 = 3_600;

/// Checks a slow mode setting: 0 (off) to [`MAX_SLOW_MODE`] seconds.
pub fn slow_mode(seconds: i64) -> DomainResult<u32> {
    u32::try_from(seconds)
        .ok()
        .filter(|s| *s <= MAX_SLOW_MODE)
        .ok_or_else(|| {
            DomainError::invalid(format!(
                "slowModeSeconds must be between 0 and {MAX_SLOW_MODE}"
            ))
        })
}

/// Whether slow mode of `slow_mode_seconds` holds `author` back: it is on,
/// and they are neither an owner, an admin nor a bot.
pub fn slow_mode_applies(slow_mode_seconds: u32, author: &Membership) -> bool {
    slow_mode_seconds > 0 && !author.is_admin() && !author.user_id.is_bot()
}

/// When slow mode next lets `author` post in a group of `slow_mode_seconds`
/// (none: now or whenever).
pub fn next_post_at(slow_mode_seconds: u32, author: &Membership) -> Option<Timestamp> {
    if !slow_mode_applies(slow_mode_seconds, author) {
        return None;
    }
    author
        .last_post_at
        .map(|t| t + chrono::Duration::seconds(i64::from(slow_mode_seconds)))
}

/// Checks slow mode for a post at `now`: `RATE_LIMITED` with the wait when
/// early.
pub fn check_slow_mode(
    slow_mode_seconds: u32,
    author: &Membership,
    now: Timestamp,
) -> DomainResult<()> {
    match next_post_at(slow_mode_seconds, author) {
        Some(next) if next > now => {
            let wait = (next - now).num_milliseconds().max(1);
            Err(DomainError::RateLimited {
                retry_after_ms: u64::try_from(wait).unwrap_or(1),
            })
        }
        _ => Ok(()),
    }
}

/// What the moderation log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ModerationAction {
    RoleChanged,
    Removed,
    Banned,
    Unbanned,
    Muted,
    Unmuted,
    MessageDeleted,
    ReportResolved,
    SlowModeChanged,
    BotCreated,
    BotRevoked,
    WebhookChanged,
    Pinned,
    Unpinned,
}

/// One entry of a group's moderation log: written in the transaction of
/// the action it records, never changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModerationEntry {
    pub id: ModerationEntryId,
    pub group_id: GroupId,
    pub actor_id: UserId,
    pub action: ModerationAction,
    pub target_user: Option<UserId>,
    pub target_message: Option<MessageId>,
    pub reason: Option<String>,
    pub until: Option<Timestamp>,
    pub at: Timestamp,
}

impl ModerationEntry {
    pub fn new(
        group_id: &GroupId,
        actor_id: &UserId,
        action: ModerationAction,
        at: Timestamp,
    ) -> Self {
        Self {
            id: ModerationEntryId::generate(),
            group_id: group_id.clone(),
            actor_id: actor_id.clone(),
            action,
            target_user: None,
            target_message: None,
            reason: None,
            until: None,
            at,
        }
    }

    /// The entry a membership action makes, if the log records it (joins,
    /// applications and leaving are not moderation).
    pub fn of_transition(
        action: &Action,
        actor: &UserId,
        target: &Membership,
        now: Timestamp,
    ) -> Option<Self> {
        let (kind, reason, until) = match action {
            Action::Remove => (ModerationAction::Removed, None, None),
            Action::Ban { until, reason } => (ModerationAction::Banned, reason.clone(), *until),
            Action::Mute { until, reason } => (ModerationAction::Muted, reason.clone(), *until),
            Action::Unmute => (ModerationAction::Unmuted, None, None),
            Action::Unban => (ModerationAction::Unbanned, None, None),
            Action::SetRole(_) | Action::TransferOwnership => {
                (ModerationAction::RoleChanged, None, None)
            }
            Action::Apply { .. }
            | Action::Withdraw
            | Action::Approve
            | Action::Reject { .. }
            | Action::Leave
            | Action::Erase => return None,
        };
        let mut entry = Self::new(&target.group_id, actor, kind, now);
        entry.target_user = Some(target.user_id.clone());
        entry.reason = reason;
        entry.until = until;
        Some(entry)
    }

    /// An entry of `action` on `message` (its author the target user).
    pub fn on_message(
        actor: &UserId,
        action: ModerationAction,
        message: (&GroupId, &MessageId, &UserId),
        at: Timestamp,
    ) -> Self {
        let (group, id, author) = message;
        let mut entry = Self::new(group, actor, action, at);
        entry.target_message = Some(id.clone());
        entry.target_user = Some(author.clone());
        entry
    }

    /// An entry of `action` on a user.
    pub fn on_user(
        group: &GroupId,
        actor: &UserId,
        action: ModerationAction,
        user: &UserId,
        at: Timestamp,
    ) -> Self {
        let mut entry = Self::new(group, actor, action, at);
        entry.target_user = Some(user.clone());
        entry
    }

    /// The key the log is ordered by: (time in µs, id).
    pub fn list_key(&self) -> (i64, String) {
        (self.at.timestamp_micros(), self.id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::membership;
    use crate::domain::membership::Role;

    #[test]
    fn a_ban_or_mute_ends_at_its_instant_and_not_before() {
        let until = crate::domain::now() + chrono::Duration::hours(1);
        let mut banned = membership("ann", MembershipState::Banned, Role::Member);
        banned.role = None;
        banned.banned_until = Some(until);
        let just_before = until - chrono::Duration::microseconds(1);
        assert_eq!(banned.at(just_before).state, MembershipState::Banned);
        let ended = banned.at(until);
        assert_eq!(
            (ended.state, ended.since, ended.banned_until),
            (MembershipState::Left, until, None)
        );
        let mut muted = membership("ann", MembershipState::Member, Role::Member);
        muted.muted_until = Some(until);
        assert_eq!(muted.muted_at(just_before), Some(until));
        assert_eq!(muted.muted_at(until), None);
        assert_eq!(muted.at(until).muted_until, None);
        muted.muted_until = Some(indefinitely());
        assert!(muted
            .at(until + chrono::Duration::days(3650))
            .muted_until
            .is_some());
    }

    #[test]
    fn until_is_in_the_future_and_within_a_year() {
        let now = crate::domain::now();
        assert!(check_until(None, now).is_ok());
        assert!(check_until(Some(now + chrono::Duration::minutes(1)), now).is_ok());
        assert!(check_until(Some(now), now).is_err());
        assert!(check_until(Some(now + chrono::Duration::days(400)), now).is_err());
    }
}
