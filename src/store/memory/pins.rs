//! Pins of the memory store.

use super::MemoryStore;
use crate::domain::event::DomainEvent;
use crate::domain::message::Message;
use crate::domain::pin::PinChange;
use crate::domain::GroupId;
use crate::store::{Pins, Recorded, StoreError, StoreResult};
use async_trait::async_trait;

#[async_trait]
impl Pins for MemoryStore {
    async fn change_pin(&self, change: &PinChange) -> StoreResult<Recorded<Message>> {
        let mut state = self.state.lock();
        let row = state
            .messages
            .get(&change.message_id)
            .ok_or(StoreError::NotFound("message"))?;
        let mut message = row.message.clone();
        let group = &message.group_id;
        let actor = state.memberships.get(&(group.clone(), change.by.clone()));
        let row = state
            .groups
            .get(group)
            .ok_or(StoreError::NotFound("group"))?;
        let mut pins = row.pins.clone();
        let changed = change
            .decide(&mut message, actor, &mut pins)
            .map_err(StoreError::rejected)?;
        if changed {
            if let Some(row) = state.groups.get_mut(&message.group_id) {
                row.pins = pins;
            }
            if let Some(row) = state.messages.get_mut(&message.id) {
                row.message.pinned_at = message.pinned_at;
                row.message.pinned_by = message.pinned_by.clone();
            }
            state.log.append(&change.log_entry(&message));
        }
        let events = DomainEvent::of_pin(&message, change.pin, changed, change.now);
        Ok(state.record(message, events.into_iter().collect()))
    }

    async fn pinned_messages(&self, group: &GroupId) -> StoreResult<Vec<Message>> {
        let state = self.state.lock();
        let row = state
            .groups
            .get(group)
            .ok_or(StoreError::NotFound("group"))?;
        let pinned = row.pins.iter().filter_map(|id| state.messages.get(id));
        Ok(pinned.map(|row| row.message.clone()).collect())
    }
}
