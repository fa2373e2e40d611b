//! The storage port of reactions.

use super::{Recorded, StoreResult};
use crate::domain::message::Message;
use crate::domain::page::{Page, PageRequest};
use crate::domain::reaction::{Reaction, ReactionChange, ReactorKey};
use crate::domain::{MessageId, UserId};
use async_trait::async_trait;

#[async_trait]
pub trait Reactions: Send + Sync {
    /// Adds or removes one reaction by `ReactionChange::decide`, checked on
    /// the message, the user's membership and their keys read under the
    /// message's lock, and keeps the message's counts. Records
    /// `REACTION_ADDED`/`REACTION_REMOVED` only when something changed.
    /// Returns the message as it is now.
    async fn change_reaction(&self, change: &ReactionChange) -> StoreResult<Recorded<Message>>;
    /// The reactions `user` holds on any of `messages`, oldest first.
    async fn reactions_of(
        &self,
        user: &UserId,
        messages: &[MessageId],
    ) -> StoreResult<Vec<Reaction>>;
    /// Who reacted to a message with `key`, oldest first (nobody for a
    /// message that does not exist: callers hold the message).
    async fn reactors(
        &self,
        message: &MessageId,
        key: &str,
        page: PageRequest<ReactorKey>,
    ) -> StoreResult<Page<Reaction>>;
}
