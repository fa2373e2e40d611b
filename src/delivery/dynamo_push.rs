//! Web Push subscriptions in DynamoDB: partition `userId`, sort `endpoint`,
//! expiring through the TTL attribute unless renewed. Each change reaches
//! the audiences of the user's groups (`dynamo_audience`).

use super::dynamo::{failure, n, number, s, text, PUSH_PK, PUSH_SK, TTL_ATTRIBUTE};
use super::dynamo_audience::{device_attributes, device_of, DynamoAudience};
use crate::domain::push::PushSubscription;
use crate::domain::UserId;
use crate::service::ports::{PushRegistry, RegistryError};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::ReturnValue;
use aws_sdk_dynamodb::Client;

/// Push subscriptions not renewed for 60 days expire.
const PUSH_TTL_SECS: i64 = 60 * 24 * 3600;

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
}

#[async_trait]
impl PushRegistry for DynamoPushRegistry {
    async fn put(&self, sub: &PushSubscription) -> Result<(), RegistryError> {
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
