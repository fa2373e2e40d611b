//! The storage port of the outbox: events recorded with the change they
//! announce, kept until confirmed published (see `service::outbox`).

use super::StoreResult;
use crate::domain::event::DomainEvent;
use crate::domain::ids::EventId;
use crate::domain::Timestamp;
use async_trait::async_trait;

#[async_trait]
pub trait Outbox: Send + Sync {
    /// Recorded events not yet confirmed published, that occurred before
    /// `before`, oldest first.
    async fn pending_events(
        &self,
        before: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<DomainEvent>>;
    /// Drops published events from the outbox (unknown ids are ignored).
    async fn confirm_events(&self, ids: &[EventId]) -> StoreResult<()>;
}
