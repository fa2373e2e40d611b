//! Reports: a member flags a message to the group's owners and admins,
//! who resolve it (dismiss, delete the message, mute or ban its author).

use super::access::can_read_content;
use super::group::Visibility;
use super::ids::ReportId;
use super::membership::Membership;
use super::message::Message;
use super::moderation::{ModerationAction, ModerationEntry};
use super::{DomainError, DomainResult, GroupId, MessageId, Timestamp, UserId};
use serde::{Deserialize, Serialize};

/// The longest note a report carries, in characters.
pub const MAX_NOTE: usize = 500;
/// Reports one user makes an hour, at most.
pub const PER_HOUR: u32 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReportReason {
    Spam,
    Harassment,
    Inappropriate,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReportState {
    Open,
    Resolved,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReportAction {
    Dismiss,
    DeleteMessage,
    MuteAuthor,
    BanAuthor,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub id: ReportId,
    pub group_id: GroupId,
    pub message_id: MessageId,
    /// The reported message's author.
    pub author_id: UserId,
    pub reporter_id: UserId,
    pub reason: ReportReason,
    /// The reporter's words, for the group's owners and admins.
    pub note: Option<String>,
    pub state: ReportState,
    pub action: Option<ReportAction>,
    pub resolved_by: Option<UserId>,
    pub created_at: Timestamp,
    pub resolved_at: Option<Timestamp>,
}

/// Checks a note: at most [`MAX_NOTE`] characters after trimming; blank
/// is none.
pub fn note(raw: Option<&str>) -> DomainResult<Option<String>> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > MAX_NOTE {
        return Err(DomainError::invalid(format!(
            "a note is at most {MAX_NOTE} characters"
        )));
    }
    Ok(Some(text.to_owned()))
}

impl Report {
    /// A new open report of `message` by `reporter`, checked: the reporter
    /// can read the message and did not write it, and it is not deleted.
    pub fn open(
        message: &Message,
        visibility: Visibility,
        reporter: &UserId,
        membership: Option<&Membership>,
        reason: ReportReason,
        note: Option<String>,
        now: Timestamp,
    ) -> DomainResult<Self> {
        super::access::people_only(reporter)?;
        if !can_read_content(visibility, membership) {
            return Err(DomainError::forbidden(
                "you cannot read this message's group",
            ));
        }
        if &message.author_id == reporter {
            return Err(DomainError::invalid("you cannot report your own message"));
        }
        if message.is_deleted() {
            return Err(DomainError::conflict("the message is already deleted"));
        }
        Ok(Self {
            id: ReportId::generate(),
            group_id: message.group_id.clone(),
            message_id: message.id.clone(),
            author_id: message.author_id.clone(),
            reporter_id: reporter.clone(),
            reason,
            note,
            state: ReportState::Open,
            action: None,
            resolved_by: None,
            created_at: now,
            resolved_at: None,
        })
    }

    /// The report resolved by `resolver` (an owner or admin of its group)
    /// with `action`; an already resolved report is `CONFLICT`.
    pub fn resolved(
        &self,
        resolver: &UserId,
        membership: Option<&Membership>,
        action: ReportAction,
        now: Timestamp,
    ) -> DomainResult<Self> {
        may_handle(membership)?;
        if self.state == ReportState::Resolved {
            return Err(DomainError::conflict("the report is already resolved"));
        }
        Ok(Self {
            state: ReportState::Resolved,
            action: Some(action),
            resolved_by: Some(resolver.clone()),
            resolved_at: Some(now),
            ..self.clone()
        })
    }

    /// The moderation log's entry of the resolution, once resolved.
    pub fn log_entry(&self) -> Option<ModerationEntry> {
        let (resolver, at) = (self.resolved_by.as_ref()?, self.resolved_at?);
        let target = (&self.group_id, &self.message_id, &self.author_id);
        Some(ModerationEntry::on_message(
            resolver,
            ModerationAction::ReportResolved,
            target,
            at,
        ))
    }

    /// The key report lists are ordered by: (created in µs, id).
    pub fn list_key(&self) -> (i64, String) {
        (self.created_at.timestamp_micros(), self.id.to_string())
    }
}

/// Reports go to a group's owners and admins only.
pub fn may_handle(membership: Option<&Membership>) -> DomainResult<()> {
    if membership.is_some_and(Membership::is_admin) {
        Ok(())
    } else {
        Err(DomainError::forbidden(
            "only the group's owner and admins handle its reports",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{membership, top_level};
    use crate::domain::membership::{MembershipState, Role};

    #[test]
    fn members_report_others_messages_and_admins_resolve_once() {
        let message = top_level("ann");
        let bob = UserId::parse("bob").unwrap();
        let member = membership("bob", MembershipState::Member, Role::Member);
        let now = crate::domain::now();
        let open = |who: &UserId, m: Option<&Membership>| {
            Report::open(
                &message,
                Visibility::Private,
                who,
                m,
                ReportReason::Spam,
                None,
                now,
            )
        };
        let report = open(&bob, Some(&member)).unwrap();
        assert_eq!(report.state, ReportState::Open);
        let ann = UserId::parse("ann").unwrap();
        let own = membership("ann", MembershipState::Member, Role::Member);
        assert_eq!(open(&ann, Some(&own)).unwrap_err().code(), "BAD_USER_INPUT");
        assert_eq!(open(&bob, None).unwrap_err().code(), "FORBIDDEN");
        let admin = membership("cat", MembershipState::Member, Role::Admin);
        let cat = UserId::parse("cat").unwrap();
        let done = report
            .resolved(&cat, Some(&admin), ReportAction::Dismiss, now)
            .unwrap();
        assert_eq!(done.resolved_by, Some(cat.clone()));
        let again = done.resolved(&cat, Some(&admin), ReportAction::Dismiss, now);
        assert_eq!(again.unwrap_err().code(), "CONFLICT");
        let plain = report.resolved(&bob, Some(&member), ReportAction::Dismiss, now);
        assert_eq!(plain.unwrap_err().code(), "FORBIDDEN");
        assert_eq!(
            note(Some(&"x".repeat(501))).unwrap_err().code(),
            "BAD_USER_INPUT"
        );
        assert_eq!(note(Some("  ")).unwrap(), None);
    }
}
