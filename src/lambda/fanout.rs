//! Fan-out, the first stage of delivery: keeps the group's audience current
//! (a membership event changes it), then publishes one delivery message per
//! shard of the audience. It reads at most one item whatever the group's
//! size (none for a new message, which carries the member count), so
//! its time and its output grow with the number of shards, never with the
//! number of recipients; each shard is read and served by its own
//! `deliver` invocation, all in parallel.

use super::error::FanoutError;
use crate::delivery::audience::{Audience, Shard};
use crate::domain::event::DomainEvent;
use crate::service::ports::PushRegistry;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// What one `deliver` invocation handles (one delivery-topic message): an
/// event, and the shard of its group's audience to deliver it to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryShard {
    pub event: DomainEvent,
    pub shard: Shard,
}

/// Where delivery messages go (the delivery topic; the fan-out bench
/// models it with SNS's latency).
#[async_trait]
pub trait DeliveryQueue: Send + Sync + 'static {
    /// Publishes every message; returns the number of calls made.
    async fn send(&self, messages: Vec<String>) -> Result<usize, FanoutError>;
}

/// The delivery topic on SNS (PublishBatch, ten messages per call).
pub struct SnsDeliveryQueue {
    pub client: aws_sdk_sns::Client,
    pub topic_arn: String,
}

#[async_trait]
impl DeliveryQueue for SnsDeliveryQueue {
    async fn send(&self, messages: Vec<String>) -> Result<usize, FanoutError> {
        if messages.is_empty() {
            return Ok(0);
        }
        let calls =
            crate::delivery::sns::publish_batches(&self.client, &self.topic_arn, messages).await?;
        Ok(calls)
    }
}

pub struct Fanout {
    pub audience: Arc<dyn Audience>,
    pub push: Arc<dyn PushRegistry>,
    pub queue: Arc<dyn DeliveryQueue>,
    /// Members per shard.
    pub shard_size: usize,
}

/// What a fan-out did, for logs and benches.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FanoutReport {
    pub shards: usize,
    pub publish_calls: usize,
}

impl Fanout {
    #[tracing::instrument(skip_all, fields(group = %event.group_id, kind = ?event.kind))]
    pub async fn run(&self, event: &DomainEvent) -> Result<FanoutReport, FanoutError> {
        if let Some(membership) = &event.membership {
            // The user's devices, copied in should they be a member now.
            let pushes = self
                .push
                .of_users(std::slice::from_ref(&membership.user_id))
                .await?;
            self.audience.apply(membership, &pushes).await?;
        }
        // A send carries the count it saw; anything else reads it.
        let members = match event.member_count {
            Some(count) => count,
            None => self.audience.size(&event.group_id).await?,
        };
        let messages: Vec<String> = Shard::split(members, self.shard_size)
            .filter_map(|shard| {
                serde_json::to_string(&DeliveryShard {
                    event: event.clone(),
                    shard,
                })
                .ok()
            })
            .collect();
        let shards = messages.len();
        let publish_calls = self.queue.send(messages).await?;
        Ok(FanoutReport {
            shards,
            publish_calls,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delivery::audience::ShardAudience;
    use crate::domain::membership::Membership;
    use crate::domain::push::PushSubscription;
    use crate::domain::{GroupId, UserId};
    use crate::service::ports::RegistryError;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    /// An audience of 1,000 that counts how often its size is read.
    #[derive(Default)]
    struct Counted {
        size_reads: AtomicUsize,
    }

    #[async_trait]
    impl Audience for Counted {
        async fn size(&self, _: &GroupId) -> Result<u64, RegistryError> {
            self.size_reads.fetch_add(1, Ordering::SeqCst);
            Ok(1_000)
        }
        async fn shard(&self, _: &GroupId, _: Shard) -> Result<ShardAudience, RegistryError> {
            Ok(ShardAudience::default())
        }
        async fn apply(&self, _: &Membership, _: &[PushSubscription]) -> Result<(), RegistryError> {
            Ok(())
        }
    }

    #[derive(Default)]
    struct Sent(Mutex<Vec<String>>);

    #[async_trait]
    impl DeliveryQueue for Sent {
        async fn send(&self, messages: Vec<String>) -> Result<usize, FanoutError> {
            let calls = messages.len().div_ceil(10);
            self.0.lock().unwrap().extend(messages);
            Ok(calls)
        }
    }

    #[tokio::test]
    async fn an_event_that_carries_its_member_count_is_sharded_without_reading_the_audience() {
        let audience = Arc::new(Counted::default());
        let fanout = Fanout {
            audience: audience.clone(),
            push: Arc::new(crate::delivery::push::MemoryPushRegistry::default()),
            queue: Arc::new(Sent::default()),
            shard_size: 100,
        };
        let (group, user) = (GroupId::generate(), UserId::parse("ann").unwrap());
        let now = crate::domain::now();
        let event = DomainEvent::membership(Membership::founder(group, user, now), now);

        let sized = event.clone().with_member_count(Some(250));
        let report = fanout.run(&sized).await.unwrap();
        assert_eq!(report.shards, 3, "250 members, 100 per shard");
        assert_eq!(audience.size_reads.load(Ordering::SeqCst), 0);

        let report = fanout.run(&event).await.unwrap();
        assert_eq!(report.shards, 10, "the audience's 1,000");
        assert_eq!(audience.size_reads.load(Ordering::SeqCst), 1);
    }
}
