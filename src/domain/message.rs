use super::{DomainError, GroupId, MessageId, Timestamp, UserId};
use serde::{Deserialize, Serialize};

/// The most ancestors one `ancestors(last:)` returns, and its default.
pub const MAX_ANCESTORS: usize = 100;
pub const DEFAULT_ANCESTORS: usize = 20;

/// A message: top-level in a group, or a reply to another message at any
/// depth. Each parent hands out `seq` 1, 2, 3... to its children, so
/// `(parent, seq)` orders a thread and is its pagination key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub id: MessageId,
    pub group_id: GroupId,
    pub author_id: UserId,
    /// `None` once deleted (the tombstone keeps the tree).
    pub body: Option<String>,
    pub parent_id: Option<MessageId>,
    /// The top-level message of this thread (itself when top-level).
    pub root_id: MessageId,
    /// 0 for top-level messages.
    pub depth: u32,
    pub seq: u64,
    pub reply_count: u64,
    pub client_message_id: Option<String>,
    pub created_at: Timestamp,
    pub edited_at: Option<Timestamp>,
    pub deleted_at: Option<Timestamp>,
}

impl Message {
    /// The connection this message is listed in.
    pub fn parent(&self) -> Parent {
        match &self.parent_id {
            Some(id) => Parent::Message(id.clone()),
            None => Parent::Group(self.group_id.clone()),
        }
    }

    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }
}

/// Where a message hangs: a group (top-level) or another message (reply).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Parent {
    Group(GroupId),
    Message(MessageId),
}

impl Parent {
    /// The id string used as the cursor scope and storage key.
    pub fn key(&self) -> &str {
        match self {
            Self::Group(id) => id.as_str(),
            Self::Message(id) => id.as_str(),
        }
    }
}

/// A validated message to create. `parent: None` posts top-level.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub group_id: GroupId,
    pub parent_id: Option<MessageId>,
    pub author_id: UserId,
    pub body: String,
    pub client_message_id: Option<String>,
    pub now: Timestamp,
}

/// The result of a send: the message and whether this call created it
/// (`false` when an earlier send with the same client id already did).
#[derive(Debug, Clone)]
pub struct Posted {
    pub message: Message,
    pub created: bool,
}

/// A change to an existing message.
#[derive(Debug, Clone)]
pub enum MessageChange {
    Edit { body: String, at: Timestamp },
    Delete { at: Timestamp },
}

impl MessageChange {
    /// Applies the change; editing a deleted message is a conflict, deleting
    /// it again changes nothing (so a retried delete is safe).
    pub fn apply(&self, message: &mut Message) -> Result<(), DomainError> {
        match self {
            _ if message.is_deleted() => match self {
                Self::Edit { .. } => {
                    Err(DomainError::conflict("a deleted message cannot be edited"))
                }
                Self::Delete { .. } => Ok(()),
            },
            Self::Edit { body, at } => {
                message.body = Some(body.clone());
                message.edited_at = Some(*at);
                Ok(())
            }
            Self::Delete { at } => {
                message.body = None;
                message.deleted_at = Some(*at);
                Ok(())
            }
        }
    }
}
