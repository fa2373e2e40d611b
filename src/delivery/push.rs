//! The local server's registry of Web Push subscriptions, per user (the
//! port itself, [`PushRegistry`], is the service's).

use crate::domain::push::PushSubscription;
use crate::domain::UserId;
use crate::service::ports::{PushRegistry, RegistryError};
use async_trait::async_trait;
use parking_lot::Mutex;
use std::collections::HashMap;

/// The local server's registry.
#[derive(Default)]
pub struct MemoryPushRegistry {
    by_endpoint: Mutex<HashMap<String, PushSubscription>>,
}

#[async_trait]
impl PushRegistry for MemoryPushRegistry {
    async fn put(&self, subscription: &PushSubscription) -> Result<(), RegistryError> {
        self.by_endpoint
            .lock()
            .insert(subscription.endpoint.clone(), subscription.clone());
        Ok(())
    }

    async fn remove(&self, user: &UserId, endpoint: &str) -> Result<bool, RegistryError> {
        let mut map = self.by_endpoint.lock();
        if map.get(endpoint).is_some_and(|s| &s.user_id == user) {
            map.remove(endpoint);
            return Ok(true);
        }
        Ok(false)
    }

    async fn of_users(&self, users: &[UserId]) -> Result<Vec<PushSubscription>, RegistryError> {
        let map = self.by_endpoint.lock();
        Ok(map
            .values()
            .filter(|s| users.contains(&s.user_id))
            .cloned()
            .collect())
    }
}
