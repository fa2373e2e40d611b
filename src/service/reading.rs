//! Read markers, unread counts and notification levels (`domain::reading`).

use super::Service;
use crate::domain::membership::Membership;
use crate::domain::message::Message;
use crate::domain::page::{Page, PageRequest};
use crate::domain::reading::{NotificationLevel, ReadState, SeenKey, UnreadSummary};
use crate::domain::{DomainError, DomainResult, GroupId, MessageId, UserId};

impl Service {
    async fn own_membership(&self, viewer: &UserId, group: &GroupId) -> DomainResult<Membership> {
        let key = (group.clone(), viewer.clone());
        let found = self.store.memberships(std::slice::from_ref(&key)).await?;
        found
            .into_iter()
            .next()
            .ok_or(DomainError::NotFound("membership"))
    }

    /// Moves the viewer's marker in the group to the message `up_to`
    /// (never backward).
    #[tracing::instrument(skip(self))]
    pub async fn mark_read(
        &self,
        viewer: &UserId,
        group: &GroupId,
        up_to: &MessageId,
    ) -> DomainResult<Membership> {
        crate::domain::access::people_only(viewer)?;
        self.throttle(viewer).await?;
        // Members only, before the message is looked at: a non-member's
        // answer is the same whatever group the message is in.
        self.require_member(viewer, group).await?;
        self.store.mark_read(group, viewer, up_to).await?;
        self.own_membership(viewer, group).await
    }

    /// How much of the group notifies the viewer: the store keeps it, and
    /// the push audience the fan-out reads hears of it at once.
    #[tracing::instrument(skip(self))]
    pub async fn set_notification_level(
        &self,
        viewer: &UserId,
        group: &GroupId,
        level: NotificationLevel,
    ) -> DomainResult<Membership> {
        crate::domain::access::people_only(viewer)?;
        self.throttle(viewer).await?;
        self.store.set_level(group, viewer, level).await?;
        self.push
            .set_level(group, viewer, level)
            .await
            .map_err(|e| DomainError::Internal(Box::new(e)))?;
        self.own_membership(viewer, group).await
    }

    /// The read states among `keys` (the schema's loader).
    pub async fn read_states(
        &self,
        keys: &[(GroupId, UserId)],
    ) -> DomainResult<Vec<((GroupId, UserId), ReadState)>> {
        Ok(self.store.read_states(keys).await?)
    }

    /// The viewer's unread messages and mentions over their groups.
    #[tracing::instrument(skip(self))]
    pub async fn unread_summary(&self, viewer: &UserId) -> DomainResult<UnreadSummary> {
        Ok(self.store.unread_summary(viewer).await?)
    }

    /// The members who have read `message` (their marker at or past it),
    /// its author left out, by how far they read; forward only.
    #[tracing::instrument(skip(self, message), fields(message = %message.id))]
    pub async fn seen_by(
        &self,
        viewer: &UserId,
        message: &Message,
        page: PageRequest<SeenKey>,
    ) -> DomainResult<Page<(SeenKey, Membership)>> {
        self.readable_group(viewer, &message.group_id).await?;
        let PageRequest::Forward { after, limit } = page else {
            return Err(DomainError::invalid("seenBy pages forward (first, after)"));
        };
        Ok(self.store.seen_by(&message.id, after, limit).await?)
    }
}
