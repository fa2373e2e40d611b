//! In-process stand-ins for DynamoDB and SNS that take the time AWS takes
//! (a Query page 8 ms, PublishBatch 25 ms), for the fan-out scale curve
//! where moto (on this machine) cannot hold 100,000 subscribers.

use async_trait::async_trait;
use chorus::delivery::audience::SubscriptionRow;
use chorus::delivery::audience::{slot, Audience, Shard, ShardAudience};
use chorus::domain::membership::Membership;
use chorus::domain::push::PushSubscription;
use chorus::domain::{GroupId, UserId};
use chorus::lambda::error::FanoutError;
use chorus::lambda::fanout::DeliveryQueue;
use chorus::service::ports::RegistryError;
use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

pub const QUERY_PAGE: Duration = Duration::from_millis(8);
/// Items in one 1 MB Query page (a subscription item is ~400 bytes).
pub const ITEMS_PER_PAGE: usize = 2_500;
pub const PUBLISH_BATCH: Duration = Duration::from_millis(25);
pub const SNS_TO_LAMBDA: Duration = Duration::from_millis(70);
pub const MANAGEMENT_POST: Duration = Duration::from_millis(20);

/// A group whose every member has one open subscription, indexed by
/// slot as the audience table is, so that reading a shard costs the
/// modelled query time and not a scan of the whole group.
pub struct ModelAudience {
    pub group: GroupId,
    /// Members sorted by slot.
    by_slot: Vec<(u16, UserId)>,
    pub query: String,
}

impl ModelAudience {
    pub fn new(group: GroupId, members: Vec<UserId>, query: String) -> Self {
        let mut by_slot: Vec<(u16, UserId)> = members.into_iter().map(|u| (slot(&u), u)).collect();
        by_slot.sort_unstable();
        Self {
            group,
            by_slot,
            query,
        }
    }
}

fn pages(items: usize) -> u32 {
    items.div_ceil(ITEMS_PER_PAGE).max(1) as u32
}

#[async_trait]
impl Audience for ModelAudience {
    async fn size(&self, _group: &GroupId) -> Result<u64, RegistryError> {
        tokio::time::sleep(QUERY_PAGE).await; // one GetItem
        Ok(self.by_slot.len() as u64)
    }

    async fn shard(&self, group: &GroupId, shard: Shard) -> Result<ShardAudience, RegistryError> {
        let (first, last) = shard.slots();
        let start = self.by_slot.partition_point(|(s, _)| *s < first);
        let end = self.by_slot.partition_point(|(s, _)| *s <= last);
        let members: HashSet<UserId> = self.by_slot[start..end]
            .iter()
            .map(|(_, u)| u.clone())
            .collect();
        let sockets: Vec<SubscriptionRow> = members
            .iter()
            .map(|user| SubscriptionRow {
                connection_id: format!("{user}="),
                subscription_id: "live".into(),
                group_id: group.clone(),
                user_id: user.clone(),
                query: self.query.clone(),
                variables: Some(serde_json::json!({ "g": self.group })),
                operation_name: None,
                token_expires_at: None,
                key: None,
            })
            .collect();
        // The two queries (audience rows, subscriptions) run together.
        tokio::time::sleep(QUERY_PAGE * pages(members.len())).await;
        Ok(ShardAudience {
            sockets,
            members,
            ..ShardAudience::default()
        })
    }

    async fn apply(&self, _: &Membership, _: &[PushSubscription]) -> Result<(), RegistryError> {
        Ok(())
    }
}

/// The delivery topic: each call takes 25 ms, the calls of one fan-out
/// go out together (as `publish_batches` sends them).
#[derive(Default)]
pub struct ModelQueue {
    pub published: Mutex<Vec<String>>,
}

#[async_trait]
impl DeliveryQueue for ModelQueue {
    async fn send(&self, messages: Vec<String>) -> Result<usize, FanoutError> {
        let calls = messages.len().div_ceil(10);
        tokio::time::sleep(PUBLISH_BATCH).await;
        self.published.lock().unwrap().extend(messages);
        Ok(calls)
    }
}
