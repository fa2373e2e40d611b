//! The storage port of messages and their threads.

use super::{Recorded, StoreResult};
use crate::domain::group::Group;
use crate::domain::membership::Membership;
use crate::domain::message::{Message, MessageChange, NewMessage, Parent, Posted};
use crate::domain::moderation::ModerationEntry;
use crate::domain::page::{Page, PageRequest};
use crate::domain::{MessageId, UserId};
use async_trait::async_trait;

#[async_trait]
pub trait Messages: Send + Sync {
    /// Checks a send by `NewMessage`'s rules (the parent exists and is
    /// live, the author is a member of the message's group) and creates the
    /// message with the parent's next `seq` (bumping the parent's
    /// `replyCount`), or returns the author's earlier message with the same
    /// `client_message_id` in that group (recording no event).
    async fn post_message(&self, message: &NewMessage) -> StoreResult<Recorded<Posted>>;
    async fn messages(&self, ids: &[MessageId]) -> StoreResult<Vec<Message>>;
    /// The children of a group (top-level messages) or of a message, by seq.
    async fn children(&self, parent: &Parent, page: PageRequest<u64>)
        -> StoreResult<Page<Message>>;
    /// The replies of a message the caller holds: a store that addresses
    /// pages by the parent's child count takes it from `parent` instead of
    /// reading it again (a page as of when `parent` was read).
    async fn replies_of(
        &self,
        parent: &Message,
        page: PageRequest<u64>,
    ) -> StoreResult<Page<Message>> {
        self.children(&Parent::Message(parent.id.clone()), page)
            .await
    }
    /// A message with its group and `user`'s membership in it (the access
    /// check of reading a message), or `None` if the message does not exist.
    async fn message_access(
        &self,
        id: &MessageId,
        user: &UserId,
    ) -> StoreResult<Option<(Message, Group, Option<Membership>)>>;
    /// The message's nearest `last` ancestors (at most
    /// [`crate::domain::message::MAX_ANCESTORS`]), root-most first, parent last.
    async fn ancestors(&self, id: &MessageId, last: usize) -> StoreResult<Vec<Message>>;
    /// An edit or a delete, with no moderation log entry.
    async fn change_message(
        &self,
        id: &MessageId,
        change: &MessageChange,
    ) -> StoreResult<Recorded<Message>> {
        self.change_message_logged(id, change, None).await
    }
    /// An edit or a delete, appending `log` (a moderator's delete) to the
    /// moderation log in the same transaction.
    async fn change_message_logged(
        &self,
        id: &MessageId,
        change: &MessageChange,
        log: Option<&ModerationEntry>,
    ) -> StoreResult<Recorded<Message>>;
}
