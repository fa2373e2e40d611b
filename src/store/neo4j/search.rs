//! Message search on Neo4j: a full-text index (`message_search`) over each
//! message's indexed words (`searchText`, written by the send and by every
//! edit and delete in their own statements).

use super::queries as q;
use super::rows::{micros, MessageRow};
use super::tx;
use super::Neo4jStore;
use crate::domain::message::Message;
use crate::domain::search::group_word;
use crate::store::{Search, SearchScope, StoreResult};
use async_trait::async_trait;

/// The searcher's groups whose words go into the engine's query (the
/// scope holds them all; these only weigh their messages in).
const WEIGHED_GROUPS: usize = 50;

#[async_trait]
impl Search for Neo4jStore {
    async fn search_candidates(
        &self,
        scope: &SearchScope,
        words: &[String],
        limit: usize,
    ) -> StoreResult<Vec<Message>> {
        if words.is_empty() || scope.groups.is_empty() {
            return Ok(Vec::new());
        }
        // Every word is ASCII letters and digits (domain::search::index_word):
        // nothing in the query is an engine's syntax.
        let mut query: Vec<String> = words.to_vec();
        query.extend(scope.groups.iter().take(WEIGHED_GROUPS).map(group_word));
        let groups: Vec<String> = scope.groups.iter().map(ToString::to_string).collect();
        let statement = q::MESSAGES_SEARCH
            .query()
            .param("query", query.join(" "))
            .param("limit", i64::try_from(limit).unwrap_or(i64::MAX))
            .param("groupIds", groups)
            .param("authorId", scope.author.as_ref().map(ToString::to_string))
            .param("since", scope.since.map(micros))
            .param("until", scope.until.map(micros));
        let rows = tx::read::<MessageRow>(&self.graph, statement).await?;
        rows.into_iter().map(Message::try_from).collect()
    }
}
