use super::message_id;
use crate::graphql::context::{service, viewer};
use crate::graphql::errors::ApiResult;
use crate::graphql::types::{MembershipObject, NotificationLevelGql};
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct ReadingMutation;

#[Object]
impl ReadingMutation {
    /// Moves the viewer's read marker to the message `upTo` of the group
    /// (never backward): `unreadCount` then counts what came after it.
    async fn mark_read(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        up_to: ID,
    ) -> ApiResult<MembershipObject> {
        let (group, message) = (super::group_id(&group_id)?, message_id(&up_to)?);
        let membership = service(ctx)?
            .mark_read(viewer(ctx)?, &group, &message)
            .await?;
        Ok(MembershipObject(membership))
    }

    /// How much of the group notifies the viewer on their devices.
    async fn set_notification_level(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        level: NotificationLevelGql,
    ) -> ApiResult<MembershipObject> {
        let group = super::group_id(&group_id)?;
        let membership = service(ctx)?
            .set_notification_level(viewer(ctx)?, &group, level.into())
            .await?;
        Ok(MembershipObject(membership))
    }
}
