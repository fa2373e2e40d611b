use super::Service;
use crate::domain::push::{self, PushSubscription};
use crate::domain::{DomainError, DomainResult, UserId};

impl Service {
    #[tracing::instrument(skip_all, fields(user = %viewer))]
    pub async fn register_push(
        &self,
        viewer: &UserId,
        endpoint: &str,
        p256dh: &str,
        auth: &str,
    ) -> DomainResult<PushSubscription> {
        crate::domain::access::people_only(viewer)?;
        self.throttle(viewer).await?;
        let endpoint = push::endpoint(endpoint)?;
        // The same address rule as webhook URLs: the parsed URL, not a
        // prefix (`http://127.0.0.1@evil.test/` names evil.test).
        self.webhooks.transport.check(&endpoint).await?;
        let (p256dh, auth) = push::keys(p256dh, auth)?;
        let held = self.push_subscriptions(viewer).await?;
        if held.len() >= push::MAX_PER_USER && !held.iter().any(|s| s.endpoint == endpoint) {
            return Err(DomainError::Conflict(format!(
                "at most {} push subscriptions per user: unregister one first",
                push::MAX_PER_USER
            )));
        }
        let subscription = PushSubscription {
            user_id: viewer.clone(),
            endpoint,
            p256dh,
            auth,
            created_at: Self::now(),
            device: None,
        };
        self.push
            .put(&subscription)
            .await
            .map_err(|e| DomainError::Internal(Box::new(e)))?;
        Ok(subscription)
    }

    #[tracing::instrument(skip_all, fields(user = %viewer))]
    pub async fn unregister_push(&self, viewer: &UserId, endpoint: &str) -> DomainResult<bool> {
        self.throttle(viewer).await?;
        self.push
            .remove(viewer, endpoint)
            .await
            .map_err(|e| DomainError::Internal(Box::new(e)))
    }

    /// The user's push subscriptions (what a delivery would reach).
    pub async fn push_subscriptions(&self, viewer: &UserId) -> DomainResult<Vec<PushSubscription>> {
        self.push
            .of_users(std::slice::from_ref(viewer))
            .await
            .map_err(|e| DomainError::Internal(Box::new(e)))
    }
}
