use super::group_id;
use crate::domain::group::{GroupPatch, NewGroup};
use crate::domain::text;
use crate::graphql::context::{service, viewer};
use crate::graphql::errors::ApiResult;
use crate::graphql::types::{GroupObject, VisibilityGql};
use async_graphql::{Context, InputObject, MaybeUndefined, Object, ID};

#[derive(InputObject)]
pub struct CreateGroupInput {
    name: String,
    #[graphql(secret)]
    description: Option<String>,
    visibility: Option<VisibilityGql>,
}

#[derive(InputObject)]
pub struct UpdateGroupInput {
    id: ID,
    name: Option<String>,
    /// null clears the description; leaving it out keeps it.
    #[graphql(secret)]
    description: MaybeUndefined<String>,
    visibility: Option<VisibilityGql>,
    /// Slow mode: a plain member posts or replies at most once this many
    /// seconds (0 to 3600; 0 is off). Owners, admins and bots are exempt.
    slow_mode_seconds: Option<i32>,
}

#[derive(Default)]
pub struct GroupMutation;

#[Object]
impl GroupMutation {
    /// Creates a group; the caller becomes its OWNER.
    async fn create_group(
        &self,
        ctx: &Context<'_>,
        input: CreateGroupInput,
    ) -> ApiResult<GroupObject> {
        let viewer = viewer(ctx)?;
        let group = NewGroup {
            name: text::group_name(&input.name)?,
            description: text::description(input.description.as_deref())?,
            visibility: input.visibility.map(Into::into).unwrap_or_default(),
        };
        Ok(GroupObject(
            service(ctx)?.create_group(viewer, group).await?,
        ))
    }

    /// Changes a group's name, description, visibility or slow mode (owner
    /// and admins).
    async fn update_group(
        &self,
        ctx: &Context<'_>,
        input: UpdateGroupInput,
    ) -> ApiResult<GroupObject> {
        let viewer = viewer(ctx)?;
        let id = group_id(&input.id)?;
        let patch = GroupPatch {
            name: input.name.as_deref().map(text::group_name).transpose()?,
            description: match input.description {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(d) => Some(text::description(Some(&d))?),
            },
            visibility: input.visibility.map(Into::into),
            slow_mode_seconds: input
                .slow_mode_seconds
                .map(|s| crate::domain::moderation::slow_mode(i64::from(s)))
                .transpose()?,
        };
        Ok(GroupObject(
            service(ctx)?.update_group(viewer, &id, patch).await?,
        ))
    }
}
