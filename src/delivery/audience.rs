//! A group's audience, as fan-out reads it: its members (with their push
//! subscriptions) and its open socket subscriptions, split into shards by a
//! hash of the user, so that each shard is read and served by one `deliver`
//! invocation and the first stage's work does not grow with the group.
//!
//! The audience is kept up to date where it changes (membership events in
//! `fanout`, push registrations in the push registry), never recomputed
//! from the database per message. A user's sockets and devices fall in the
//! same shard, so a shard alone tells who is online.

use crate::domain::event::DomainEvent;
use crate::domain::membership::Membership;
use crate::domain::push::PushSubscription;
use crate::domain::reading::NotificationLevel;
use crate::domain::{GroupId, UserId};
use crate::service::ports::RegistryError;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// A stored `groupEvents` subscription of one WebSocket connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionRow {
    pub connection_id: String,
    pub subscription_id: String,
    pub group_id: GroupId,
    pub user_id: UserId,
    /// The subscription's GraphQL document, variables and operation name,
    /// so every delivery returns exactly what the client asked.
    pub query: String,
    pub variables: Option<serde_json::Value>,
    pub operation_name: Option<String>,
    /// When the connection's token expires (epoch seconds): delivery
    /// stops and the connection is closed then.
    #[serde(default)]
    pub token_expires_at: Option<i64>,
    /// For a bot's connection, the hash of the key it was opened with:
    /// delivery closes the connection once the key no longer signs in.
    #[serde(default)]
    pub key: Option<String>,
}

/// Hash slots a group's audience is spread over.
pub const SLOTS: u32 = 1 << 16;
/// The most shards one event fans out to.
pub const MAX_SHARDS: u32 = 4096;

/// A user's slot: a stable hash (FNV-1a, folded to 16 bits), the same in
/// every process and version, since stored rows are keyed by it.
pub fn slot(user: &UserId) -> u16 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in user.as_str().bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    ((hash >> 16) ^ (hash & 0xffff)) as u16
}

/// One part of a group's audience: shard `index` of `count`, a contiguous
/// range of slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// The shards of an audience of `members`, at most `per_shard` each.
    pub fn split(members: u64, per_shard: usize) -> impl Iterator<Item = Shard> {
        let per_shard = per_shard.max(1) as u64;
        let count = members.div_ceil(per_shard).clamp(1, u64::from(MAX_SHARDS)) as u32;
        (0..count).map(move |index| Shard { index, count })
    }

    /// The first and last slot of the shard (inclusive).
    pub fn slots(self) -> (u16, u16) {
        let count = self.count.clamp(1, MAX_SHARDS);
        let index = self.index.min(count - 1);
        let first = index * SLOTS / count;
        let last = (index + 1) * SLOTS / count - 1;
        (first as u16, last as u16)
    }

    pub fn contains(self, user: &UserId) -> bool {
        let (first, last) = self.slots();
        (first..=last).contains(&slot(user))
    }
}

/// What one shard of a group's audience holds.
#[derive(Debug, Default, Clone)]
pub struct ShardAudience {
    /// The stored socket subscriptions of the shard's users.
    pub sockets: Vec<SubscriptionRow>,
    /// Its members now.
    pub members: HashSet<UserId>,
    /// Its users whose membership ended: their rows are refused.
    pub former: HashSet<UserId>,
    /// Members' push subscriptions and devices.
    pub pushes: Vec<PushSubscription>,
    /// Members' notification levels other than `ALL`.
    pub levels: std::collections::HashMap<UserId, NotificationLevel>,
}

impl ShardAudience {
    /// Whether the audience knows `user` as a member (`Some(true)`),
    /// knows them as a former one (`Some(false)`), or has never heard of
    /// them (`None`: a subscription older than the audience).
    pub fn knows_member(&self, user: &UserId) -> Option<bool> {
        if self.members.contains(user) {
            Some(true)
        } else if self.former.contains(user) {
            Some(false)
        } else {
            None
        }
    }

    /// The push subscriptions and devices a new message goes to: the
    /// shard's members `DomainEvent::notifies` picks.
    pub fn offline_pushes(&self, event: &DomainEvent) -> Vec<PushSubscription> {
        let online: HashSet<&UserId> = self.sockets.iter().map(|s| &s.user_id).collect();
        self.pushes
            .iter()
            .filter(|p| self.members.contains(&p.user_id))
            .filter(|p| {
                let level = self.levels.get(&p.user_id).copied().unwrap_or_default();
                event.notifies(&p.user_id, level, online.contains(&p.user_id))
            })
            .cloned()
            .collect()
    }
}

/// Where group audiences are kept (DynamoDB on AWS; the fan-out bench
/// models one with AWS's latencies).
#[async_trait]
pub trait Audience: Send + Sync + 'static {
    /// How many members the group has, as the audience counted them (it
    /// sizes the shards; any count covers every slot).
    async fn size(&self, group: &GroupId) -> Result<u64, RegistryError>;
    /// One shard of the group's audience.
    async fn shard(&self, group: &GroupId, shard: Shard) -> Result<ShardAudience, RegistryError>;
    /// Applies a membership change (idempotent; an older change than the
    /// one applied is ignored). `pushes` are the user's push subscriptions,
    /// copied in when they become a member.
    async fn apply(
        &self,
        membership: &Membership,
        pushes: &[PushSubscription],
    ) -> Result<(), RegistryError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_slot_once_whatever_their_count() {
        for members in [0, 1, 499, 500, 501, 10_000, 100_000, 10_000_000] {
            let shards: Vec<Shard> = Shard::split(members, 500).collect();
            assert!(!shards.is_empty() && shards.len() <= MAX_SHARDS as usize);
            let mut next = 0u32;
            for shard in shards {
                let (first, last) = shard.slots();
                assert_eq!(u32::from(first), next);
                next = u32::from(last) + 1;
            }
            assert_eq!(next, SLOTS);
        }
        assert_eq!(Shard::split(100_000, 100).count(), 1000);
    }

    #[test]
    fn users_spread_evenly_over_slots() {
        let shards: Vec<Shard> = Shard::split(10_000, 1_000).collect();
        let mut counts = vec![0usize; shards.len()];
        for i in 0..10_000 {
            let user = UserId::parse(&format!("user-{i}")).unwrap();
            let at = shards.iter().position(|s| s.contains(&user)).unwrap();
            counts[at] += 1;
        }
        assert!(
            counts.iter().all(|&n| (800..1_200).contains(&n)),
            "{counts:?}"
        );
    }
}
