use super::attachment::Attachment;
use super::membership::Membership;
use super::moderation::{ModerationAction, ModerationEntry};
use super::text::MessageBody;
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
    /// Members named as `@<userId>` in the body (`domain::reading::mentions`,
    /// kept to members by the store); none once deleted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<UserId>,
    /// One count per reaction key, in order of first use, kept on write.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reactions: Vec<ReactionCount>,
    /// When and by whom it was pinned; cleared when it is deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned_by: Option<UserId>,
    /// Its files, in the order named; none once deleted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
}

impl Message {
    /// The moderation log's entry of a delete by `by`: none when the
    /// author deletes their own message.
    pub fn moderated_delete(&self, by: &UserId, at: Timestamp) -> Option<ModerationEntry> {
        (&self.author_id != by).then(|| {
            let target = (&self.group_id, &self.id, &self.author_id);
            ModerationEntry::on_message(by, ModerationAction::MessageDeleted, target, at)
        })
    }

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

    /// The reaction counts readers see: none once deleted.
    pub fn visible_reactions(&self) -> &[ReactionCount] {
        if self.is_deleted() {
            &[]
        } else {
            &self.reactions
        }
    }
}

/// How many hold one key on a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionCount {
    pub key: String,
    pub count: u64,
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

/// A validated message to create: top-level in a group, or a reply to a
/// message (whose group it joins).
#[derive(Debug, Clone)]
pub struct NewMessage {
    /// Its id, chosen before the write (the attachments it claims name it).
    pub id: MessageId,
    pub to: Parent,
    pub author_id: UserId,
    pub body: MessageBody,
    pub client_message_id: Option<String>,
    pub now: Timestamp,
    /// The files it holds, claimed for it (`attachment::claim`).
    pub attachments: Vec<Attachment>,
}

/// Where a new message sits: its group, its thread's root and its depth.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub group_id: GroupId,
    pub root_id: MessageId,
    pub depth: u32,
}

impl NewMessage {
    /// The group named, if this is a top-level post.
    pub fn group_id(&self) -> Option<&GroupId> {
        match &self.to {
            Parent::Group(id) => Some(id),
            Parent::Message(_) => None,
        }
    }

    /// The message replied to, if this is a reply.
    pub fn parent_id(&self) -> Option<&MessageId> {
        match &self.to {
            Parent::Message(id) => Some(id),
            Parent::Group(_) => None,
        }
    }

    /// The group the message goes to: the named one, or the parent's.
    pub fn group(&self, parent: Option<&Message>) -> Result<GroupId, DomainError> {
        match (&self.to, parent) {
            (Parent::Group(group), _) => Ok(group.clone()),
            (Parent::Message(_), Some(parent)) => Ok(parent.group_id.clone()),
            (Parent::Message(_), None) => Err(DomainError::NotFound("message")),
        }
    }

    /// Places the message `id` (both stores call this on the parent they
    /// read in the send): top-level, it is its own root at depth 0 in its
    /// group; a reply goes one deeper than its parent, which must exist and
    /// be live, in the parent's group.
    pub fn place(
        &self,
        id: &MessageId,
        parent: Option<&Message>,
    ) -> Result<Placement, DomainError> {
        let group_id = self.group(parent)?;
        match (&self.to, parent) {
            (Parent::Message(_), Some(parent)) if parent.is_deleted() => {
                Err(DomainError::conflict("cannot reply to a deleted message"))
            }
            (Parent::Message(_), Some(parent)) => Ok(Placement {
                group_id,
                root_id: parent.root_id.clone(),
                depth: parent.depth + 1,
            }),
            _ => Ok(Placement {
                group_id,
                root_id: id.clone(),
                depth: 0,
            }),
        }
    }

    /// The message this send creates as `id`, placed at `place`, the
    /// `seq`-th child of its parent.
    pub fn message(&self, id: MessageId, place: Placement, seq: u64) -> Message {
        Message {
            id,
            group_id: place.group_id,
            author_id: self.author_id.clone(),
            body: Some(self.body.to_string()),
            parent_id: self.parent_id().cloned(),
            root_id: place.root_id,
            depth: place.depth,
            seq,
            reply_count: 0,
            client_message_id: self.client_message_id.clone(),
            created_at: self.now,
            edited_at: None,
            deleted_at: None,
            mentions: Vec::new(),
            reactions: Vec::new(),
            pinned_at: None,
            pinned_by: None,
            attachments: self.attachments.clone(),
        }
    }

    /// The users the body names (members or not: the store keeps members).
    pub fn named(&self) -> Vec<UserId> {
        super::reading::mentions(self.body.as_str())
    }

    /// Only active members post and reply, not while muted, and in slow
    /// mode once a window (both stores check this on the membership and
    /// the group's `slow_mode_seconds` read in the send).
    pub fn admit(
        author: Option<&Membership>,
        slow_mode_seconds: u32,
        now: Timestamp,
    ) -> Result<(), DomainError> {
        match author {
            Some(m) if m.is_member() => match m.muted_at(now) {
                Some(until) => Err(DomainError::Muted { until }),
                None => super::moderation::check_slow_mode(slow_mode_seconds, m, now),
            },
            _ => Err(DomainError::forbidden(
                "only members of this group can do this",
            )),
        }
    }

    /// What makes a send idempotent: one message per group, author and
    /// client id. Newlines cannot occur in ids, so the key is unambiguous.
    pub fn idempotency_key(&self, group: &GroupId) -> Option<String> {
        let cid = self.client_message_id.as_ref()?;
        Some(format!("{}\n{}\n{}", group, self.author_id, cid))
    }
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
    Edit {
        body: MessageBody,
        at: Timestamp,
    },
    Delete {
        at: Timestamp,
    },
    /// Its author's account is deleted: a delete (if not deleted yet) that
    /// also moves the message to `ghost`, the id it shows "Deleted user" as.
    Erase {
        at: Timestamp,
        ghost: UserId,
    },
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
                Self::Erase { ghost, .. } => {
                    message.author_id = ghost.clone();
                    Ok(())
                }
            },
            Self::Edit { body, at } => {
                message.mentions = super::reading::mentions(body.as_str());
                message.body = Some(body.to_string());
                message.edited_at = Some(*at);
                Ok(())
            }
            Self::Delete { at } | Self::Erase { at, .. } => {
                if let Self::Erase { ghost, .. } = self {
                    message.author_id = ghost.clone();
                }
                message.mentions.clear();
                message.attachments.clear();
                message.pinned_at = None;
                message.pinned_by = None;
                message.body = None;
                message.deleted_at = Some(*at);
                Ok(())
            }
        }
    }
}
