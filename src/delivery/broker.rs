//! The in-process event broker of the local server: one broadcast channel
//! per group with live subscribers.

use super::EventPublisher;
use crate::domain::event::DomainEvent;
use crate::domain::GroupId;
use async_trait::async_trait;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::broadcast;

/// Events a slow subscriber may fall behind by before it skips ahead (it
/// catches up with `messages(after:)`, like a reconnecting client).
const CHANNEL_CAPACITY: usize = 1_024;

#[derive(Default)]
pub struct Broker {
    channels: Mutex<HashMap<GroupId, broadcast::Sender<Arc<DomainEvent>>>>,
}

impl Broker {
    pub fn new() -> Self {
        Self::default()
    }

    /// A receiver of every event of `group` published from now on.
    pub fn subscribe(&self, group: &GroupId) -> broadcast::Receiver<Arc<DomainEvent>> {
        let mut channels = self.channels.lock();
        channels
            .entry(group.clone())
            .or_insert_with(|| broadcast::channel(CHANNEL_CAPACITY).0)
            .subscribe()
    }
}

#[async_trait]
impl EventPublisher for Broker {
    async fn publish(&self, event: DomainEvent) {
        let mut channels = self.channels.lock();
        if let Some(sender) = channels.get(&event.group_id) {
            if sender.send(Arc::new(event.clone())).is_err() {
                // Nobody listens any more: drop the channel.
                channels.remove(&event.group_id);
            }
        }
    }
}
