//! The ports the use cases need besides the store (`crate::store::Store`):
//! where committed events go, and where push subscriptions live. Adapters
//! (`crate::delivery`) implement them; the service never imports adapters.

use crate::domain::event::DomainEvent;
use crate::domain::push::PushSubscription;
use crate::domain::UserId;
use async_trait::async_trait;

/// Publishes committed events. Called after the write committed, so it
/// never fails the caller: an implementation retries and logs.
#[async_trait]
pub trait EventPublisher: Send + Sync + 'static {
    async fn publish(&self, event: DomainEvent);
}

#[derive(Debug, thiserror::Error)]
#[error("push registry failure")]
pub struct RegistryError(#[source] pub crate::domain::error::Cause);

#[async_trait]
pub trait PushRegistry: Send + Sync + 'static {
    /// Stores a subscription; registering an endpoint again replaces it
    /// (and moves it to this user: an endpoint belongs to one browser).
    async fn put(&self, subscription: &PushSubscription) -> Result<(), RegistryError>;
    /// Removes the user's subscription with this endpoint; `false` if none.
    async fn remove(&self, user: &UserId, endpoint: &str) -> Result<bool, RegistryError>;
    async fn of_users(&self, users: &[UserId]) -> Result<Vec<PushSubscription>, RegistryError>;
}
