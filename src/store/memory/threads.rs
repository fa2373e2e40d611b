//! Thread summaries of the memory store, and each participant's threads
//! in order of last activity.

use super::MemoryStore;
use crate::domain::keyset;
use crate::domain::message::Message;
use crate::domain::page::{Page, PageRequest};
use crate::domain::thread::{Thread, ThreadKey};
use crate::domain::{GroupId, MessageId, UserId};
use crate::store::{StoreResult, Threads};
use async_trait::async_trait;
use std::collections::{BTreeMap, HashMap};

#[derive(Default)]
pub(super) struct ThreadTable {
    by_root: HashMap<MessageId, Thread>,
    /// Who took part in each thread.
    participants: HashMap<MessageId, Vec<UserId>>,
    /// Each user's threads, and per group, by last activity.
    by_user: HashMap<UserId, BTreeMap<ThreadKey, ()>>,
    by_user_group: HashMap<(UserId, GroupId), BTreeMap<ThreadKey, ()>>,
}

impl ThreadTable {
    /// A top-level message starts its thread.
    pub(super) fn started(&mut self, root: &Message) {
        let thread = Thread::started(root);
        self.join(&root.author_id, &thread);
        self.participants
            .insert(root.id.clone(), vec![root.author_id.clone()]);
        self.by_root.insert(root.id.clone(), thread);
    }

    /// A reply at `pos` counts on its root (O(1) on the summary), then
    /// every participant's list moves the thread to its new activity.
    pub(super) fn replied(&mut self, reply: &Message, pos: u64) {
        let Some(thread) = self.by_root.get_mut(&reply.root_id) else {
            return;
        };
        let before = thread.key();
        let people = self.participants.entry(reply.root_id.clone()).or_default();
        let fresh = !people.contains(&reply.author_id);
        if fresh {
            people.push(reply.author_id.clone());
        }
        thread.replied(reply, pos, fresh);
        let (after, group) = (thread.key(), thread.group_id.clone());
        for user in people.iter() {
            for list in [
                self.by_user.get_mut(user),
                self.by_user_group.get_mut(&(user.clone(), group.clone())),
            ]
            .into_iter()
            .flatten()
            {
                list.remove(&before);
                list.insert(after.clone(), ());
            }
        }
        if fresh {
            let thread = thread.clone();
            self.join(&reply.author_id, &thread);
        }
    }

    /// A deleted account leaves: its threads' lists and participations go,
    /// and its place among recent repliers moves to `ghost`.
    pub(super) fn forget(&mut self, user: &UserId, ghost: &UserId) {
        self.by_user.remove(user);
        self.by_user_group.retain(|(u, _), _| u != user);
        for (root, people) in &mut self.participants {
            if let Some(at) = people.iter().position(|u| u == user) {
                people[at] = ghost.clone();
                if let Some(thread) = self.by_root.get_mut(root) {
                    for recent in &mut thread.recent {
                        if recent == user {
                            *recent = ghost.clone();
                        }
                    }
                }
            }
        }
    }

    fn join(&mut self, user: &UserId, thread: &Thread) {
        let key = thread.key();
        let group = (user.clone(), thread.group_id.clone());
        self.by_user
            .entry(user.clone())
            .or_default()
            .insert(key.clone(), ());
        self.by_user_group.entry(group).or_default().insert(key, ());
    }
}

#[async_trait]
impl Threads for MemoryStore {
    async fn threads(&self, roots: &[MessageId]) -> StoreResult<Vec<Thread>> {
        let state = self.state.lock();
        let found = roots.iter().filter_map(|id| state.threads.by_root.get(id));
        Ok(found.cloned().collect())
    }

    async fn participated(
        &self,
        user: &UserId,
        roots: &[MessageId],
    ) -> StoreResult<Vec<MessageId>> {
        let state = self.state.lock();
        let took_part = |root: &&MessageId| {
            let people = state.threads.participants.get(*root);
            people.is_some_and(|p| p.contains(user))
        };
        Ok(roots.iter().filter(took_part).cloned().collect())
    }

    async fn my_threads(
        &self,
        user: &UserId,
        group: Option<&GroupId>,
        page: PageRequest<ThreadKey>,
    ) -> StoreResult<Page<Thread>> {
        let state = self.state.lock();
        let table = &state.threads;
        let empty = BTreeMap::new();
        let list = match group {
            Some(g) => table.by_user_group.get(&(user.clone(), g.clone())),
            None => table.by_user.get(user),
        };
        let found = keyset::page(
            list.unwrap_or(&empty),
            &page,
            |_, _| true,
            |key, _| table.by_root.get(&key.1).cloned(),
        );
        Ok(Page {
            items: found.items.into_iter().flatten().collect(),
            has_previous: found.has_previous,
            has_next: found.has_next,
        })
    }
}
