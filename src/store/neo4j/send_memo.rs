//! What earlier sends through this process were checked on: the messages
//! replied to and the authors' memberships. A send that finds both here
//! skips the context read and goes straight to its guarded write, which
//! checks exactly what the memo could have wrong (the membership by its
//! `updatedAt`, the parent still live); when the guard finds a change, the
//! send forgets both and is checked again on a fresh read. A parent's other
//! fields used in the send (group, root, depth, author) never change.
//! Sends that name users always read: which of them are members is not
//! remembered.

use crate::domain::membership::Membership;
use crate::domain::message::{Message, NewMessage, Parent};
use crate::domain::{GroupId, MessageId, UserId};
use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::Mutex;

/// Entries per map; the least recently used goes first (a Lambda instance
/// serves a few hot threads and their authors, not the whole graph).
const CAPACITY: NonZeroUsize = NonZeroUsize::new(10_000).unwrap();

struct Maps {
    parents: LruCache<MessageId, Message>,
    /// The author's membership and the group's slow mode.
    memberships: LruCache<(GroupId, UserId), (Membership, u32)>,
}

pub(super) struct SendMemo {
    maps: Mutex<Maps>,
}

impl Default for SendMemo {
    fn default() -> Self {
        let maps = Maps {
            parents: LruCache::new(CAPACITY),
            memberships: LruCache::new(CAPACITY),
        };
        Self {
            maps: Mutex::new(maps),
        }
    }
}

/// A remembered context: the parent (`None` for a top-level post) and the
/// author's membership in the group the message goes to.
pub(super) struct Recalled {
    pub parent: Option<Message>,
    pub membership: Membership,
    pub slow_mode_seconds: u32,
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
        let mut maps = self.maps();
        let (group, parent) = match &new.to {
            Parent::Group(group) => (group.clone(), None),
            Parent::Message(id) => {
                let parent = maps.parents.get(id)?.clone();
                (parent.group_id.clone(), Some(parent))
            }
        };
        let (membership, slow_mode_seconds) = maps
            .memberships
            .get(&(group, new.author_id.clone()))?
            .clone();
        Some(Recalled {
            parent,
            membership,
            slow_mode_seconds,
        })
    }

    /// Remembers what a send that went through was checked on.
    pub fn keep(&self, parent: Option<&Message>, membership: &Membership, slow_mode_seconds: u32) {
        let mut maps = self.maps();
        if let Some(parent) = parent {
            // Its text plays no part in a send: not kept.
            let parent = Message {
                body: None,
                ..parent.clone()
            };
            maps.parents.put(parent.id.clone(), parent);
        }
        let key = (membership.group_id.clone(), membership.user_id.clone());
        maps.memberships
            .put(key, (membership.clone(), slow_mode_seconds));
    }

    /// Forgets what `new` was checked on: its guard found a change.
    pub fn forget(&self, new: &NewMessage) {
        let mut maps = self.maps();
        let group = match &new.to {
            Parent::Group(group) => Some(group.clone()),
            Parent::Message(id) => maps.parents.pop(id).map(|p| p.group_id),
        };
        if let Some(group) = group {
            maps.memberships.pop(&(group, new.author_id.clone()));
        }
    }
}
