//! Pins: owners and admins mark what matters in a group, at most
//! [`MAX_PINS`] at once, listed in pin order.

use super::membership::Membership;
use super::message::Message;
use super::moderation::{ModerationAction, ModerationEntry};
use super::{DomainError, DomainResult, MessageId, Timestamp, UserId};

/// Messages one group holds pinned at most.
pub const MAX_PINS: usize = 50;

/// Where a pinned message sits in its group's list: (pinned at in µs, id).
pub type PinKey = (i64, MessageId);

/// A pinned message's place in its group's list.
pub fn pin_key(message: &Message) -> PinKey {
    let at = message.pinned_at.map_or(0, |t| t.timestamp_micros());
    (at, message.id.clone())
}

/// Pinning (`pin`) or unpinning one message.
#[derive(Debug, Clone)]
pub struct PinChange {
    pub message_id: MessageId,
    pub by: UserId,
    pub pin: bool,
    pub now: Timestamp,
}

impl PinChange {
    /// The moderation log's entry of this change, once it changed something.
    pub fn log_entry(&self, message: &Message) -> ModerationEntry {
        let action = if self.pin {
            ModerationAction::Pinned
        } else {
            ModerationAction::Unpinned
        };
        let target = (&message.group_id, &message.id, &message.author_id);
        ModerationEntry::on_message(&self.by, action, target, self.now)
    }

    /// The one home of the rules, applied by both stores to what they read
    /// under their locks: the actor's membership and the group's pinned
    /// messages (in pin order). Owners and admins pin; a deleted message
    /// cannot be pinned; past [`MAX_PINS`], `CONFLICT`; a repeat changes
    /// nothing (`Ok(false)`). On a change, `message` and `pinned` are
    /// updated.
    pub fn decide(
        &self,
        message: &mut Message,
        actor: Option<&Membership>,
        pinned: &mut Vec<MessageId>,
    ) -> DomainResult<bool> {
        if !actor.is_some_and(Membership::is_admin) {
            return Err(DomainError::forbidden(
                "only the group's owner and admins pin messages",
            ));
        }
        let is_pinned = message.pinned_at.is_some();
        match (self.pin, is_pinned) {
            (true, true) | (false, false) => Ok(false),
            (true, false) if message.is_deleted() => {
                Err(DomainError::conflict("a deleted message cannot be pinned"))
            }
            (true, false) if pinned.len() >= MAX_PINS => Err(DomainError::conflict(format!(
                "a group holds at most {MAX_PINS} pinned messages"
            ))),
            (true, false) => {
                message.pinned_at = Some(self.now);
                message.pinned_by = Some(self.by.clone());
                pinned.push(message.id.clone());
                Ok(true)
            }
            (false, true) => {
                message.pinned_at = None;
                message.pinned_by = None;
                pinned.retain(|id| id != &message.id);
                Ok(true)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures;
    use crate::domain::membership::{MembershipState, Role};
    use chrono::Utc;

    fn member(role: Role) -> Membership {
        fixtures::membership("ann", MembershipState::Member, role)
    }

    fn message() -> Message {
        fixtures::top_level("bob")
    }

    fn change(pin: bool) -> PinChange {
        PinChange {
            message_id: MessageId::parse("m_1").unwrap(),
            by: UserId::parse("ann").unwrap(),
            pin,
            now: Utc::now(),
        }
    }

    #[test]
    fn admins_pin_once_and_unpin_once() {
        let (mut m, admin, mut pinned) = (message(), member(Role::Admin), Vec::new());
        assert!(change(true)
            .decide(&mut m, Some(&admin), &mut pinned)
            .unwrap());
        assert_eq!(pinned, vec![m.id.clone()]);
        assert_eq!(m.pinned_by.as_ref().map(UserId::as_str), Some("ann"));
        assert!(!change(true)
            .decide(&mut m, Some(&admin), &mut pinned)
            .unwrap());
        assert!(change(false)
            .decide(&mut m, Some(&admin), &mut pinned)
            .unwrap());
        assert!(pinned.is_empty() && m.pinned_at.is_none());
        assert!(!change(false)
            .decide(&mut m, Some(&admin), &mut pinned)
            .unwrap());
    }

    #[test]
    fn members_deleted_messages_and_the_fifty_first_pin_are_refused() {
        let mut m = message();
        let plain = member(Role::Member);
        let err = change(true).decide(&mut m, Some(&plain), &mut Vec::new());
        assert_eq!(err.unwrap_err().code(), "FORBIDDEN");
        let owner = member(Role::Owner);
        let mut full: Vec<MessageId> = (0..50).map(|_| MessageId::generate()).collect();
        let err = change(true).decide(&mut m, Some(&owner), &mut full);
        assert_eq!(err.unwrap_err().code(), "CONFLICT");
        assert_eq!(full.len(), 50);
        m.deleted_at = Some(Utc::now());
        let err = change(true).decide(&mut m, Some(&owner), &mut Vec::new());
        assert_eq!(err.unwrap_err().code(), "CONFLICT");
    }
}
