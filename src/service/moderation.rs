//! Moderation: the log's reader (its entries are written by the actions
//! they record).

use super::Service;
use crate::domain::moderation::ModerationEntry;
use crate::domain::page::{Page, PageRequest};
use crate::domain::{DomainError, DomainResult, GroupId, UserId};
use crate::store::LogKey;

impl Service {
    /// A group's moderation log, for its owner and admins.
    #[tracing::instrument(skip(self))]
    pub async fn moderation_log(
        &self,
        viewer: &UserId,
        group: &GroupId,
        page: PageRequest<LogKey>,
    ) -> DomainResult<Page<ModerationEntry>> {
        if !self.require_member(viewer, group).await?.is_admin() {
            return Err(DomainError::forbidden(
                "only the group's owner and admins see its moderation log",
            ));
        }
        Ok(self.store.moderation_log(group, page).await?)
    }
}
