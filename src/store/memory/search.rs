//! Message search on the memory store: an inverted index from each
//! indexed word (`domain::search::message_index`) to its messages, kept on
//! every send, edit and delete under the store's lock.

use super::MemoryStore;
use crate::domain::message::Message;
use crate::domain::search::message_index;
use crate::domain::MessageId;
use crate::store::{Search, SearchScope, StoreResult};
use async_trait::async_trait;
use std::collections::{BTreeMap, HashSet};

#[derive(Default)]
pub(super) struct SearchIndex {
    postings: BTreeMap<String, HashSet<MessageId>>,
}

fn words(message: &Message) -> Vec<String> {
    let text = message_index(&message.group_id, message.body.as_deref());
    text.split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

impl SearchIndex {
    pub(super) fn add(&mut self, message: &Message) {
        for word in words(message) {
            self.postings
                .entry(word)
                .or_default()
                .insert(message.id.clone());
        }
    }

    fn remove(&mut self, message: &Message) {
        for word in words(message) {
            if let Some(ids) = self.postings.get_mut(&word) {
                ids.remove(&message.id);
                if ids.is_empty() {
                    self.postings.remove(&word);
                }
            }
        }
    }

    /// An edit or a delete: the old text's words go, the new one's come.
    pub(super) fn reindex(&mut self, before: &Message, after: &Message) {
        self.remove(before);
        self.add(after);
    }
}

#[async_trait]
impl Search for MemoryStore {
    async fn search_candidates(
        &self,
        scope: &SearchScope,
        words: &[String],
        limit: usize,
    ) -> StoreResult<Vec<Message>> {
        let state = self.state.lock();
        let mut ids: HashSet<&MessageId> = HashSet::new();
        for word in words {
            if let Some(found) = state.search.postings.get(word) {
                ids.extend(found);
            }
        }
        let mut found: Vec<Message> = ids
            .into_iter()
            .filter_map(|id| state.messages.get(id).map(|row| &row.message))
            .filter(|m| {
                !m.is_deleted()
                    && scope.groups.contains(&m.group_id)
                    && scope.author.as_ref().is_none_or(|a| a == &m.author_id)
                    && scope.since.is_none_or(|t| m.created_at >= t)
                    && scope.until.is_none_or(|t| m.created_at <= t)
            })
            .cloned()
            .collect();
        found.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
        found.truncate(limit);
        Ok(found)
    }
}
