//! The storage port of thread summaries and `myThreads`.

use super::StoreResult;
use crate::domain::page::{Page, PageRequest};
use crate::domain::thread::{Thread, ThreadKey};
use crate::domain::{GroupId, MessageId, UserId};
use async_trait::async_trait;

/// Summaries are written by the send itself (`Messages::post_message`
/// starts one for a top-level message and counts each reply on its root);
/// this port reads them.
#[async_trait]
pub trait Threads: Send + Sync {
    /// The summaries of these top-level messages (replies and unknown ids
    /// are left out).
    async fn threads(&self, roots: &[MessageId]) -> StoreResult<Vec<Thread>>;
    /// Which of `roots` `user` took part in: wrote, or replied under.
    async fn participated(&self, user: &UserId, roots: &[MessageId])
        -> StoreResult<Vec<MessageId>>;
    /// The threads `user` took part in (in one group, or all), by last
    /// activity, oldest first.
    async fn my_threads(
        &self,
        user: &UserId,
        group: Option<&GroupId>,
        page: PageRequest<ThreadKey>,
    ) -> StoreResult<Page<Thread>>;
}
