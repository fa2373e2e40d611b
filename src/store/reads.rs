//! The reading port: read markers, unread counts and notification levels
//! (`domain::reading`), on both stores. Every read costs O(1) per group:
//! the group's message counter against the member's marker.

use super::StoreResult;
use crate::domain::membership::Membership;
use crate::domain::page::Page;
use crate::domain::reading::{NotificationLevel, ReadState, SeenKey, UnreadSummary};
use crate::domain::{GroupId, MessageId, UserId};
use async_trait::async_trait;

#[async_trait]
pub trait Reads: Send + Sync {
    /// Moves `user`'s marker in `group` to the message `up_to` (never
    /// backward). A message of another group is refused as bad input; a
    /// user who is not a member, as forbidden.
    async fn mark_read(
        &self,
        group: &GroupId,
        user: &UserId,
        up_to: &MessageId,
    ) -> StoreResult<ReadState>;
    /// Sets how much of the group notifies `user` (a member).
    async fn set_level(
        &self,
        group: &GroupId,
        user: &UserId,
        level: NotificationLevel,
    ) -> StoreResult<ReadState>;
    /// The read states that exist among `keys` (members and former ones).
    async fn read_states(
        &self,
        keys: &[(GroupId, UserId)],
    ) -> StoreResult<Vec<((GroupId, UserId), ReadState)>>;
    /// For each of `users`, in order, the sums over the groups they are a
    /// member of (one read for many: `deliver` badges a shard at once).
    async fn unread_summaries(&self, users: &[UserId]) -> StoreResult<Vec<UnreadSummary>>;
    /// The members whose marker is at or past `message` (its author and
    /// bots left out), by (marker, user id), after `after`: read from the
    /// markers that exist, never a row per message per reader, O(page).
    async fn seen_by(
        &self,
        message: &MessageId,
        after: Option<SeenKey>,
        limit: usize,
    ) -> StoreResult<Page<(SeenKey, Membership)>>;
    /// Sums over the groups `user` is a member of.
    async fn unread_summary(&self, user: &UserId) -> StoreResult<UnreadSummary> {
        let mut found = self.unread_summaries(std::slice::from_ref(user)).await?;
        Ok(found.pop().unwrap_or_default())
    }
}
