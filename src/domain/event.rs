use super::cursor;
use super::ids::EventId;
use super::membership::Membership;
use super::message::Message;
use super::{GroupId, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventKind {
    MessagePosted,
    MessageEdited,
    MessageDeleted,
    MembershipChanged,
}

impl EventKind {
    /// The wire name (`MESSAGE_POSTED`, ...), as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MessagePosted => "MESSAGE_POSTED",
            Self::MessageEdited => "MESSAGE_EDITED",
            Self::MessageDeleted => "MESSAGE_DELETED",
            Self::MembershipChanged => "MEMBERSHIP_CHANGED",
        }
    }
}

/// Something that happened in a group, published after it committed.
/// Serialized as JSON for transports (`type` tags the kind).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainEvent {
    /// One id per event, generated where it happens and carried by every
    /// copy (each recipient, each redelivery), so duplicates can be dropped.
    pub id: EventId,
    #[serde(rename = "type")]
    pub kind: EventKind,
    pub group_id: GroupId,
    pub message: Option<Message>,
    pub membership: Option<Membership>,
    /// The message's cursor in its parent's connection, so a client that
    /// missed events can catch up with `after:`.
    pub cursor: Option<String>,
    pub occurred_at: Timestamp,
}

impl DomainEvent {
    pub fn message(kind: EventKind, message: Message, at: Timestamp) -> Self {
        let cursor = cursor::encode(cursor::MESSAGES, message.parent().key(), &message.seq);
        Self {
            id: EventId::generate(),
            kind,
            group_id: message.group_id.clone(),
            message: Some(message),
            membership: None,
            cursor: Some(cursor),
            occurred_at: at,
        }
    }

    pub fn membership(membership: Membership, at: Timestamp) -> Self {
        Self {
            id: EventId::generate(),
            kind: EventKind::MembershipChanged,
            group_id: membership.group_id.clone(),
            message: None,
            membership: Some(membership),
            cursor: None,
            occurred_at: at,
        }
    }

    /// Whether this event ends `user`'s membership: the last event of the
    /// group they hear.
    pub fn ends_membership_of(&self, user: &crate::domain::UserId) -> bool {
        self.kind == EventKind::MembershipChanged
            && self
                .membership
                .as_ref()
                .is_some_and(|m| &m.user_id == user && !m.is_member())
    }
}
