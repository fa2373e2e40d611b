//! Search on the memory store: inverted indexes from each indexed word
//! (`domain::search::message_index`, `group_index`) to its messages and
//! groups, kept on every write under the store's lock.

use super::MemoryStore;
use crate::domain::group::Group;
use crate::domain::message::Message;
use crate::domain::search::{group_index, message_index};
use crate::domain::Timestamp;
use crate::domain::{GroupId, MessageId};
use crate::store::{Candidate, Search, SearchScope, StoreResult};
use async_trait::async_trait;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Word -> the keys whose indexed text holds it, in key order.
struct Postings<K> {
    lists: BTreeMap<String, BTreeSet<K>>,
}

impl<K> Default for Postings<K> {
    fn default() -> Self {
        Self {
            lists: BTreeMap::new(),
        }
    }
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(' ').filter(|w| !w.is_empty())
}

impl<K: Ord + Clone> Postings<K> {
    fn add(&mut self, key: &K, text: &str) {
        for word in words(text) {
            self.lists
                .entry(word.to_owned())
                .or_default()
                .insert(key.clone());
        }
    }

    fn remove(&mut self, key: &K, text: &str) {
        for word in words(text) {
            if let Some(keys) = self.lists.get_mut(word) {
                keys.remove(key);
                if keys.is_empty() {
                    self.lists.remove(word);
                }
            }
        }
    }

    /// The keys holding every one of `words`, last key first: the rarest
    /// word's list walked backwards, each key looked up in the others, so
    /// taking the first few costs a few lookups whatever the lists hold.
    fn holding_all<'a>(&'a self, words: &[String]) -> Box<dyn Iterator<Item = &'a K> + 'a> {
        let mut lists = Vec::with_capacity(words.len());
        for word in words {
            match self.lists.get(word) {
                Some(list) => lists.push(list),
                None => return Box::new(std::iter::empty()),
            }
        }
        lists.sort_by_key(|list| list.len());
        let Some((rarest, others)) = lists.split_first() else {
            return Box::new(std::iter::empty());
        };
        let others = others.to_vec();
        Box::new(
            rarest
                .iter()
                .rev()
                .filter(move |key| others.iter().all(|list| list.contains(*key))),
        )
    }
}

#[derive(Default)]
pub(super) struct SearchIndex {
    messages: Postings<(Timestamp, MessageId)>,
    groups: Postings<(Timestamp, GroupId)>,
}

fn key(message: &Message) -> (Timestamp, MessageId) {
    (message.created_at, message.id.clone())
}

fn group_key(group: &Group) -> (Timestamp, GroupId) {
    (group.created_at, group.id.clone())
}

fn indexed(message: &Message) -> String {
    message_index(message.body.as_deref())
}

fn indexed_group(group: &Group) -> String {
    group_index(&group.name, group.description.as_deref())
}

impl SearchIndex {
    pub(super) fn add(&mut self, message: &Message) {
        self.messages.add(&key(message), &indexed(message));
    }

    /// An edit or a delete: the old text's words go, the new one's come.
    pub(super) fn reindex(&mut self, before: &Message, after: &Message) {
        self.messages.remove(&key(before), &indexed(before));
        self.messages.add(&key(after), &indexed(after));
    }

    /// A new group (`before` `None`) or a changed name or description.
    pub(super) fn group(&mut self, before: Option<&Group>, after: &Group) {
        if let Some(before) = before {
            self.groups
                .remove(&group_key(before), &indexed_group(before));
        }
        self.groups.add(&group_key(after), &indexed_group(after));
    }
}

#[async_trait]
impl Search for MemoryStore {
    async fn search_candidates(
        &self,
        scope: &SearchScope,
        words: &[String],
        limit: usize,
    ) -> StoreResult<Vec<Candidate>> {
        let groups: HashSet<&GroupId> = scope.groups.iter().collect();
        let state = self.state.lock();
        Ok(state
            .search
            .messages
            .holding_all(words)
            .filter_map(|(_, id)| state.messages.get(id).map(|row| &row.message))
            .filter(|m| {
                !m.is_deleted()
                    && groups.contains(&m.group_id)
                    && scope.author.as_ref().is_none_or(|a| a == &m.author_id)
                    && scope.since.is_none_or(|t| m.created_at >= t)
                    && scope.until.is_none_or(|t| m.created_at <= t)
            })
            .take(limit)
            .map(|m| Candidate {
                id: m.id.clone(),
                body: m.body.clone().unwrap_or_default(),
                created_at: m.created_at,
            })
            .collect())
    }

    async fn search_group_candidates(
        &self,
        words: &[String],
        limit: usize,
    ) -> StoreResult<Vec<Group>> {
        let state = self.state.lock();
        Ok(state
            .search
            .groups
            .holding_all(words)
            .filter_map(|(_, id)| state.groups.get(id).map(|row| row.group.clone()))
            .take(limit)
            .collect())
    }
}
