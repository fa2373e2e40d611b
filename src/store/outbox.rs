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
    /// Confirms events published: they are pending no more (unknown ids
    /// are ignored). A store may keep them until [`Outbox::prune_published`].
    async fn confirm_events(&self, ids: &[EventId]) -> StoreResult<()>;
    /// Deletes up to `limit` confirmed events a store kept; how many. The
    /// sweeper calls it before listing what is pending.
    async fn prune_published(&self, limit: usize) -> StoreResult<usize>;
}
