//! The in-process event broker of the local server: one broadcast channel
//! per group with live listeners, dropped with its last listener, and every
//! event handed to the webhook runner (`Service::run_webhooks`).

use crate::domain::event::DomainEvent;
use crate::domain::GroupId;
use crate::service::ports::{EventPublisher, LiveEvents, PublishError};
use async_trait::async_trait;
use futures_util::stream::{self, BoxStream, StreamExt};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::broadcast::{self, error::RecvError};

/// Events a slow subscriber may fall behind by before it skips ahead (it
/// catches up with `messages(after:)`, like a reconnecting client).
const CHANNEL_CAPACITY: usize = 1_024;

type Channels = Arc<Mutex<HashMap<GroupId, broadcast::Sender<Arc<DomainEvent>>>>>;

#[derive(Default)]
pub struct Broker {
    channels: Channels,
    webhooks: Option<tokio::sync::mpsc::UnboundedSender<DomainEvent>>,
}

impl Broker {
    pub fn new() -> Self {
        Self::default()
    }

    /// A broker that also hands every event to `webhooks`.
    pub fn with_webhooks(webhooks: tokio::sync::mpsc::UnboundedSender<DomainEvent>) -> Self {
        Self {
            channels: Channels::default(),
            webhooks: Some(webhooks),
        }
    }

    /// Groups with at least one listener.
    pub fn channel_count(&self) -> usize {
        self.channels.lock().len()
    }
}

/// One listener's receiver; the last one to go drops its group's channel.
struct Listener {
    receiver: broadcast::Receiver<Arc<DomainEvent>>,
    channels: Channels,
    group: GroupId,
}

impl Drop for Listener {
    fn drop(&mut self) {
        // Under the lock `listen` takes too, so no listener can join
        // between the count and the removal. This receiver still counts.
        let mut channels = self.channels.lock();
        if channels
            .get(&self.group)
            .is_some_and(|sender| sender.receiver_count() <= 1)
        {
            channels.remove(&self.group);
        }
    }
}

impl LiveEvents for Broker {
    fn listen(&self, group: &GroupId) -> BoxStream<'static, Arc<DomainEvent>> {
        let receiver = self
            .channels
            .lock()
            .entry(group.clone())
            .or_insert_with(|| broadcast::channel(CHANNEL_CAPACITY).0)
            .subscribe();
        let listener = Listener {
            receiver,
            channels: self.channels.clone(),
            group: group.clone(),
        };
        stream::unfold(listener, |mut listener| async move {
            loop {
                match listener.receiver.recv().await {
                    Ok(event) => return Some((event, listener)),
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                }
            }
        })
        .boxed()
    }
}

#[async_trait]
impl EventPublisher for Broker {
    async fn publish(&self, event: &DomainEvent) -> Result<(), PublishError> {
        if let Some(sender) = self.channels.lock().get(&event.group_id) {
            // No receiver means the last listener is leaving right now.
            let _ = sender.send(Arc::new(event.clone()));
        }
        if let Some(webhooks) = &self.webhooks {
            webhooks
                .send(event.clone())
                .map_err(|e| PublishError(e.into()))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_groups_channel_goes_with_its_last_listener_not_at_the_next_publish() {
        let broker = Broker::new();
        let (a, b) = (
            GroupId::parse("g_a").unwrap(),
            GroupId::parse("g_b").unwrap(),
        );
        let first = broker.listen(&a);
        let second = broker.listen(&a);
        let other = broker.listen(&b);
        assert_eq!(broker.channel_count(), 2);
        drop(first);
        assert_eq!(broker.channel_count(), 2, "a listener of g_a remains");
        drop(second);
        assert_eq!(
            broker.channel_count(),
            1,
            "g_a's channel went with its last listener"
        );
        drop(other);
        assert_eq!(broker.channel_count(), 0);
    }
}
