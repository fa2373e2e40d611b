//! Committed ⇒ delivered, at least once. Every write records its events in
//! the store's outbox in its own transaction. After the commit the service
//! relays them (publish, then confirm) in a task of its own, waiting for it
//! at most `publish_wait` so a slow or absent broker never holds a
//! mutation; a sweeper re-publishes whatever stayed unconfirmed. Every
//! copy carries the event's id, so consumers drop duplicates.

use super::ports::EventPublisher;
use super::Service;
use crate::domain::event::DomainEvent;
use crate::domain::{DomainResult, MessageId, Timestamp};
use crate::store::Store;
use std::time::Duration;

/// How old an unconfirmed event must be before the sweeper takes it: the
/// relay that follows its write has had its chance.
pub const SWEEP_GRACE: Duration = Duration::from_secs(30);
/// Events one sweep reads per page, and the most pages one sweep takes.
const SWEEP_PAGE: usize = 100;
const SWEEP_PAGES: usize = 50;
/// Confirmed events deleted per sweep at most (a minute of a busy
/// deployment; the rest go at the next).
const SWEEP_PRUNE: usize = 20_000;

/// What a sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sweep {
    pub published: usize,
    pub failed: usize,
    /// Confirmed events the store kept, deleted now.
    pub pruned: usize,
}

/// What one relay did.
struct Relayed {
    sent: usize,
    /// The sent events left the outbox (false: they will be sent again).
    confirmed: bool,
}

/// Publishes `events` and confirms those that went out.
async fn relay(
    store: &dyn Store,
    publisher: &dyn EventPublisher,
    events: &[DomainEvent],
) -> Relayed {
    let mut sent = Vec::with_capacity(events.len());
    for event in events {
        match publisher.publish(event).await {
            Ok(()) => sent.push(event.id.clone()),
            Err(err) => {
                tracing::warn!(error = %err, event = %event.id, "publish failed; the sweeper retries")
            }
        }
    }
    if sent.is_empty() {
        return Relayed {
            sent: 0,
            confirmed: true,
        };
    }
    let confirmed = match store.confirm_events(&sent).await {
        Ok(()) => true,
        Err(err) => {
            // Published but still pending: the sweeper publishes them
            // again, and consumers drop the duplicates by id.
            tracing::warn!(error = %err, "confirming published events failed");
            false
        }
    };
    Relayed {
        sent: sent.len(),
        confirmed,
    }
}

impl Service {
    /// Where every write through the service ends, with what it recorded:
    /// forgets the request's memo of access checks (`memo`: what it holds
    /// may have changed), then sends the events, off the request path.
    pub(super) async fn announce(&self, events: Vec<DomainEvent>) {
        if let Some(memo) = &self.memo {
            memo.forget();
        }
        if events.is_empty() {
            return;
        }
        let (store, publisher) = (self.store.clone(), self.events.clone());
        let task = tokio::spawn(async move { relay(&*store, &*publisher, &events).await });
        // Usually done in milliseconds; if not, the task goes on (or the
        // sweeper takes over) and the mutation returns now.
        let _ = tokio::time::timeout(self.publish_wait, task).await;
    }

    /// Publishes events still unconfirmed `SWEEP_GRACE` after they
    /// occurred, oldest first; stops at the first page with a failure.
    #[tracing::instrument(skip(self))]
    pub async fn sweep_outbox(&self, now: Timestamp) -> DomainResult<Sweep> {
        let grace = chrono::Duration::from_std(SWEEP_GRACE).unwrap_or_default();
        let before = now - grace;
        // Confirmed events a store kept go first, in bulk.
        let mut report = Sweep {
            pruned: self.store.prune_published(SWEEP_PRUNE).await?,
            ..Sweep::default()
        };
        for _ in 0..SWEEP_PAGES {
            let page = self.store.pending_events(before, SWEEP_PAGE).await?;
            if page.is_empty() {
                break;
            }
            let page = self.as_stored_now(page).await?;
            let relayed = relay(&*self.store, &*self.events, &page).await;
            report.published += relayed.sent;
            report.failed += page.len() - relayed.sent;
            // A failure, or a page still pending, would only repeat itself.
            if relayed.sent < page.len() || !relayed.confirmed {
                break;
            }
        }
        if report != Sweep::default() {
            tracing::info!(
                published = report.published,
                failed = report.failed,
                pruned = report.pruned,
                "outbox swept"
            );
        }
        Ok(report)
    }

    /// Events as they may go out now: a message deleted since its event
    /// (by its author, a moderator, or with its author's account) goes as
    /// the tombstone it is. Late sends (the sweep's, webhook retries) carry
    /// no text that was deleted meanwhile.
    pub(super) async fn as_stored_now(
        &self,
        mut events: Vec<DomainEvent>,
    ) -> DomainResult<Vec<DomainEvent>> {
        let live: Vec<MessageId> = (events.iter())
            .filter_map(|e| e.message.as_ref().filter(|m| !m.is_deleted()))
            .map(|m| m.id.clone())
            .collect();
        if live.is_empty() {
            return Ok(events);
        }
        let stored = self.store.messages(&live).await?;
        for event in &mut events {
            let Some(sent) = &event.message else {
                continue;
            };
            if let Some(now) = stored.iter().find(|m| m.id == sent.id && m.is_deleted()) {
                event.message = Some(now.clone());
            }
        }
        Ok(events)
    }
}
