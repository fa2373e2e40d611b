//! Message writes and thread reads of the memory store.

use super::pages::FilterSome;
use super::{MemoryStore, MessageRow, State};
use crate::domain::event::DomainEvent;
use crate::domain::group::Group;
use crate::domain::keyset;
use crate::domain::membership::Membership;
use crate::domain::message::MessageChange;
use crate::domain::message::{Message, NewMessage, Parent, Posted};
use crate::domain::moderation::ModerationEntry;
use crate::domain::page::{Page, PageRequest};
use crate::domain::MessageId;
use crate::domain::UserId;
use crate::store::{Messages, Recorded};
use crate::store::{StoreError, StoreResult};
use async_trait::async_trait;
use std::collections::BTreeMap;

impl State {
    /// A send, checked and written under the store's lock: the parent, the
    /// group and the author's membership as `NewMessage` rules them, then
    /// an earlier send with the same key, then the parent's next seq.
    pub(super) fn post_message(&mut self, new: &NewMessage) -> StoreResult<Posted> {
        let id = new.id.clone();
        let parent = match new.parent_id() {
            None => None,
            Some(parent_id) => self.messages.get(parent_id).map(|row| &row.message),
        };
        let group_id = new.group(parent).map_err(StoreError::rejected)?;
        if !self.groups.contains_key(&group_id) {
            return Err(StoreError::NotFound("group"));
        }
        let author_key = (group_id.clone(), new.author_id.clone());
        let author = self.memberships.get(&author_key);
        let idempotency_key = new.idempotency_key(&group_id);
        // A retry finds its first message (slow mode or not).
        if let Some(existing) = idempotency_key
            .as_ref()
            .and_then(|k| self.client_ids.get(k))
            .filter(|_| author.is_some_and(|m| m.is_member()))
        {
            let row = self
                .messages
                .get(existing)
                .ok_or(StoreError::NotFound("message"))?;
            return Ok(Posted {
                message: row.message.clone(),
                created: false,
            });
        }
        let slow_mode = self
            .groups
            .get(&group_id)
            .map_or(0, |g| g.group.slow_mode_seconds);
        NewMessage::admit(author, slow_mode, new.now).map_err(StoreError::rejected)?;
        if let Some(author) = self.memberships.get_mut(&author_key) {
            author.last_post_at = Some(new.now);
        }
        let place = new.place(&id, parent).map_err(StoreError::rejected)?;
        // The parent hands out the next seq and counts the child.
        let seq = match &new.to {
            Parent::Group(group_id) => {
                let row = self
                    .groups
                    .get_mut(group_id)
                    .ok_or(StoreError::NotFound("group"))?;
                row.next_seq += 1;
                row.next_seq - 1
            }
            Parent::Message(parent_id) => {
                let row = self
                    .messages
                    .get_mut(parent_id)
                    .ok_or(StoreError::NotFound("message"))?;
                row.message.reply_count += 1;
                row.next_seq += 1;
                row.next_seq - 1
            }
        };
        let mut message = new.message(id.clone(), place, seq);
        message.mentions = self.members_among(&message.group_id, new.named());
        self.search.add(&message);
        let pos = self.count_post(&message)?;
        if message.parent_id.is_some() {
            self.threads.replied(&message, pos);
        } else {
            self.threads.started(&message);
        }
        self.children
            .entry(message.parent().key().to_owned())
            .or_default()
            .insert(seq, id.clone());
        if let Some(key) = idempotency_key {
            self.client_ids.insert(key, id.clone());
        }
        self.messages.insert(
            id,
            MessageRow {
                message: message.clone(),
                next_seq: 1,
                pos,
            },
        );
        Ok(Posted {
            message,
            created: true,
        })
    }

    pub(super) fn children(
        &self,
        parent: &Parent,
        page: &PageRequest<u64>,
    ) -> StoreResult<Page<Message>> {
        let exists = match parent {
            Parent::Group(id) => self.groups.contains_key(id),
            Parent::Message(id) => self.messages.contains_key(id),
        };
        if !exists {
            return Err(StoreError::NotFound(match parent {
                Parent::Group(_) => "group",
                Parent::Message(_) => "message",
            }));
        }
        let empty = BTreeMap::new();
        let thread = self.children.get(parent.key()).unwrap_or(&empty);
        let page = keyset::page(
            thread,
            page,
            |_, _| true,
            |_, id| self.messages.get(id).map(|r| r.message.clone()),
        );
        Ok(page.filter_some())
    }

    pub(super) fn ancestors(&self, id: &MessageId, last: usize) -> StoreResult<Vec<Message>> {
        let last = last.min(crate::domain::message::MAX_ANCESTORS);
        let mut chain = Vec::new();
        let mut next = self
            .messages
            .get(id)
            .ok_or(StoreError::NotFound("message"))?
            .message
            .parent_id
            .clone();
        while let Some(parent_id) = next.filter(|_| chain.len() < last) {
            let parent = &self
                .messages
                .get(&parent_id)
                .ok_or(StoreError::NotFound("message"))?
                .message;
            chain.push(parent.clone());
            next = parent.parent_id.clone();
        }
        chain.reverse();
        Ok(chain)
    }
}

#[async_trait]
impl Messages for MemoryStore {
    async fn post_message(&self, new: &NewMessage) -> StoreResult<Recorded<Posted>> {
        let mut state = self.state.lock();
        let posted = state.post_message(new)?;
        let parent = new.parent_id().and_then(|id| state.messages.get(id));
        let parent = parent.map(|row| &row.message);
        let members = state.groups.get(&posted.message.group_id);
        let members = members.map(|row| row.group.member_count);
        let events = DomainEvent::of_post(&posted, parent, new.now)
            .map(|event| event.with_member_count(members))
            .into_iter()
            .collect();
        Ok(state.record(posted, events))
    }

    async fn messages(&self, ids: &[MessageId]) -> StoreResult<Vec<Message>> {
        let state = self.state.lock();
        Ok(ids
            .iter()
            .filter_map(|id| state.messages.get(id).map(|r| r.message.clone()))
            .collect())
    }

    async fn children(
        &self,
        parent: &Parent,
        page: PageRequest<u64>,
    ) -> StoreResult<Page<Message>> {
        self.state.lock().children(parent, &page)
    }

    async fn ancestors(&self, id: &MessageId, last: usize) -> StoreResult<Vec<Message>> {
        self.state.lock().ancestors(id, last)
    }

    async fn change_message_logged(
        &self,
        id: &MessageId,
        change: &MessageChange,
        log: Option<&ModerationEntry>,
    ) -> StoreResult<Recorded<Message>> {
        let mut state = self.state.lock();
        let row = state
            .messages
            .get_mut(id)
            .ok_or(StoreError::NotFound("message"))?;
        let before = row.message.clone();
        change
            .apply(&mut row.message)
            .map_err(StoreError::Rejected)?;
        let after = state.remention(id, &before)?;
        state.search.reindex(&before, &after);
        if before.pinned_at.is_some() && after.pinned_at.is_none() {
            if let Some(group) = state.groups.get_mut(&after.group_id) {
                group.pins.retain(|pinned| pinned != id);
            }
        }
        if let Some(entry) = log {
            state.log.append(entry);
        }
        let events = DomainEvent::of_change(change, &before, after.clone());
        Ok(state.record(after, events.into_iter().collect()))
    }

    async fn message_access(
        &self,
        id: &MessageId,
        user: &UserId,
    ) -> StoreResult<Option<(Message, Group, Option<Membership>)>> {
        let state = self.state.lock();
        let Some(row) = state.messages.get(id) else {
            return Ok(None);
        };
        let access = state.access(&row.message.group_id, user);
        Ok(access.map(|(group, membership)| (row.message.clone(), group, membership)))
    }
}
