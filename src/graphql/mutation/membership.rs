use super::{group_id, user_id};
use crate::domain::membership::Action;
use crate::domain::text;
use crate::domain::Timestamp;
use crate::graphql::context::{service, viewer};
use crate::graphql::errors::ApiResult;
use crate::graphql::types::{GroupObject, MembershipObject, RoleGql};
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct MembershipMutation;

/// Runs one membership action of the viewer on `target` (the viewer when None).
async fn act(
    ctx: &Context<'_>,
    group: &ID,
    target: Option<&ID>,
    action: Action,
) -> ApiResult<MembershipObject> {
    let viewer = viewer(ctx)?;
    let group = group_id(group)?;
    let target = target
        .map(user_id)
        .transpose()?
        .unwrap_or_else(|| viewer.clone());
    let membership = service(ctx)?
        .change_membership(viewer, &group, &target, action)
        .await?;
    Ok(MembershipObject(membership))
}

#[Object]
impl MembershipMutation {
    /// Asks to join a group. Rejected and former members may apply again;
    /// banned users may not.
    async fn apply_to_group(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        #[graphql(secret)] note: Option<String>,
    ) -> ApiResult<MembershipObject> {
        let note = text::note(note.as_deref())?;
        act(ctx, &group_id, None, Action::Apply { note }).await
    }

    async fn withdraw_application(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
    ) -> ApiResult<MembershipObject> {
        act(ctx, &group_id, None, Action::Withdraw).await
    }

    async fn approve_application(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        user_id: ID,
    ) -> ApiResult<MembershipObject> {
        act(ctx, &group_id, Some(&user_id), Action::Approve).await
    }

    async fn reject_application(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        user_id: ID,
        #[graphql(secret)] reason: Option<String>,
    ) -> ApiResult<MembershipObject> {
        let reason = text::note(reason.as_deref())?;
        act(ctx, &group_id, Some(&user_id), Action::Reject { reason }).await
    }

    /// Leaves a group. The owner must transfer ownership first.
    async fn leave_group(&self, ctx: &Context<'_>, group_id: ID) -> ApiResult<MembershipObject> {
        act(ctx, &group_id, None, Action::Leave).await
    }

    async fn remove_member(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        user_id: ID,
    ) -> ApiResult<MembershipObject> {
        act(ctx, &group_id, Some(&user_id), Action::Remove).await
    }

    /// Bans a user (member, applicant or stranger); banned users cannot
    /// apply. With `until` (in the future, at most a year ahead) the ban
    /// ends by itself then; `reason` goes to the moderation log.
    async fn ban_member(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        user_id: ID,
        until: Option<Timestamp>,
        #[graphql(secret)] reason: Option<String>,
    ) -> ApiResult<MembershipObject> {
        let reason = text::note(reason.as_deref())?;
        act(
            ctx,
            &group_id,
            Some(&user_id),
            Action::Ban { until, reason },
        )
        .await
    }

    /// Lifts a ban before its end (owners and admins): the user may apply
    /// again. Logged as UNBANNED; a user not banned is CONFLICT.
    async fn unban_member(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        user_id: ID,
    ) -> ApiResult<MembershipObject> {
        act(ctx, &group_id, Some(&user_id), Action::Unban).await
    }

    /// Mutes a member: they read but cannot post, reply or react. With
    /// `until` (in the future, at most a year ahead) the mute ends by itself
    /// then; `reason` goes to the moderation log.
    async fn mute_member(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        user_id: ID,
        until: Option<Timestamp>,
        #[graphql(secret)] reason: Option<String>,
    ) -> ApiResult<MembershipObject> {
        let reason = text::note(reason.as_deref())?;
        act(
            ctx,
            &group_id,
            Some(&user_id),
            Action::Mute { until, reason },
        )
        .await
    }

    async fn unmute_member(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        user_id: ID,
    ) -> ApiResult<MembershipObject> {
        act(ctx, &group_id, Some(&user_id), Action::Unmute).await
    }

    /// Makes a member an ADMIN or a plain MEMBER (owner only).
    async fn set_member_role(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        user_id: ID,
        role: RoleGql,
    ) -> ApiResult<MembershipObject> {
        act(ctx, &group_id, Some(&user_id), Action::SetRole(role.into())).await
    }

    /// Hands the group to another member; the old owner becomes an ADMIN.
    async fn transfer_ownership(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        user_id: ID,
    ) -> ApiResult<GroupObject> {
        let viewer = viewer(ctx)?;
        let (group, target) = (super::group_id(&group_id)?, super::user_id(&user_id)?);
        Ok(GroupObject(
            service(ctx)?
                .transfer_ownership(viewer, &group, &target)
                .await?,
        ))
    }
}
