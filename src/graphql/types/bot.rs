use super::{load_related, GroupObject, UserObject};
use crate::domain::bot::Bot;
use crate::domain::Timestamp;
use crate::graphql::errors::ApiResult;
use crate::service::BotWithKey;
use async_graphql::{Context, Object, ID};

pub struct BotObject(pub Bot);

#[Object(name = "Bot")]
impl BotObject {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The bot's own user; it is a MEMBER of its group.
    async fn user(&self, ctx: &Context<'_>) -> ApiResult<UserObject> {
        load_related(ctx, self.0.user_id.clone(), "user")
            .await
            .map(UserObject)
    }

    async fn group(&self, ctx: &Context<'_>) -> ApiResult<GroupObject> {
        load_related(ctx, self.0.group_id.clone(), "group")
            .await
            .map(GroupObject)
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The first characters of its API key, to recognise it.
    async fn key_prefix(&self) -> &str {
        &self.0.key_prefix
    }

    async fn created_by(&self, ctx: &Context<'_>) -> ApiResult<UserObject> {
        load_related(ctx, self.0.created_by.clone(), "user")
            .await
            .map(UserObject)
    }

    async fn created_at(&self) -> Timestamp {
        self.0.created_at
    }

    /// When its key was last used, to the minute.
    async fn last_used_at(&self) -> Option<Timestamp> {
        self.0.last_used_at
    }

    async fn revoked_at(&self) -> Option<Timestamp> {
        self.0.revoked_at
    }

    /// Why the bot is disabled: its creator was removed, banned, left or is
    /// no longer an admin. A disabled bot's key does not sign in and its
    /// incoming hook posts nothing until `enableBot`.
    async fn disabled_reason(&self) -> Option<&str> {
        self.0.disabled_reason.as_deref()
    }
}

/// A bot and its API key: the key is shown this once and stored only as a
/// hash.
pub struct BotWithKeyObject(pub BotWithKey);

#[Object(name = "BotWithKey")]
impl BotWithKeyObject {
    async fn bot(&self) -> BotObject {
        BotObject(self.0.bot.clone())
    }

    async fn api_key(&self) -> &str {
        &self.0.api_key
    }
}
