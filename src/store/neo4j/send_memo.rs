//! What earlier sends through this process were judged on: the messages
//! replied to and the authors' memberships. A send that finds both here
//! skips the context read and goes straight to its guarded write, which
//! checks exactly what the memo could have wrong (the membership by its
//! `updatedAt`, the parent still live); when the guard finds a change, the
//! send forgets both and is judged again on a fresh read. A parent's other
//! fields used in the send (group, root, depth, author) never change.
//! Sends that name users always read: which of them are members is not
//! remembered.

use crate::domain::membership::Membership;
use crate::domain::message::{Message, NewMessage, Parent};
use crate::domain::{GroupId, MessageId, UserId};
use std::collections::HashMap;
use std::sync::Mutex;

/// Entries per map; a full map starts over (a Lambda instance serves a
/// few hot threads and their authors, not the whole graph).
const CAPACITY: usize = 10_000;

#[derive(Default)]
struct Maps {
    parents: HashMap<MessageId, Message>,
    memberships: HashMap<(GroupId, UserId), Membership>,
}

#[derive(Default)]
pub(super) struct SendMemo {
    maps: Mutex<Maps>,
}

/// A remembered context: the parent (`None` for a top-level post) and the
/// author's membership in the group the message goes to.
pub(super) struct Recalled {
    pub parent: Option<Message>,
    pub membership: Membership,
}

fn put<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, V>, key: K, value: V) {
    if map.len() >= CAPACITY && !map.contains_key(&key) {
        map.clear();
    }
    map.insert(key, value);
}

impl SendMemo {
    fn maps(&self) -> std::sync::MutexGuard<'_, Maps> {
        // A panic elsewhere while holding the lock leaves plain data behind.
        self.maps
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The context `new` was last sent in, if this process has seen both
    /// its parent and its author's membership (and the body names no one).
    pub fn recall(&self, new: &NewMessage, named: &[String]) -> Option<Recalled> {
        if !named.is_empty() {
            return None;
        }
        let maps = self.maps();
        let (group, parent) = match &new.to {
            Parent::Group(group) => (group.clone(), None),
            Parent::Message(id) => {
                let parent = maps.parents.get(id)?.clone();
                (parent.group_id.clone(), Some(parent))
            }
        };
        let membership = maps
            .memberships
            .get(&(group, new.author_id.clone()))?
            .clone();
        Some(Recalled { parent, membership })
    }

    /// Remembers what a send that went through was judged on.
    pub fn keep(&self, parent: Option<&Message>, membership: &Membership) {
        let mut maps = self.maps();
        if let Some(parent) = parent {
            // Its text plays no part in a send: not kept.
            let parent = Message {
                body: None,
                ..parent.clone()
            };
            put(&mut maps.parents, parent.id.clone(), parent);
        }
        let key = (membership.group_id.clone(), membership.user_id.clone());
        put(&mut maps.memberships, key, membership.clone());
    }

    /// Forgets what `new` was judged on: its guard found a change.
    pub fn forget(&self, new: &NewMessage) {
        let mut maps = self.maps();
        let group = match &new.to {
            Parent::Group(group) => Some(group.clone()),
            Parent::Message(id) => maps.parents.remove(id).map(|p| p.group_id),
        };
        if let Some(group) = group {
            maps.memberships.remove(&(group, new.author_id.clone()));
        }
    }
}
