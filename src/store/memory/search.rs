//! Search on the memory store: inverted indexes from each indexed word
//! (`domain::search::message_index`, `group_index`) to its messages and
//! groups, kept on every write under the store's lock.

use super::MemoryStore;
use crate::domain::group::Group;
use crate::domain::message::Message;
use crate::domain::search::{group_index, message_index};
use crate::domain::{GroupId, MessageId};
use crate::store::{Search, SearchScope, StoreResult};
use async_trait::async_trait;
use std::collections::{BTreeMap, HashSet};
use std::hash::Hash;

/// Word -> the keys whose indexed text holds it.
struct Postings<K> {
    lists: BTreeMap<String, HashSet<K>>,
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

impl<K: Hash + Eq + Clone> Postings<K> {
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

    /// The keys holding every one of `words`, walked from the rarest
    /// word's list.
    fn holding_all(&self, words: &[String]) -> Vec<&K> {
        let mut lists = Vec::with_capacity(words.len());
        for word in words {
            match self.lists.get(word) {
                Some(list) => lists.push(list),
                None => return Vec::new(),
            }
        }
        lists.sort_by_key(|list| list.len());
        let Some((rarest, others)) = lists.split_first() else {
            return Vec::new();
        };
        rarest
            .iter()
            .filter(|key| others.iter().all(|list| list.contains(*key)))
            .collect()
    }
}

#[derive(Default)]
pub(super) struct SearchIndex {
    messages: Postings<MessageId>,
    groups: Postings<GroupId>,
}

fn indexed(message: &Message) -> String {
    message_index(&message.group_id, message.body.as_deref())
}

fn indexed_group(group: &Group) -> String {
    group_index(&group.name, group.description.as_deref())
}

impl SearchIndex {
    pub(super) fn add(&mut self, message: &Message) {
        self.messages.add(&message.id, &indexed(message));
    }

    /// An edit or a delete: the old text's words go, the new one's come.
    pub(super) fn reindex(&mut self, before: &Message, after: &Message) {
        self.messages.remove(&before.id, &indexed(before));
        self.messages.add(&after.id, &indexed(after));
    }

    /// A new group (`before` `None`) or a changed name or description.
    pub(super) fn group(&mut self, before: Option<&Group>, after: &Group) {
        if let Some(before) = before {
            self.groups.remove(&before.id, &indexed_group(before));
        }
        self.groups.add(&after.id, &indexed_group(after));
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
        let groups: HashSet<&GroupId> = scope.groups.iter().collect();
        let state = self.state.lock();
        let mut found: Vec<&Message> = state
            .search
            .messages
            .holding_all(words)
            .into_iter()
            .filter_map(|id| state.messages.get(id).map(|row| &row.message))
            .filter(|m| {
                !m.is_deleted()
                    && groups.contains(&m.group_id)
                    && scope.author.as_ref().is_none_or(|a| a == &m.author_id)
                    && scope.since.is_none_or(|t| m.created_at >= t)
                    && scope.until.is_none_or(|t| m.created_at <= t)
            })
            .collect();
        found.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
        found.truncate(limit);
        Ok(found.into_iter().cloned().collect())
    }

    async fn search_group_candidates(
        &self,
        words: &[String],
        limit: usize,
    ) -> StoreResult<Vec<Group>> {
        let state = self.state.lock();
        let mut found: Vec<&Group> = state
            .search
            .groups
            .holding_all(words)
            .into_iter()
            .filter_map(|id| state.groups.get(id).map(|row| &row.group))
            .collect();
        found.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        found.truncate(limit);
        Ok(found.into_iter().cloned().collect())
    }
}
