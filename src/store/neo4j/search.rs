//! Search on Neo4j: full-text indexes (`message_search`, `group_search`)
//! over each message's and group's indexed words (`searchText`, written by
//! the send, every edit and delete, and every group write in their own
//! statements), and the backfill of data written before them.

use super::queries as q;
use super::rows::{self, micros, GroupRow};
use super::tx::{self, write_txn};
use super::Neo4jStore;
use crate::domain::group::Group;
use crate::domain::search::{group_index, message_index};
use crate::domain::{GroupId, MessageId};
use crate::store::{Candidate, Search, SearchScope, StoreResult};
use async_trait::async_trait;
use neo4rs::BoltType;
use serde::Deserialize;
use std::collections::HashMap;

/// Rows the backfill reads and writes per transaction.
const BACKFILL_BATCH: i64 = 500;

#[derive(Deserialize)]
struct UnindexedMessage {
    id: MessageId,
    body: Option<String>,
}

#[derive(Deserialize)]
struct UnindexedGroup {
    id: GroupId,
    name: String,
    description: Option<String>,
}

/// `{id, text}` rows for the backfill's writes.
fn id_text_rows(rows: Vec<(String, String)>) -> Vec<BoltType> {
    rows.into_iter()
        .map(|(id, text)| {
            let row: HashMap<String, BoltType> =
                HashMap::from([("id".into(), id.into()), ("text".into(), text.into())]);
            row.into()
        })
        .collect()
}

impl Neo4jStore {
    /// Indexes messages and groups written before search (no `searchText`),
    /// a batch per transaction, until none is left; returns how many.
    pub(super) async fn backfill_search(&self) -> StoreResult<usize> {
        let mut done = 0;
        loop {
            let read = q::SEARCH_UNINDEXED_MESSAGES
                .query()
                .param("limit", BACKFILL_BATCH);
            let batch = tx::read::<UnindexedMessage>(&self.graph, read).await?;
            if batch.is_empty() {
                break;
            }
            done += batch.len();
            let rows: Vec<(String, String)> = batch
                .into_iter()
                .map(|m| (m.id.to_string(), message_index(m.body.as_deref())))
                .collect();
            self.write_index(q::SEARCH_INDEX_MESSAGES, rows).await?;
        }
        loop {
            let read = q::SEARCH_UNINDEXED_GROUPS
                .query()
                .param("limit", BACKFILL_BATCH);
            let batch = tx::read::<UnindexedGroup>(&self.graph, read).await?;
            if batch.is_empty() {
                break;
            }
            done += batch.len();
            let rows: Vec<(String, String)> = batch
                .into_iter()
                .map(|g| {
                    (
                        g.id.to_string(),
                        group_index(&g.name, g.description.as_deref()),
                    )
                })
                .collect();
            self.write_index(q::SEARCH_INDEX_GROUPS, rows).await?;
        }
        Ok(done)
    }

    async fn write_index(
        &self,
        statement: q::Statement,
        rows: Vec<(String, String)>,
    ) -> StoreResult<()> {
        let rows = id_text_rows(rows);
        write_txn!(self.graph, |txn| {
            let write = statement.query().param("rows", rows.clone());
            tx::rows::<rows::Ignored>(txn, write).await?;
            Ok(())
        })
    }
}

/// The engine's query: the one word of `words` most likely rarest (a
/// whole word before a prefix, then the longest). Every word is one a
/// match must hold, so its matches hold every match; an engine's query of
/// all of them would read each word's matches (the engines take words as
/// alternatives). Every word is ASCII letters and digits
/// (`domain::search::index_word`): nothing in it is an engine's syntax.
fn rarest(words: &[String]) -> String {
    words
        .iter()
        .max_by_key(|w| (!w.starts_with("xp"), w.len(), w.as_str()))
        .cloned()
        .unwrap_or_default()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CandidateRow {
    id: MessageId,
    body: Option<String>,
    created_at: i64,
}

#[async_trait]
impl Search for Neo4jStore {
    async fn search_candidates(
        &self,
        scope: &SearchScope,
        words: &[String],
        limit: usize,
    ) -> StoreResult<Vec<Candidate>> {
        if words.is_empty() || scope.groups.is_empty() {
            return Ok(Vec::new());
        }
        let groups: Vec<String> = scope.groups.iter().map(ToString::to_string).collect();
        let statement = q::MESSAGES_SEARCH
            .query()
            .param("query", rarest(words))
            .param("limit", i64::try_from(limit).unwrap_or(i64::MAX))
            .param("groupIds", groups)
            .param("authorId", scope.author.as_ref().map(ToString::to_string))
            .param("since", scope.since.map(micros))
            .param("until", scope.until.map(micros));
        let rows = tx::read::<CandidateRow>(&self.graph, statement).await?;
        rows.into_iter()
            .map(|row| {
                Ok(Candidate {
                    id: row.id,
                    body: row.body.unwrap_or_default(),
                    created_at: rows::time(row.created_at)?,
                })
            })
            .collect()
    }

    async fn search_group_candidates(
        &self,
        words: &[String],
        limit: usize,
    ) -> StoreResult<Vec<Group>> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let statement = q::GROUPS_SEARCH
            .query()
            .param("query", rarest(words))
            .param("limit", i64::try_from(limit).unwrap_or(i64::MAX));
        rows::convert(tx::read::<GroupRow>(&self.graph, statement).await?)
    }
}
