use crate::graphql::context::{service, viewer};
use crate::graphql::errors::ApiResult;
use crate::graphql::types::{DeviceObject, DevicePlatformGql, PushSubscriptionObject};
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

    /// Registers a native app's device for push (idempotent per token; a
    /// token registered by another user moves to the viewer).
    async fn register_device(
        &self,
        ctx: &Context<'_>,
        platform: DevicePlatformGql,
        token: String,
    ) -> ApiResult<DeviceObject> {
        let viewer = viewer(ctx)?;
        let device = service(ctx)?
            .register_device(viewer, platform.into(), &token)
            .await?;
        DeviceObject::of(device).ok_or_else(|| {
            crate::domain::DomainError::Internal("a device without a platform".into()).into()
        })
    }

    /// Removes the viewer's device with this token; false if none.
    async fn unregister_device(&self, ctx: &Context<'_>, token: String) -> ApiResult<bool> {
        Ok(service(ctx)?
            .unregister_device(viewer(ctx)?, &token)
            .await?)
    }
}
