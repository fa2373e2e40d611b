//! Memberships: states, roles, the operations on them (`Action`), and
//! what one membership says of its user. Which transitions are allowed is
//! `domain::transition`; who may do what is `domain::access`.

use super::{GroupId, Timestamp, UserId};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MembershipState {
    Applied,
    Member,
    Rejected,
    Left,
    Banned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    Owner,
    Admin,
    Member,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    pub group_id: GroupId,
    pub user_id: UserId,
    pub state: MembershipState,
    /// Set while `state` is MEMBER.
    pub role: Option<Role>,
    /// The applicant's note.
    pub note: Option<String>,
    /// Why an application was rejected, when an admin said.
    pub reason: Option<String>,
    /// When the current state began; lists order by it.
    pub since: Timestamp,
    pub updated_at: Timestamp,
    /// While MEMBER: muted (reads, cannot post, reply or react) until then
    /// (`domain::moderation::indefinitely()` for a mute without an end).
    #[serde(default)]
    pub muted_until: Option<Timestamp>,
    /// While BANNED: the ban ends then (none: it does not end).
    #[serde(default)]
    pub banned_until: Option<Timestamp>,
    /// When the member last posted or replied in the group (slow mode).
    #[serde(default)]
    pub last_post_at: Option<Timestamp>,
}

impl Membership {
    /// The creator's membership of a new group: a MEMBER with the OWNER role.
    pub fn founder(group_id: GroupId, owner: UserId, now: Timestamp) -> Self {
        Membership {
            group_id,
            user_id: owner,
            state: MembershipState::Member,
            role: Some(Role::Owner),
            note: None,
            reason: None,
            since: now,
            updated_at: now,
            muted_until: None,
            banned_until: None,
            last_post_at: None,
        }
    }

    pub fn is_member(&self) -> bool {
        self.state == MembershipState::Member
    }

    /// Owners and admins manage the group.
    pub fn is_admin(&self) -> bool {
        self.is_member() && matches!(self.role, Some(Role::Owner | Role::Admin))
    }

    pub fn is_owner(&self) -> bool {
        self.is_member() && self.role == Some(Role::Owner)
    }

    /// The key member and application lists are ordered by.
    pub fn list_key(&self) -> (i64, UserId) {
        (self.since.timestamp_micros(), self.user_id.clone())
    }

    pub(super) fn moved(&self, state: MembershipState, role: Option<Role>, now: Timestamp) -> Self {
        Self {
            state,
            role,
            since: now,
            updated_at: now,
            muted_until: None,
            banned_until: None,
            ..self.clone()
        }
    }
}

/// Membership operations. `actor` and `target` are the same user for the
/// self-service ones (apply, withdraw, leave).
#[derive(Clone, PartialEq)]
pub enum Action {
    Apply {
        note: Option<String>,
    },
    Withdraw,
    Approve,
    Reject {
        reason: Option<String>,
    },
    Leave,
    Remove,
    /// Until then (none: for good); the reason goes to the moderation log.
    Ban {
        until: Option<Timestamp>,
        reason: Option<String>,
    },
    /// A member reads but cannot post, reply or react until then (none:
    /// until unmuted).
    Mute {
        until: Option<Timestamp>,
        reason: Option<String>,
    },
    Unmute,
    /// Lifts a ban before its end: the user may apply again.
    Unban,
    SetRole(Role),
    TransferOwnership,
    /// The member's account is deleted: they leave (an owner too, once no
    /// other member is left), an application is withdrawn, and their note
    /// goes; a ban stays.
    Erase,
}

/// Shown without the applicant's note and the rejection reason, so that
/// no span or log line that records an action carries personal text.
impl fmt::Debug for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let private = |text: &Option<String>| if text.is_some() { "<private>" } else { "None" };
        match self {
            Self::Apply { note } => write!(f, "Apply {{ note: {} }}", private(note)),
            Self::Reject { reason } => write!(f, "Reject {{ reason: {} }}", private(reason)),
            Self::Withdraw => f.write_str("Withdraw"),
            Self::Approve => f.write_str("Approve"),
            Self::Leave => f.write_str("Leave"),
            Self::Remove => f.write_str("Remove"),
            Self::Ban { until, reason } => {
                write!(f, "Ban {{ until: {until:?}, reason: {} }}", private(reason))
            }
            Self::Mute { until, reason } => {
                write!(
                    f,
                    "Mute {{ until: {until:?}, reason: {} }}",
                    private(reason)
                )
            }
            Self::Unmute => f.write_str("Unmute"),
            Self::Unban => f.write_str("Unban"),
            Self::SetRole(role) => write!(f, "SetRole({role:?})"),
            Self::TransferOwnership => f.write_str("TransferOwnership"),
            Self::Erase => f.write_str("Erase"),
        }
    }
}
