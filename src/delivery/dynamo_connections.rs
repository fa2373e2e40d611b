//! The WebSocket connection registry in DynamoDB: connections and their subscriptions in one table, with a sparse GSI by group.

use super::dynamo::{
    failure, n, number, s, text, BY_GROUP_INDEX, BY_GROUP_PK, CONNECTIONS_PK, CONNECTIONS_SK,
    TTL_ATTRIBUTE,
};
use super::push::RegistryError;
use crate::domain::{GroupId, UserId};
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;
use serde::{Deserialize, Serialize};

const CONNECTION_SK: &str = "connection";
/// API Gateway closes WebSockets after 2 hours; stale rows expire after a day.
const CONNECTION_TTL_SECS: i64 = 24 * 3600;

/// A stored `groupEvents` subscription of one WebSocket connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionRow {
    pub connection_id: String,
    pub subscription_id: String,
    pub group_id: GroupId,
    pub user_id: UserId,
    /// The subscription's GraphQL document, variables and operation name,
    /// so every delivery answers exactly what the client asked.
    pub query: String,
    pub variables: Option<serde_json::Value>,
    pub operation_name: Option<String>,
    /// When the connection's token expires (epoch seconds): delivery
    /// stops and the connection is closed then.
    #[serde(default)]
    pub token_expires_at: Option<i64>,
}

/// A connection as `$connect` recorded it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectionRow {
    pub user_id: UserId,
    pub initialized: bool,
    /// When its token expires (epoch seconds).
    pub token_expires_at: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectionError {
    /// A conditional write found the state it must not change.
    #[error("state changed")]
    Condition,
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

fn is_condition_failure<E: aws_sdk_dynamodb::error::ProvideErrorMetadata>(err: &E) -> bool {
    err.code() == Some("ConditionalCheckFailedException")
}

#[derive(Clone)]
pub struct ConnectionRegistry {
    client: Client,
    table: String,
}

impl ConnectionRegistry {
    pub fn new(client: Client, table: String) -> Self {
        Self { client, table }
    }

    fn expiry() -> AttributeValue {
        n(chrono::Utc::now().timestamp() + CONNECTION_TTL_SECS)
    }

    #[tracing::instrument(skip(self))]
    pub async fn put_connection(
        &self,
        connection_id: &str,
        user: &UserId,
        token_expires_at: i64,
    ) -> Result<(), RegistryError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .item(CONNECTIONS_PK, s(connection_id))
            .item(CONNECTIONS_SK, s(CONNECTION_SK))
            .item("userId", s(user.as_str()))
            .item("tokenExpiresAt", n(token_expires_at))
            .item("initialized", AttributeValue::Bool(false))
            .item(TTL_ATTRIBUTE, Self::expiry())
            .send()
            .await
            .map_err(failure)?;
        Ok(())
    }

    pub async fn connection(
        &self,
        connection_id: &str,
    ) -> Result<Option<ConnectionRow>, RegistryError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(CONNECTIONS_PK, s(connection_id))
            .key(CONNECTIONS_SK, s(CONNECTION_SK))
            .consistent_read(true)
            .send()
            .await
            .map_err(failure)?;
        Ok(out.item().and_then(|item| {
            let user_id = UserId::parse(&text(item, "userId")?).ok()?;
            let initialized = item
                .get("initialized")
                .and_then(|v| v.as_bool().ok())
                .copied()
                .unwrap_or(false);
            Some(ConnectionRow {
                user_id,
                initialized,
                token_expires_at: number(item, "tokenExpiresAt"),
            })
        }))
    }

    /// Marks the connection initialised; `Condition` if it already was.
    pub async fn initialize(&self, connection_id: &str) -> Result<(), ConnectionError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(CONNECTIONS_PK, s(connection_id))
            .key(CONNECTIONS_SK, s(CONNECTION_SK))
            .update_expression("SET initialized = :yes")
            .condition_expression("attribute_exists(connectionId) AND initialized = :no")
            .expression_attribute_values(":yes", AttributeValue::Bool(true))
            .expression_attribute_values(":no", AttributeValue::Bool(false))
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(err) if err.as_service_error().is_some_and(is_condition_failure) => {
                Err(ConnectionError::Condition)
            }
            Err(err) => Err(failure(err).into()),
        }
    }

    /// Stores a subscription; `Condition` if the id is live on this connection.
    #[tracing::instrument(skip_all, fields(group = %row.group_id))]
    pub async fn put_subscription(&self, row: &SubscriptionRow) -> Result<(), ConnectionError> {
        let mut request = self
            .client
            .put_item()
            .table_name(&self.table)
            .item(CONNECTIONS_PK, s(&row.connection_id))
            .item(CONNECTIONS_SK, s(format!("sub#{}", row.subscription_id)))
            .item("subscriptionId", s(&row.subscription_id))
            .item(BY_GROUP_PK, s(row.group_id.as_str()))
            .item("userId", s(row.user_id.as_str()))
            .item("query", s(&row.query))
            .item(TTL_ATTRIBUTE, Self::expiry())
            .condition_expression("attribute_not_exists(sk)");
        if let Some(variables) = &row.variables {
            request = request.item("variables", s(variables.to_string()));
        }
        if let Some(name) = &row.operation_name {
            request = request.item("operationName", s(name));
        }
        if let Some(at) = row.token_expires_at {
            request = request.item("tokenExpiresAt", n(at));
        }
        match request.send().await {
            Ok(_) => Ok(()),
            Err(err) if err.as_service_error().is_some_and(is_condition_failure) => {
                Err(ConnectionError::Condition)
            }
            Err(err) => Err(failure(err).into()),
        }
    }

    /// How many subscriptions the connection holds.
    pub async fn subscription_count(&self, connection_id: &str) -> Result<usize, RegistryError> {
        let keys = self.sort_keys(connection_id).await?;
        Ok(keys.iter().filter(|sk| sk.starts_with("sub#")).count())
    }

    /// The sort keys of every item of a connection (itself and its
    /// subscriptions), keys only.
    async fn sort_keys(&self, connection_id: &str) -> Result<Vec<String>, RegistryError> {
        let mut keys = Vec::new();
        let mut start = None;
        loop {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("connectionId = :c")
                .expression_attribute_values(":c", s(connection_id))
                .projection_expression("connectionId, sk")
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(failure)?;
            keys.extend(
                out.items()
                    .iter()
                    .filter_map(|item| text(item, CONNECTIONS_SK)),
            );
            start = out.last_evaluated_key().cloned();
            if start.is_none() {
                return Ok(keys);
            }
        }
    }

    pub async fn delete_subscription(
        &self,
        connection_id: &str,
        subscription_id: &str,
    ) -> Result<(), RegistryError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .key(CONNECTIONS_PK, s(connection_id))
            .key(CONNECTIONS_SK, s(format!("sub#{subscription_id}")))
            .send()
            .await
            .map_err(failure)?;
        Ok(())
    }

    /// Deletes the connection and all its subscriptions, nothing else.
    #[tracing::instrument(skip(self))]
    pub async fn delete_connection(&self, connection_id: &str) -> Result<usize, RegistryError> {
        let keys = self.sort_keys(connection_id).await?;
        for sk in &keys {
            self.client
                .delete_item()
                .table_name(&self.table)
                .key(CONNECTIONS_PK, s(connection_id))
                .key(CONNECTIONS_SK, s(sk))
                .send()
                .await
                .map_err(failure)?;
        }
        Ok(keys.len())
    }

    /// Every subscription to a group: a query on the `byGroup` index, never a scan.
    #[tracing::instrument(skip(self))]
    pub async fn subscriptions_of_group(
        &self,
        group: &GroupId,
    ) -> Result<Vec<SubscriptionRow>, RegistryError> {
        let mut rows = Vec::new();
        let mut start = None;
        loop {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(BY_GROUP_INDEX)
                .key_condition_expression("groupId = :g")
                .expression_attribute_values(":g", s(group.as_str()))
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(failure)?;
            rows.extend(out.items().iter().filter_map(|item| {
                Some(SubscriptionRow {
                    connection_id: text(item, CONNECTIONS_PK)?,
                    subscription_id: text(item, "subscriptionId")?,
                    group_id: GroupId::parse(&text(item, BY_GROUP_PK)?).ok()?,
                    user_id: UserId::parse(&text(item, "userId")?).ok()?,
                    query: text(item, "query")?,
                    variables: text(item, "variables").and_then(|v| serde_json::from_str(&v).ok()),
                    operation_name: text(item, "operationName"),
                    token_expires_at: number(item, "tokenExpiresAt"),
                })
            }));
            start = out.last_evaluated_key().cloned();
            if start.is_none() {
                break;
            }
        }
        Ok(rows)
    }
}
