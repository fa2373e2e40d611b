//! The storage port of message and group search: candidates from an
//! index kept on write. Which candidates match, and in what order, is decided in
//! `domain::search`, the same for every store.

use super::StoreResult;
use crate::domain::group::Group;
use crate::domain::{GroupId, MessageId, Timestamp, UserId};
use async_trait::async_trait;

/// Where a search looks.
#[derive(Debug, Clone)]
pub struct SearchScope {
    pub groups: Vec<GroupId>,
    pub author: Option<UserId>,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

/// A message an index found: what ranking needs, not the whole message.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: MessageId,
    pub body: String,
    pub created_at: Timestamp,
}

#[async_trait]
pub trait Search: Send + Sync {
    /// At most `limit` messages of the scope, not deleted, whose indexed
    /// text (`domain::search::message_index`) holds `words`: every
    /// message holding them all, when they fit, and otherwise the index's
    /// best (Neo4j: the full-text score of the word most likely rarest,
    /// whose matches hold every match; the memory store: newest first, each
    /// holding every word).
    async fn search_candidates(
        &self,
        scope: &SearchScope,
        words: &[String],
        limit: usize,
    ) -> StoreResult<Vec<Candidate>>;

    /// At most `limit` groups whose indexed name and description
    /// (`domain::search::group_index`) hold `words`, as above (the memory
    /// store: newest first).
    async fn search_group_candidates(
        &self,
        words: &[String],
        limit: usize,
    ) -> StoreResult<Vec<Group>>;
}
