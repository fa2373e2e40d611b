use super::{BotObject, GroupObject};
use crate::domain::bot::Bot;
use crate::domain::Timestamp;
use crate::graphql::errors::ApiResult;
use crate::service::HookWithSecret;
use async_graphql::{Context, Object, ID};

/// An incoming webhook, seen through the bot it posts as.
pub struct IncomingWebhookObject(pub Bot);

#[Object(name = "IncomingWebhook")]
impl IncomingWebhookObject {
    pub async fn id(&self) -> ID {
        ID(self
            .0
            .hook_id
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default())
    }

    async fn group(&self, ctx: &Context<'_>) -> ApiResult<GroupObject> {
        super::load_related(ctx, self.0.group_id.clone(), "group")
            .await
            .map(GroupObject)
    }

    /// The bot the hook posts as.
    async fn bot(&self) -> BotObject {
        BotObject(self.0.clone())
    }

    async fn created_at(&self) -> Timestamp {
        self.0.created_at
    }
}

/// Where the server is reached, as the request that made a hook named it
/// (`https://host` behind API Gateway, `http://host:port` locally).
#[derive(Clone)]
pub struct BaseUrl(pub String);

/// A new incoming webhook and its URL, which carries its secret: shown this
/// once.
pub struct IncomingWebhookWithUrlObject(pub HookWithSecret);

#[Object(name = "IncomingWebhookWithUrl")]
impl IncomingWebhookWithUrlObject {
    async fn incoming_webhook(&self) -> IncomingWebhookObject {
        IncomingWebhookObject(self.0.bot.clone())
    }

    /// `POST` Slack's incoming-webhook JSON (`{"text": ...}`) here.
    async fn url(&self, ctx: &Context<'_>) -> String {
        let base = ctx.data_opt::<BaseUrl>().map_or("", |b| b.0.as_str());
        format!("{base}/hooks/{}/{}", self.0.hook_id, self.0.secret)
    }
}
