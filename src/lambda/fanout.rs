//! Fan-out, the first stage of delivery: keeps the group's audience current
//! (a membership event changes it), then publishes one delivery message per
//! shard of the audience. It reads one item whatever the group's size, so
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
    /// Publishes every message; answers the number of calls made.
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
        let members = self.audience.size(&event.group_id).await?;
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
