use super::{
    load_related, GroupObject, MembershipStateGql, NotificationLevelGql, RoleGql, UserObject,
};
use crate::domain::access::can_read_private_text;
use crate::domain::ids::membership_id;
use crate::domain::membership::Membership;
use crate::domain::reading::ReadState;
use crate::domain::Timestamp;
use crate::graphql::context::{loader, viewer};
use crate::graphql::errors::ApiResult;
use crate::graphql::loaders::ReadKey;
use crate::graphql::pagination::connection_type;
use async_graphql::{Context, Object, ID};

pub struct MembershipObject(pub Membership);

connection_type!(MembershipConnection, MembershipEdge, MembershipObject);

impl MembershipObject {
    /// `text` (the note or the reason) if the viewer may read this
    /// membership's private text, else `None`.
    async fn private<'a>(
        &self,
        ctx: &Context<'_>,
        text: Option<&'a str>,
    ) -> ApiResult<Option<&'a str>> {
        let viewer = viewer(ctx)?;
        let key = (self.0.group_id.clone(), viewer.clone());
        let own = loader(ctx)?.load_one(key).await?;
        Ok(text.filter(|_| can_read_private_text(&self.0, viewer, own.as_ref())))
    }

    async fn read_state(&self, ctx: &Context<'_>) -> ApiResult<ReadState> {
        let key = ReadKey(self.0.group_id.clone(), self.0.user_id.clone());
        Ok(loader(ctx)?.load_one(key).await?.unwrap_or_default())
    }
}

#[Object(name = "Membership")]
impl MembershipObject {
    /// Stable for one (group, user) pair across state changes.
    pub async fn id(&self) -> ID {
        ID(membership_id(&self.0.group_id, &self.0.user_id))
    }

    async fn group(&self, ctx: &Context<'_>) -> ApiResult<GroupObject> {
        load_related(ctx, self.0.group_id.clone(), "group")
            .await
            .map(GroupObject)
    }

    async fn user(&self, ctx: &Context<'_>) -> ApiResult<UserObject> {
        load_related(ctx, self.0.user_id.clone(), "user")
            .await
            .map(UserObject)
    }

    /// As it stands now: a ban whose `bannedUntil` has passed reads LEFT.
    async fn state(&self) -> MembershipStateGql {
        self.0.at(crate::domain::now()).state.into()
    }

    /// Set while state is MEMBER.
    async fn role(&self) -> Option<RoleGql> {
        self.0.role.map(Into::into)
    }

    /// The applicant's note: for the applicant and the group's admins
    /// (null for everyone else).
    async fn note(&self, ctx: &Context<'_>) -> ApiResult<Option<&str>> {
        self.private(ctx, self.0.note.as_deref()).await
    }

    /// Why the application was rejected, if the admin said: for the
    /// applicant and the group's admins (null for everyone else).
    async fn rejection_reason(&self, ctx: &Context<'_>) -> ApiResult<Option<&str>> {
        self.private(ctx, self.0.reason.as_deref()).await
    }

    /// When the current state began.
    async fn since(&self) -> Timestamp {
        self.0.at(crate::domain::now()).since
    }

    /// While muted: when the mute ends (9999-12-31T23:59:59Z for a mute
    /// without an end). A muted member reads but cannot post, reply or react.
    async fn muted_until(&self) -> Option<Timestamp> {
        self.0.at(crate::domain::now()).muted_until
    }

    /// While banned: when the ban ends (null for a ban without an end).
    async fn banned_until(&self) -> Option<Timestamp> {
        self.0.at(crate::domain::now()).banned_until
    }

    async fn updated_at(&self) -> Timestamp {
        self.0.updated_at
    }

    /// What of the group notifies the member on their devices.
    async fn notification_level(&self, ctx: &Context<'_>) -> ApiResult<NotificationLevelGql> {
        Ok(self.read_state(ctx).await?.level.into())
    }

    /// The time of the last message the member marked read (`markRead`).
    async fn last_read_at(&self, ctx: &Context<'_>) -> ApiResult<Option<Timestamp>> {
        Ok(self.read_state(ctx).await?.last_read_at)
    }
}
