//! Read markers, unread counts, levels and mentions in the embedded store
//! (the rules are `domain::reading`'s).

use super::{MemoryStore, State};
use crate::domain::membership::Membership;
use crate::domain::message::Message;
use crate::domain::page::Page;
use crate::domain::reading::{Marker, NotificationLevel, ReadState, SeenKey, UnreadSummary};
use crate::domain::{DomainError, GroupId, MessageId, UserId};
use crate::store::{Reads, StoreError, StoreResult};
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::ops::Bound::{Excluded, Included, Unbounded};

impl State {
    fn is_member(&self, group: &GroupId, user: &UserId) -> bool {
        let key = (group.clone(), user.clone());
        self.memberships.get(&key).is_some_and(|m| m.is_member())
    }

    /// The users of `named` who are members of the group.
    pub(super) fn members_among(&self, group: &GroupId, named: Vec<UserId>) -> Vec<UserId> {
        named
            .into_iter()
            .filter(|user| self.is_member(group, user))
            .collect()
    }

    /// Counts a new message in its group and in the markers it moves (its
    /// author's, the mentioned members'); returns its position.
    pub(super) fn count_post(&mut self, message: &Message) -> StoreResult<u64> {
        let row = self
            .groups
            .get_mut(&message.group_id)
            .ok_or(StoreError::NotFound("group"))?;
        row.posted += 1;
        let pos = row.posted;
        let group = &message.group_id;
        let author = (group.clone(), message.author_id.clone());
        self.move_marker(&author, |marker| marker.posted(pos));
        for user in message.mentions.iter().filter(|u| **u != message.author_id) {
            if let Some(marker) = self.markers.get_mut(&(group.clone(), user.clone())) {
                marker.mentioned(pos);
            }
        }
        Ok(pos)
    }

    /// After an edit or delete: keeps the message's mentions to members and
    /// the mentioned members' markers in step; returns the message.
    pub(super) fn remention(&mut self, id: &MessageId, before: &Message) -> StoreResult<Message> {
        let row = self
            .messages
            .get(id)
            .ok_or(StoreError::NotFound("message"))?;
        let (group, pos) = (row.message.group_id.clone(), row.pos);
        let named = row.message.mentions.clone();
        let now = self.members_among(&group, named);
        for user in before.mentions.iter().filter(|u| !now.contains(u)) {
            if let Some(marker) = self.markers.get_mut(&(group.clone(), user.clone())) {
                marker.unmentioned(pos);
            }
        }
        let author = before.author_id.clone();
        for user in now
            .iter()
            .filter(|u| !before.mentions.contains(u) && **u != author)
        {
            if self.is_member(&group, user) {
                if let Some(marker) = self.markers.get_mut(&(group.clone(), user.clone())) {
                    marker.mentioned(pos);
                }
            }
        }
        let row = self
            .messages
            .get_mut(id)
            .ok_or(StoreError::NotFound("message"))?;
        row.message.mentions = now;
        Ok(row.message.clone())
    }

    /// Adds (`listed`) or removes a member in their group's readers.
    pub(super) fn list_reader(&mut self, key: &(GroupId, UserId), listed: bool) {
        let Some(marker) = self.markers.get(key) else {
            return;
        };
        let entry = (marker.pos, key.1.to_string());
        let readers = self.readers.entry(key.0.clone()).or_default();
        if !listed {
            readers.remove(&entry);
        } else if !key.1.is_bot() {
            readers.insert(entry, ());
        }
    }

    /// Changes a member's marker, keeping the readers index in step.
    fn move_marker(&mut self, key: &(GroupId, UserId), change: impl FnOnce(&mut Marker)) {
        let listed = self
            .readers
            .get(&key.0)
            .zip(self.markers.get(key))
            .is_some_and(|(readers, m)| readers.contains_key(&(m.pos, key.1.to_string())));
        self.list_reader(key, false);
        if let Some(marker) = self.markers.get_mut(key) {
            change(marker);
        }
        if listed {
            self.list_reader(key, true);
        }
    }

    fn state_of(&self, key: &(GroupId, UserId)) -> Option<ReadState> {
        let marker = self.markers.get(key)?;
        let posted = self.groups.get(&key.0).map_or(0, |g| g.posted);
        Some(marker.state(posted))
    }

    /// The member's marker, for a change.
    fn member_marker(
        &mut self,
        group: &GroupId,
        user: &UserId,
    ) -> StoreResult<&mut crate::domain::reading::Marker> {
        if !self.groups.contains_key(group) {
            return Err(StoreError::NotFound("group"));
        }
        if !self.is_member(group, user) {
            return Err(StoreError::Rejected(crate::domain::reading::not_member()));
        }
        let key = (group.clone(), user.clone());
        Ok(self.markers.entry(key).or_default())
    }
}

#[async_trait]
impl Reads for MemoryStore {
    async fn mark_read(
        &self,
        group: &GroupId,
        user: &UserId,
        up_to: &MessageId,
    ) -> StoreResult<ReadState> {
        let mut state = self.state.lock();
        let row = state
            .messages
            .get(up_to)
            .ok_or(StoreError::NotFound("message"))?;
        if &row.message.group_id != group {
            return Err(StoreError::Rejected(DomainError::invalid(
                "upTo must be a message of the group",
            )));
        }
        let (pos, at) = (row.pos, row.message.created_at);
        state.member_marker(group, user)?;
        let key = (group.clone(), user.clone());
        state.move_marker(&key, |marker| marker.read_to(pos, at));
        state
            .state_of(&key)
            .ok_or(StoreError::NotFound("membership"))
    }

    async fn set_level(
        &self,
        group: &GroupId,
        user: &UserId,
        level: NotificationLevel,
    ) -> StoreResult<ReadState> {
        let mut state = self.state.lock();
        state.member_marker(group, user)?.level = level;
        let key = (group.clone(), user.clone());
        state
            .state_of(&key)
            .ok_or(StoreError::NotFound("membership"))
    }

    async fn read_states(
        &self,
        keys: &[(GroupId, UserId)],
    ) -> StoreResult<Vec<((GroupId, UserId), ReadState)>> {
        let state = self.state.lock();
        Ok(keys
            .iter()
            .filter_map(|key| Some((key.clone(), state.state_of(key)?)))
            .collect())
    }

    async fn seen_by(
        &self,
        message: &MessageId,
        after: Option<SeenKey>,
        limit: usize,
    ) -> StoreResult<Page<(SeenKey, Membership)>> {
        let state = self.state.lock();
        let row = state
            .messages
            .get(message)
            .ok_or(StoreError::NotFound("message"))?;
        let (group, author) = (&row.message.group_id, row.message.author_id.as_str());
        let empty = BTreeMap::new();
        let readers = state.readers.get(group).unwrap_or(&empty);
        // Readers from the message's position on: a range, not a scan.
        let floor = (row.pos, String::new());
        let cursor = after.map(|(pos, user)| (pos, user.to_string()));
        let start = match &cursor {
            Some(key) if *key >= floor => Excluded(key.clone()),
            _ => Included(floor.clone()),
        };
        let not_author = |((_, user), _): &(&(u64, String), &())| user != author;
        let mut items: Vec<(SeenKey, Membership)> = readers
            .range((start, Unbounded))
            .filter(not_author)
            .take(limit + 1)
            .filter_map(|((pos, user), _)| {
                let user = UserId::parse(user).ok()?;
                let m = state.memberships.get(&(group.clone(), user.clone()))?;
                Some(((*pos, user), m.clone()))
            })
            .collect();
        let has_next = items.len() > limit;
        items.truncate(limit);
        let has_previous = cursor.is_some_and(|key| {
            key >= floor
                && readers
                    .range((Included(floor), Included(key)))
                    .any(|entry| not_author(&entry))
        });
        Ok(Page {
            items,
            has_previous,
            has_next,
        })
    }

    async fn unread_summaries(&self, users: &[UserId]) -> StoreResult<Vec<UnreadSummary>> {
        let state = self.state.lock();
        let summary = |user: &UserId| {
            let mut summary = UnreadSummary::default();
            for (_, group) in state.by_user.get(user).into_iter().flat_map(|g| g.keys()) {
                if let Some(read) = state.state_of(&(group.clone(), user.clone())) {
                    summary.add(&read);
                }
            }
            summary
        };
        Ok(users.iter().map(summary).collect())
    }
}
