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
    /// Records that `user` was seen at `minute`, only if what is stored is
    /// at least a minute older (a conditional write: racing callers write
    /// once).
    async fn mark_seen(&self, user: &UserId, minute: Timestamp) -> StoreResult<()>;
    /// Hides (or shows) `user`'s presence from others.
    async fn set_presence_hidden(&self, user: &UserId, hidden: bool) -> StoreResult<User>;
    /// Which of `users` share a group with `viewer`, both `MEMBER`s.
    async fn sharing(&self, viewer: &UserId, users: &[UserId]) -> StoreResult<Vec<UserId>>;
}
