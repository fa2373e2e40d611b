//! Fan-out, the first stage of delivery: keeps the group's audience current
//! (a membership event changes it), then hands each shard of the audience
//! to delivery. It reads at most one item whatever the group's size (none
//! for a new message, which carries the member count), so its time and its
//! output grow with the number of shards, never with the number of
//! recipients. An audience of several shards is published, one delivery
//! message per shard, and each shard is served by its own `deliver`
//! invocation, all in parallel. An audience of one shard (most groups) is
//! delivered here, by the same code: a second SNS hop would cost ~100 ms
//! and buy no parallelism.

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

/// Delivers one shard within the fan-out's own invocation (`deliver`'s
/// code, which implements it).
#[async_trait]
pub trait ShardDelivery: Send + Sync + 'static {
    /// Delivers the shard; returns the number of frames sent.
    async fn deliver(&self, job: &DeliveryShard) -> Result<usize, FanoutError>;
}

/// Whether an audience of `members` is delivered by fan-out itself rather
/// than published for `deliver`: when it fits one shard.
pub fn delivers_itself(members: u64, shard_size: usize) -> bool {
    Shard::split(members, shard_size).nth(1).is_none()
}

pub struct Fanout {
    pub audience: Arc<dyn Audience>,
    pub push: Arc<dyn PushRegistry>,
    pub queue: Arc<dyn DeliveryQueue>,
    /// Where an audience of one shard is delivered.
    pub direct: Arc<dyn ShardDelivery>,
    /// Members per shard.
    pub shard_size: usize,
}

/// What a fan-out did, for logs and benches.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FanoutReport {
    pub shards: usize,
    pub publish_calls: usize,
    /// Frames sent by fan-out itself (an audience of one shard).
    pub direct_frames: Option<usize>,
}

impl Fanout {
    #[tracing::instrument(skip_all, fields(group = %event.group_id, kind = ?event.kind))]
    pub async fn run(&self, event: &DomainEvent) -> Result<FanoutReport, FanoutError> {
        if !event.kind.reaches_members() {
            return Ok(FanoutReport::default());
        }
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
        let jobs = Shard::split(members, self.shard_size).map(|shard| DeliveryShard {
            event: event.clone(),
            shard,
        });
        if delivers_itself(members, self.shard_size) {
            let mut report = FanoutReport::default();
            for job in jobs {
                report.shards += 1;
                report.direct_frames = Some(self.direct.deliver(&job).await?);
            }
            return Ok(report);
        }
        let messages: Vec<String> = jobs
            .filter_map(|job| serde_json::to_string(&job).ok())
            .collect();
        let shards = messages.len();
        let publish_calls = self.queue.send(messages).await?;
        Ok(FanoutReport {
            shards,
            publish_calls,
            direct_frames: None,
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

    /// Records the shards it was handed.
    #[derive(Default)]
    struct Direct(Mutex<Vec<DeliveryShard>>);

    #[async_trait]
    impl ShardDelivery for Direct {
        async fn deliver(&self, job: &DeliveryShard) -> Result<usize, FanoutError> {
            self.0.lock().unwrap().push(job.clone());
            Ok(1)
        }
    }

    fn fanout(audience: Arc<Counted>, queue: Arc<Sent>, direct: Arc<Direct>) -> Fanout {
        Fanout {
            audience,
            push: Arc::new(crate::delivery::push::MemoryPushRegistry::default()),
            queue,
            direct,
            shard_size: 100,
        }
    }

    fn membership_event() -> DomainEvent {
        let (group, user) = (GroupId::generate(), UserId::parse("ann").unwrap());
        let now = crate::domain::now();
        DomainEvent::membership(Membership::founder(group, user, now), now)
    }

    #[test]
    fn an_audience_is_delivered_in_place_exactly_when_it_fits_one_shard() {
        assert!(delivers_itself(0, 100));
        assert!(delivers_itself(1, 100));
        assert!(delivers_itself(100, 100));
        assert!(!delivers_itself(101, 100));
        assert!(!delivers_itself(10_000, 100));
        assert!(delivers_itself(5, 5) && !delivers_itself(6, 5));
    }

    #[tokio::test]
    async fn a_small_audience_is_delivered_in_place_and_a_large_one_is_published() {
        let (queue, direct) = (Arc::new(Sent::default()), Arc::new(Direct::default()));
        let fanout = fanout(Arc::default(), queue.clone(), direct.clone());
        let event = membership_event();

        let small = fanout
            .run(&event.clone().with_member_count(Some(100)))
            .await
            .unwrap();
        assert_eq!((small.shards, small.publish_calls), (1, 0));
        assert_eq!(small.direct_frames, Some(1));
        assert!(queue.0.lock().unwrap().is_empty(), "nothing published");
        let handed = direct.0.lock().unwrap().clone();
        assert_eq!(handed.len(), 1);
        assert_eq!((handed[0].shard.index, handed[0].shard.count), (0, 1));
        assert_eq!(handed[0].event.id, event.id);

        let large = fanout
            .run(&event.clone().with_member_count(Some(101)))
            .await
            .unwrap();
        assert_eq!((large.shards, large.publish_calls), (2, 1));
        assert_eq!(large.direct_frames, None);
        assert_eq!(queue.0.lock().unwrap().len(), 2, "one message per shard");
        assert_eq!(direct.0.lock().unwrap().len(), 1, "none delivered in place");
    }

    #[tokio::test]
    async fn an_event_that_carries_its_member_count_is_sharded_without_reading_the_audience() {
        let audience = Arc::new(Counted::default());
        let fanout = fanout(audience.clone(), Arc::default(), Arc::default());
        let event = membership_event();

        let sized = event.clone().with_member_count(Some(250));
        let report = fanout.run(&sized).await.unwrap();
        assert_eq!(report.shards, 3, "250 members, 100 per shard");
        assert_eq!(audience.size_reads.load(Ordering::SeqCst), 0);

        let report = fanout.run(&event).await.unwrap();
        assert_eq!(report.shards, 10, "the audience's 1,000");
        assert_eq!(audience.size_reads.load(Ordering::SeqCst), 1);
    }
}
