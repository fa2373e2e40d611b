//! The storage port of groups.

use super::{Recorded, StoreResult};
use crate::domain::group::{Group, GroupPatch, NewGroup};
use crate::domain::membership::Membership;
use crate::domain::moderation::ModerationEntry;
use crate::domain::{GroupId, Timestamp, UserId};
use async_trait::async_trait;

#[async_trait]
pub trait Groups: Send + Sync {
    /// Creates a group with `owner` as its OWNER member (member count 1),
    /// recording the owner's membership event.
    async fn create_group(
        &self,
        group: &NewGroup,
        owner: &UserId,
        now: Timestamp,
    ) -> StoreResult<Recorded<(Group, Membership)>>;
    /// Applies `patch`, appending `log` (if any) to the moderation log in
    /// the same transaction.
    async fn update_group(
        &self,
        id: &GroupId,
        patch: &GroupPatch,
        log: Option<&ModerationEntry>,
    ) -> StoreResult<Group>;
    async fn groups(&self, ids: &[GroupId]) -> StoreResult<Vec<Group>>;
}
