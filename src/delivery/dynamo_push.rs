//! Web Push subscriptions and native devices in DynamoDB: partition
//! `userId`, sort `endpoint`, expiring through the TTL attribute unless
//! renewed. Each endpoint also has an owner item (partition
//! `#endpoint#<endpoint_key>`, which no user id can be), so registering it for
//! another user moves it: a browser or phone belongs to one person. Each
//! change reaches the audiences of the user's groups (`dynamo_audience`).

use super::dynamo::{failure, n, number, s, text, PUSH_PK, PUSH_SK, TTL_ATTRIBUTE};
use super::dynamo_audience::{device_attributes, device_of, endpoint_key, DynamoAudience};
use crate::domain::push::PushSubscription;
use crate::domain::UserId;
use crate::service::ports::{PushRegistry, RegistryError};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::ReturnValue;
use aws_sdk_dynamodb::Client;

/// Push subscriptions not renewed for 60 days expire.
const PUSH_TTL_SECS: i64 = 60 * 24 * 3600;

/// The sort key of an endpoint's owner item.
const OWNER_SK: &str = "#owner";

/// The partition of an endpoint's owner item: `#` never starts a user id.
fn owner_pk(endpoint: &str) -> String {
    format!("#endpoint#{}", endpoint_key(endpoint))
}

/// Web Push subscriptions in DynamoDB.
pub struct DynamoPushRegistry {
    client: Client,
    table: String,
    /// Where the user's groups' audiences are kept up to date (on AWS;
    /// `None` where nothing fans out).
    audience: Option<DynamoAudience>,
}

impl DynamoPushRegistry {
    pub fn new(client: Client, table: String, audience: Option<DynamoAudience>) -> Self {
        Self {
            client,
            table,
            audience,
        }
    }

    /// Records `sub`'s user as the endpoint's owner; returns the previous
    /// owner, if another user.
    async fn claim(&self, sub: &PushSubscription) -> Result<Option<UserId>, RegistryError> {
        let out = self
            .client
            .put_item()
            .table_name(&self.table)
            .item(PUSH_PK, s(owner_pk(&sub.endpoint)))
            .item(PUSH_SK, s(OWNER_SK))
            .item("owner", s(sub.user_id.as_str()))
            .item(TTL_ATTRIBUTE, n(sub.created_at.timestamp() + PUSH_TTL_SECS))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(failure)?;
        let previous = out
            .attributes()
            .and_then(|old| text(old, "owner"))
            .and_then(|owner| UserId::parse(&owner).ok());
        Ok(previous.filter(|owner| *owner != sub.user_id))
    }

    /// Deletes `user`'s row of the endpoint and its audience copies.
    async fn remove_row(&self, user: &UserId, endpoint: &str) -> Result<bool, RegistryError> {
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key(PUSH_PK, s(user.as_str()))
            .key(PUSH_SK, s(endpoint))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(failure)?;
        let removed = out.attributes().is_some_and(|a| !a.is_empty());
        if let (true, Some(audience)) = (removed, &self.audience) {
            audience.remove_push(user, endpoint).await?;
        }
        Ok(removed)
    }

    /// Forgets the endpoint's owner if it is still `user`.
    async fn release(&self, user: &UserId, endpoint: &str) -> Result<(), RegistryError> {
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key(PUSH_PK, s(owner_pk(endpoint)))
            .key(PUSH_SK, s(OWNER_SK))
            .condition_expression("#owner = :u")
            .expression_attribute_names("#owner", "owner")
            .expression_attribute_values(":u", s(user.as_str()))
            .send()
            .await;
        match out {
            Err(err) if super::dynamo_connections::is_condition_failure(&err) => Ok(()),
            other => other.map(|_| ()).map_err(failure),
        }
    }
}

#[async_trait]
impl PushRegistry for DynamoPushRegistry {
    async fn put(&self, sub: &PushSubscription) -> Result<(), RegistryError> {
        if let Some(previous) = self.claim(sub).await? {
            self.remove_row(&previous, &sub.endpoint).await?;
        }
        let mut put = self
            .client
            .put_item()
            .table_name(&self.table)
            .item(PUSH_PK, s(sub.user_id.as_str()))
            .item(PUSH_SK, s(&sub.endpoint))
            .item("p256dh", s(&sub.p256dh))
            .item("auth", s(&sub.auth))
            .item("createdAt", n(sub.created_at.timestamp_micros()))
            .item(TTL_ATTRIBUTE, n(sub.created_at.timestamp() + PUSH_TTL_SECS));
        for (name, value) in device_attributes(sub) {
            put = put.item(name, value);
        }
        put.send().await.map_err(failure)?;
        if let Some(audience) = &self.audience {
            audience.add_push(sub).await?;
        }
        Ok(())
    }

    async fn remove(&self, user: &UserId, endpoint: &str) -> Result<bool, RegistryError> {
        let removed = self.remove_row(user, endpoint).await?;
        if removed {
            self.release(user, endpoint).await?;
        }
        Ok(removed)
    }

    async fn of_users(&self, users: &[UserId]) -> Result<Vec<PushSubscription>, RegistryError> {
        let queries = users.iter().map(|user| async move {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("userId = :u")
                .expression_attribute_values(":u", s(user.as_str()))
                .send()
                .await
                .map_err(failure)?;
            Ok::<_, RegistryError>(
                out.items()
                    .iter()
                    .filter_map(|item| {
                        let micros = number(item, "createdAt")?;
                        Some(PushSubscription {
                            user_id: user.clone(),
                            endpoint: text(item, PUSH_SK)?,
                            p256dh: text(item, "p256dh")?,
                            auth: text(item, "auth")?,
                            created_at: chrono::DateTime::from_timestamp_micros(micros)?,
                            device: device_of(item),
                        })
                    })
                    .collect::<Vec<_>>(),
            )
        });
        let mut all = Vec::new();
        for found in futures_util::future::join_all(queries).await {
            all.extend(found?);
        }
        Ok(all)
    }

    async fn set_level(
        &self,
        group: &crate::domain::GroupId,
        user: &UserId,
        level: crate::domain::reading::NotificationLevel,
    ) -> Result<(), RegistryError> {
        match &self.audience {
            Some(audience) => audience.set_level(group, user, level).await,
            None => Ok(()),
        }
    }
}
