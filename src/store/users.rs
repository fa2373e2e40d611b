//! The storage port of users.

use super::StoreResult;
use crate::domain::user::{Profile, User};
use crate::domain::{Timestamp, UserId};
use async_trait::async_trait;

#[async_trait]
pub trait Users: Send + Sync {
    /// Creates the user on first sign-in; refreshes name and picture later.
    async fn upsert_user(&self, profile: &Profile, now: Timestamp) -> StoreResult<User>;
    /// The users that exist among `ids`, in any order.
    async fn users(&self, ids: &[UserId]) -> StoreResult<Vec<User>>;
}
