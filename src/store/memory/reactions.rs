//! Reactions of the memory store.

use super::MemoryStore;
use crate::domain::event::DomainEvent;
use crate::domain::keyset;
use crate::domain::message::Message;
use crate::domain::page::{Page, PageRequest};
use crate::domain::reaction::{Reacted, Reaction, ReactionChange, ReactorKey};
use crate::domain::{MessageId, UserId};
use crate::store::{Reactions, Recorded, StoreError, StoreResult};
use async_trait::async_trait;
use std::collections::{BTreeMap, HashMap};

/// Every reaction, twice: by holder (a user's keys on a message, in the
/// order added) and by key (a key's reactors, in reactor-list order).
#[derive(Default)]
pub(super) struct ReactionTable {
    held: HashMap<(MessageId, UserId), Vec<Reaction>>,
    by_key: HashMap<(MessageId, String), BTreeMap<ReactorKey, Reaction>>,
}

impl ReactionTable {
    /// Every reaction `user` holds, by reaction id.
    pub(super) fn of_user(&self, user: &UserId) -> Vec<Reaction> {
        let mut held: Vec<Reaction> = (self.held.iter())
            .filter(|((_, holder), _)| holder == user)
            .flat_map(|(_, reactions)| reactions.iter().cloned())
            .collect();
        held.sort_by_key(Reaction::id);
        held
    }

    fn keys_of(&self, message: &MessageId, user: &UserId) -> Vec<String> {
        let held = self.held.get(&(message.clone(), user.clone()));
        held.into_iter().flatten().map(|r| r.key.clone()).collect()
    }

    /// Keeps an added reaction, or drops a removed one and returns it.
    fn apply(&mut self, reaction: &Reaction, add: bool) -> Option<Reaction> {
        let holder = (reaction.message_id.clone(), reaction.user_id.clone());
        let list = (reaction.message_id.clone(), reaction.key.clone());
        let held = self.held.entry(holder).or_default();
        if add {
            held.push(reaction.clone());
            let reactors = self.by_key.entry(list).or_default();
            reactors.insert(reaction.page_key(), reaction.clone());
            return None;
        }
        let i = held.iter().position(|r| r.key == reaction.key)?;
        let gone = held.remove(i);
        if let Some(reactors) = self.by_key.get_mut(&list) {
            reactors.remove(&gone.page_key());
        }
        Some(gone)
    }
}

#[async_trait]
impl Reactions for MemoryStore {
    async fn change_reaction(&self, change: &ReactionChange) -> StoreResult<Recorded<Message>> {
        let mut state = self.state.lock();
        let held = state.reactions.keys_of(&change.message_id, &change.user_id);
        let row = state
            .messages
            .get(&change.message_id)
            .ok_or(StoreError::NotFound("message"))?;
        let mut message = row.message.clone();
        let membership = state
            .memberships
            .get(&(message.group_id.clone(), change.user_id.clone()));
        let mut changed = change
            .decide(&mut message, membership, &held)
            .map_err(StoreError::rejected)?;
        if let Some(reaction) = &mut changed {
            if let Some(gone) = state.reactions.apply(reaction, change.add) {
                reaction.created_at = gone.created_at;
            }
            if let Some(row) = state.messages.get_mut(&change.message_id) {
                row.message.reactions = message.reactions.clone();
            }
        }
        let reacted = Reacted { message, changed };
        let events = DomainEvent::of_reaction(&reacted, change.add, change.now);
        Ok(state.record(reacted.message, events.into_iter().collect()))
    }

    async fn reactions_of(
        &self,
        user: &UserId,
        messages: &[MessageId],
    ) -> StoreResult<Vec<Reaction>> {
        let state = self.state.lock();
        let mut found: Vec<Reaction> = messages
            .iter()
            .filter_map(|m| state.reactions.held.get(&(m.clone(), user.clone())))
            .flatten()
            .cloned()
            .collect();
        found.sort_by_key(Reaction::page_key);
        Ok(found)
    }

    async fn reactors(
        &self,
        message: &MessageId,
        key: &str,
        page: PageRequest<ReactorKey>,
    ) -> StoreResult<Page<Reaction>> {
        let state = self.state.lock();
        let empty = BTreeMap::new();
        let list = state
            .reactions
            .by_key
            .get(&(message.clone(), key.to_owned()));
        let list = list.unwrap_or(&empty);
        Ok(keyset::page(list, &page, |_, _| true, |_, r| r.clone()))
    }
}
