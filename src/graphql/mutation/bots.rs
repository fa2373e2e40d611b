use super::group_id;
use crate::domain::ids::{BotId, HookId};
use crate::graphql::context::{service, viewer};
use crate::graphql::errors::ApiResult;
use crate::graphql::types::{BotObject, BotWithKeyObject, IncomingWebhookWithUrlObject};
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct BotMutation;

#[Object]
impl BotMutation {
    /// Creates a bot for the group (owner and admins); the bot joins as a
    /// MEMBER. The API key is in the answer and nowhere else, ever.
    async fn create_bot(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "groupId")] group: ID,
        name: String,
    ) -> ApiResult<BotWithKeyObject> {
        let group = group_id(&group)?;
        let created = service(ctx)?
            .create_bot(viewer(ctx)?, &group, &name)
            .await?;
        Ok(BotWithKeyObject(created))
    }

    /// A new API key for the bot; the old one stops working at once.
    async fn rotate_bot_key(&self, ctx: &Context<'_>, bot_id: ID) -> ApiResult<BotWithKeyObject> {
        let id = BotId::parse(&bot_id)?;
        let rotated = service(ctx)?.rotate_bot_key(viewer(ctx)?, &id).await?;
        Ok(BotWithKeyObject(rotated))
    }

    /// Enables a bot (or incoming webhook) disabled when its creator lost
    /// the right to manage integrations (owner and admins).
    async fn enable_bot(&self, ctx: &Context<'_>, bot_id: ID) -> ApiResult<BotObject> {
        let id = BotId::parse(&bot_id)?;
        let enabled = service(ctx)?.enable_bot(viewer(ctx)?, &id).await?;
        Ok(BotObject(enabled))
    }

    /// Refuses the bot's key from now on; the bot leaves the group.
    async fn revoke_bot(&self, ctx: &Context<'_>, bot_id: ID) -> ApiResult<BotObject> {
        let id = BotId::parse(&bot_id)?;
        let revoked = service(ctx)?.revoke_bot(viewer(ctx)?, &id).await?;
        Ok(BotObject(revoked))
    }
}

#[derive(Default)]
pub struct HookMutation;

#[Object]
impl HookMutation {
    /// Makes an incoming webhook that posts as a new bot of the group
    /// (owner and admins). Its URL carries a secret: shown this once.
    async fn create_incoming_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "groupId")] group: ID,
        name: String,
    ) -> ApiResult<IncomingWebhookWithUrlObject> {
        let group = group_id(&group)?;
        let created = service(ctx)?
            .create_incoming_webhook(viewer(ctx)?, &group, &name)
            .await?;
        Ok(IncomingWebhookWithUrlObject(created))
    }

    /// Deletes the hook (its URL responds 404) and revokes its bot; false
    /// when there was no such hook.
    async fn delete_incoming_webhook(&self, ctx: &Context<'_>, id: ID) -> ApiResult<bool> {
        let id = HookId::parse(&id)?;
        Ok(service(ctx)?
            .delete_incoming_webhook(viewer(ctx)?, &id)
            .await?)
    }
}
