//! The storage port of the moderation log. Entries are written by the
//! writes they record, in their transaction; this reads them.

use super::StoreResult;
use crate::domain::moderation::ModerationEntry;
use crate::domain::page::{Page, PageRequest};
use crate::domain::GroupId;
use async_trait::async_trait;

/// Key of a group's log: (time in µs, entry id).
pub type LogKey = (i64, String);

#[async_trait]
pub trait Moderation: Send + Sync {
    /// A group's log, oldest first.
    async fn moderation_log(
        &self,
        group: &GroupId,
        page: PageRequest<LogKey>,
    ) -> StoreResult<Page<ModerationEntry>>;
}
