//! Native devices (React Native apps): registered as SNS platform endpoints
//! and kept beside Web Push subscriptions in the one push registry, so the
//! audience the fan-out reads holds both.

use super::Service;
use crate::domain::push::{self, DevicePlatform, NativeDevice, PushSubscription};
use crate::domain::{DomainError, DomainResult, UserId};

fn internal(err: crate::service::ports::RegistryError) -> DomainError {
    DomainError::Internal(Box::new(err))
}

impl Service {
    /// Records the device for the viewer (idempotent per token: a token
    /// registered by someone else moves to the viewer, as a phone changes
    /// hands) with its platform endpoint.
    #[tracing::instrument(skip_all, fields(user = %viewer, platform = ?platform))]
    pub async fn register_device(
        &self,
        viewer: &UserId,
        platform: DevicePlatform,
        token: &str,
    ) -> DomainResult<PushSubscription> {
        crate::domain::access::people_only(viewer)?;
        self.throttle(viewer).await?;
        let token = push::device_token(token)?;
        let held = self.push_subscriptions(viewer).await?;
        if let Some(same) = held.iter().find(|s| s.endpoint == token) {
            if same.device.as_ref().is_some_and(|d| d.platform == platform) {
                return Ok(same.clone());
            }
        } else if held.len() >= push::MAX_PER_USER {
            return Err(DomainError::Conflict(format!(
                "at most {} devices and push subscriptions per user: unregister one first",
                push::MAX_PER_USER
            )));
        }
        let arn = self
            .devices
            .create(platform, &token)
            .await
            .map_err(internal)?;
        let device = NativeDevice { platform, arn };
        let registered = PushSubscription::native(viewer.clone(), token, device, Self::now());
        self.push.put(&registered).await.map_err(internal)?;
        Ok(registered)
    }

    /// Removes the viewer's device with this token and its platform
    /// endpoint; `false` if the viewer has none.
    #[tracing::instrument(skip_all, fields(user = %viewer))]
    pub async fn unregister_device(&self, viewer: &UserId, token: &str) -> DomainResult<bool> {
        self.throttle(viewer).await?;
        let held = self.push_subscriptions(viewer).await?;
        let Some(device) = held
            .iter()
            .find(|s| s.endpoint == token)
            .and_then(|s| s.device.clone())
        else {
            return Ok(false);
        };
        let removed = self.push.remove(viewer, token).await.map_err(internal)?;
        if let Some(arn) = &device.arn {
            self.devices.delete(arn).await.map_err(internal)?;
        }
        Ok(removed)
    }

    /// The viewer's native devices.
    pub async fn devices(&self, viewer: &UserId) -> DomainResult<Vec<PushSubscription>> {
        let mut held = self.push_subscriptions(viewer).await?;
        held.retain(|s| s.device.is_some());
        held.sort_by_key(|s| s.created_at);
        Ok(held)
    }
}
