use super::message_id;
use crate::graphql::context::{service, viewer};
use crate::graphql::errors::ApiResult;
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct LiveMutation;

#[Object]
impl LiveMutation {
    /// Tells the group the viewer is typing (`parentId`: in a reply to that
    /// message), or stopped. Members only. A `true` goes out at most once
    /// per 3 s per user, group and parent (more calls return `true` and
    /// send nothing); `false` goes out at once. Never stored, pushed or
    /// sent to webhooks.
    async fn set_typing(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        parent_id: Option<ID>,
        #[graphql(default = true)] typing: bool,
    ) -> ApiResult<bool> {
        let viewer = viewer(ctx)?;
        let group = super::group_id(&group_id)?;
        let parent = parent_id.as_ref().map(message_id).transpose()?;
        Ok(service(ctx)?
            .set_typing(viewer, &group, parent, typing)
            .await?)
    }

    /// Shows (`true`) or hides the viewer's presence from others (they
    /// then see `online: false` and no `lastSeenAt`).
    async fn set_presence_visible(
        &self,
        ctx: &Context<'_>,
        visible: bool,
    ) -> ApiResult<crate::graphql::types::UserObject> {
        let user = service(ctx)?
            .set_presence_visible(viewer(ctx)?, visible)
            .await?;
        Ok(crate::graphql::types::UserObject(user))
    }
}
