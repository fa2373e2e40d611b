use super::{load_related, MessageObject, UserObject};
use crate::domain::moderation::ModerationEntry;
use crate::domain::Timestamp;
use crate::graphql::context::loader;
use crate::graphql::errors::ApiResult;
use crate::graphql::pagination::connection_type;
use async_graphql::{Context, Enum, Object, ID};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "ModerationAction",
    remote = "crate::domain::moderation::ModerationAction"
)]
pub enum ModerationActionGql {
    RoleChanged,
    Removed,
    Banned,
    Unbanned,
    Muted,
    Unmuted,
    MessageDeleted,
    ReportResolved,
    SlowModeChanged,
    BotCreated,
    BotRevoked,
    WebhookChanged,
    Pinned,
    Unpinned,
}

pub struct ModerationEntryObject(pub ModerationEntry);

connection_type!(
    ModerationEntryConnection,
    ModerationEntryEdge,
    ModerationEntryObject
);

/// One action of a group's owners and admins, as the moderation log keeps
/// it (append-only).
#[Object(name = "ModerationEntry")]
impl ModerationEntryObject {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// Who acted.
    async fn actor(&self, ctx: &Context<'_>) -> ApiResult<UserObject> {
        load_related(ctx, self.0.actor_id.clone(), "user")
            .await
            .map(UserObject)
    }

    async fn action(&self) -> ModerationActionGql {
        self.0.action.into()
    }

    /// The user acted on, if any.
    async fn target_user(&self, ctx: &Context<'_>) -> ApiResult<Option<UserObject>> {
        let Some(user) = &self.0.target_user else {
            return Ok(None);
        };
        Ok(loader(ctx)?.load_one(user.clone()).await?.map(UserObject))
    }

    /// The message acted on, if any.
    async fn target_message(&self, ctx: &Context<'_>) -> ApiResult<Option<MessageObject>> {
        let Some(message) = &self.0.target_message else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(message.clone())
            .await?
            .map(MessageObject))
    }

    /// What the actor gave as the reason, if anything.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }

    /// When a timed mute or ban ends.
    async fn until(&self) -> Option<Timestamp> {
        self.0.until
    }

    async fn at(&self) -> Timestamp {
        self.0.at
    }
}
