use super::group_id;
use crate::domain::ids::WebhookId;
use crate::domain::webhook::WebhookPatch;
use crate::graphql::context::{service, viewer};
use crate::graphql::errors::ApiResult;
use crate::graphql::types::{WebhookEventTypeGql, WebhookObject, WebhookWithSecretObject};
use async_graphql::{Context, InputObject, Object, ID};

#[derive(InputObject)]
pub struct CreateWebhookInput {
    pub group_id: ID,
    /// An https URL outside the deployment's own network.
    pub url: String,
    pub events: Vec<WebhookEventTypeGql>,
}

#[derive(InputObject)]
pub struct UpdateWebhookInput {
    pub id: ID,
    pub url: Option<String>,
    pub events: Option<Vec<WebhookEventTypeGql>>,
    /// `true` re-enables a disabled webhook, starting fresh.
    pub enabled: Option<bool>,
}

#[derive(Default)]
pub struct WebhookMutation;

#[Object]
impl WebhookMutation {
    /// Registers an outgoing webhook (owner and admins). The signing secret
    /// is in the answer and shown nowhere else.
    async fn create_webhook(
        &self,
        ctx: &Context<'_>,
        input: CreateWebhookInput,
    ) -> ApiResult<WebhookWithSecretObject> {
        let group = group_id(&input.group_id)?;
        let events: Vec<_> = input.events.into_iter().map(Into::into).collect();
        let created = service(ctx)?
            .create_webhook(viewer(ctx)?, &group, &input.url, &events)
            .await?;
        Ok(WebhookWithSecretObject(created))
    }

    async fn update_webhook(
        &self,
        ctx: &Context<'_>,
        input: UpdateWebhookInput,
    ) -> ApiResult<WebhookObject> {
        let id = WebhookId::parse(&input.id)?;
        let patch = WebhookPatch {
            url: input.url,
            events: input
                .events
                .map(|events| events.into_iter().map(Into::into).collect()),
            enabled: input.enabled,
            secret: None,
        };
        let updated = service(ctx)?
            .update_webhook(viewer(ctx)?, &id, patch)
            .await?;
        Ok(WebhookObject(updated))
    }

    /// A new signing secret, shown this once; the old one stops signing.
    async fn rotate_webhook_secret(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> ApiResult<WebhookWithSecretObject> {
        let id = WebhookId::parse(&id)?;
        let rotated = service(ctx)?
            .rotate_webhook_secret(viewer(ctx)?, &id)
            .await?;
        Ok(WebhookWithSecretObject(rotated))
    }

    /// false when there was no such webhook.
    async fn delete_webhook(&self, ctx: &Context<'_>, id: ID) -> ApiResult<bool> {
        let id = WebhookId::parse(&id)?;
        Ok(service(ctx)?.delete_webhook(viewer(ctx)?, &id).await?)
    }
}
