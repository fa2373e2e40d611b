use super::{load_related, GroupObject, MembershipStateGql, RoleGql, UserObject};
use crate::domain::membership::Membership;
use crate::domain::Timestamp;
use crate::graphql::errors::ApiResult;
use async_graphql::{Context, Object};

pub struct MembershipObject(pub Membership);

#[Object(name = "Membership")]
impl MembershipObject {
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

    async fn state(&self) -> MembershipStateGql {
        self.0.state.into()
    }

    /// Set while state is MEMBER.
    async fn role(&self) -> Option<RoleGql> {
        self.0.role.map(Into::into)
    }

    /// The applicant's note.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// Why the application was rejected, if the admin said.
    async fn rejection_reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }

    /// When the current state began.
    async fn since(&self) -> Timestamp {
        self.0.since
    }

    async fn updated_at(&self) -> Timestamp {
        self.0.updated_at
    }
}
