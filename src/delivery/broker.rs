//! The in-process event broker of the local server: one broadcast channel
//! per group with live listeners (and who they are, so pushes skip the
//! online), dropped with its last listener, and every event handed to the
//! local runner (`Service::run_local`: webhooks, pushes).

use crate::domain::event::DomainEvent;
use crate::domain::{GroupId, UserId};
use crate::service::ports::{
    EventPublisher, Lagged, LiveEvents, Online, PublishError, RegistryError,
};
use async_trait::async_trait;
use futures_util::stream::{self, BoxStream, StreamExt};
use parking_lot::Mutex;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use tokio::sync::broadcast::{self, error::RecvError};

/// Events a slow subscriber may fall behind by before it is told it lagged
/// (its socket closes; it catches up with `messages(after:)`).
const CHANNEL_CAPACITY: usize = 1_024;

/// A group's channel and how many streams each listening user holds.
struct Channel {
    sender: broadcast::Sender<Arc<DomainEvent>>,
    listeners: HashMap<UserId, usize>,
}

type Channels = Arc<Mutex<HashMap<GroupId, Channel>>>;

#[derive(Default)]
pub struct Broker {
    channels: Channels,
    runner: Option<tokio::sync::mpsc::UnboundedSender<DomainEvent>>,
}

impl Broker {
    pub fn new() -> Self {
        Self::default()
    }

    /// A broker that also hands every event to the local runner.
    pub fn with_runner(runner: tokio::sync::mpsc::UnboundedSender<DomainEvent>) -> Self {
        Self {
            channels: Channels::default(),
            runner: Some(runner),
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
    user: UserId,
}

impl Drop for Listener {
    fn drop(&mut self) {
        // Under the lock `listen` takes too, so no listener can join
        // between the count and the removal.
        let mut channels = self.channels.lock();
        let Some(channel) = channels.get_mut(&self.group) else {
            return;
        };
        if let Some(held) = channel.listeners.get_mut(&self.user) {
            *held -= 1;
            if *held == 0 {
                channel.listeners.remove(&self.user);
            }
        }
        if channel.listeners.is_empty() {
            channels.remove(&self.group);
        }
    }
}

impl LiveEvents for Broker {
    fn listen(
        &self,
        group: &GroupId,
        user: &UserId,
    ) -> BoxStream<'static, Result<Arc<DomainEvent>, Lagged>> {
        let receiver = {
            let mut channels = self.channels.lock();
            let channel = channels.entry(group.clone()).or_insert_with(|| Channel {
                sender: broadcast::channel(CHANNEL_CAPACITY).0,
                listeners: HashMap::new(),
            });
            *channel.listeners.entry(user.clone()).or_default() += 1;
            channel.sender.subscribe()
        };
        let listener = Listener {
            receiver,
            channels: self.channels.clone(),
            group: group.clone(),
            user: user.clone(),
        };
        stream::unfold(Some(listener), |listener| async move {
            let mut listener = listener?;
            match listener.receiver.recv().await {
                Ok(event) => Some((Ok(event), Some(listener))),
                Err(RecvError::Lagged(_)) => Some((Err(Lagged), None)),
                Err(RecvError::Closed) => None,
            }
        })
        .boxed()
    }

    fn online(&self, group: &GroupId) -> HashSet<UserId> {
        let channels = self.channels.lock();
        channels
            .get(group)
            .map(|c| c.listeners.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// Online: listening to any group's events (one pass over the groups
/// with listeners).
#[async_trait]
impl Online for Broker {
    async fn with_sockets(&self, users: &[UserId]) -> Result<HashSet<UserId>, RegistryError> {
        let channels = self.channels.lock();
        let listening = |user: &&UserId| channels.values().any(|c| c.listeners.contains_key(*user));
        Ok(users.iter().filter(listening).cloned().collect())
    }
}

#[async_trait]
impl EventPublisher for Broker {
    async fn publish(&self, event: &DomainEvent) -> Result<(), PublishError> {
        let channels = self.channels.lock();
        if let Some(channel) = channels
            .get(&event.group_id)
            .filter(|_| event.kind.reaches_members())
        {
            // No receiver means the last listener is leaving right now.
            let _ = channel.sender.send(Arc::new(event.clone()));
        }
        drop(channels);
        if let Some(runner) = &self.runner {
            runner
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
        let (ann, bob) = (UserId::parse("ann").unwrap(), UserId::parse("bob").unwrap());
        let first = broker.listen(&a, &ann);
        let second = broker.listen(&a, &ann);
        let third = broker.listen(&a, &bob);
        let other = broker.listen(&b, &bob);
        assert_eq!(broker.channel_count(), 2);
        assert_eq!(broker.online(&a), HashSet::from([ann.clone(), bob.clone()]));
        drop(first);
        assert_eq!(broker.channel_count(), 2, "a listener of g_a remains");
        assert!(broker.online(&a).contains(&ann), "ann has another stream");
        drop(third);
        assert_eq!(broker.online(&a), HashSet::from([ann.clone()]));
        drop(second);
        assert_eq!(
            broker.channel_count(),
            1,
            "g_a's channel went with its last listener"
        );
        drop(other);
        assert_eq!(broker.channel_count(), 0);
    }

    #[tokio::test]
    async fn a_listener_that_falls_behind_is_told_so_and_hears_nothing_more() {
        let broker = Broker::new();
        let group = GroupId::parse("g_a").unwrap();
        let ann = UserId::parse("ann").unwrap();
        let mut slow = broker.listen(&group, &ann);
        for _ in 0..=CHANNEL_CAPACITY {
            let posted: DomainEvent = serde_json::from_value(serde_json::json!({
                "id": crate::domain::ids::EventId::generate(),
                "type": "MEMBERSHIP_CHANGED",
                "groupId": "g_a",
                "occurredAt": "2026-01-01T00:00:00Z",
            }))
            .unwrap();
            broker.publish(&posted).await.unwrap();
        }
        assert_eq!(slow.next().await, Some(Err(Lagged)));
        assert!(slow.next().await.is_none(), "no events after a gap");
    }
}
