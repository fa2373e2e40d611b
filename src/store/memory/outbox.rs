//! The memory store's outbox: events recorded under the same lock as the
//! change they announce, dropped once confirmed published.

use super::{MemoryStore, State};
use crate::domain::event::DomainEvent;
use crate::domain::ids::EventId;
use crate::domain::Timestamp;
use crate::store::Recorded;
use crate::store::{Outbox, StoreResult};
use async_trait::async_trait;

impl State {
    pub(super) fn record<T>(&mut self, value: T, events: Vec<DomainEvent>) -> Recorded<T> {
        for event in &events {
            let key = (event.occurred_at, event.id.clone());
            self.outbox.insert(key, event.clone());
        }
        Recorded { value, events }
    }

    pub(super) fn pending_events(&self, before: Timestamp, limit: usize) -> Vec<DomainEvent> {
        self.outbox
            .values()
            .take_while(|e| e.occurred_at < before)
            .take(limit)
            .cloned()
            .collect()
    }

    /// The outbox only holds what is between commit and confirm: a scan.
    pub(super) fn confirm_events(&mut self, ids: &[EventId]) {
        self.outbox.retain(|(_, id), _| !ids.contains(id));
    }
}

#[async_trait]
impl Outbox for MemoryStore {
    async fn pending_events(
        &self,
        before: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<DomainEvent>> {
        Ok(self.state.lock().pending_events(before, limit))
    }

    async fn confirm_events(&self, ids: &[EventId]) -> StoreResult<()> {
        self.state.lock().confirm_events(ids);
        Ok(())
    }

    /// Nothing to prune: a confirmed event leaves the map at once.
    async fn prune_published(&self, _limit: usize) -> StoreResult<usize> {
        Ok(0)
    }
}
