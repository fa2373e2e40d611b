use crate::graphql::context::{service, viewer};
use crate::graphql::errors::ApiResult;
use crate::graphql::types::PushSubscriptionObject;
use async_graphql::{Context, InputObject, Object};

/// A browser's `PushSubscription` (endpoint and `keys`).
#[derive(InputObject)]
pub struct PushSubscriptionInput {
    endpoint: String,
    #[graphql(name = "p256dh")]
    p256dh: String,
    auth: String,
}

#[derive(Default)]
pub struct PushMutation;

#[Object]
impl PushMutation {
    async fn register_push_subscription(
        &self,
        ctx: &Context<'_>,
        input: PushSubscriptionInput,
    ) -> ApiResult<PushSubscriptionObject> {
        let viewer = viewer(ctx)?;
        let sub = service(ctx)?
            .register_push(viewer, &input.endpoint, &input.p256dh, &input.auth)
            .await?;
        Ok(PushSubscriptionObject(sub))
    }

    /// Removes the viewer's subscription with this endpoint; false if none.
    async fn unregister_push_subscription(
        &self,
        ctx: &Context<'_>,
        endpoint: String,
    ) -> ApiResult<bool> {
        Ok(service(ctx)?
            .unregister_push(viewer(ctx)?, &endpoint)
            .await?)
    }
}
