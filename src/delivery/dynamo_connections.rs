//! The WebSocket connection registry in DynamoDB: connections, their
//! subscriptions (`dynamo_subscriptions`) and each user's connections in one
//! table.

use super::dynamo::{
    all_items, failure, n, number, s, text, CONNECTIONS_PK, CONNECTIONS_SK, TTL_ATTRIBUTE,
};
use crate::domain::UserId;
use crate::service::ports::RegistryError;
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use aws_sdk_dynamodb::Client;
use std::collections::HashMap;

const CONNECTION_SK: &str = "connection";
/// API Gateway closes WebSockets after 2 hours; stale rows expire after a day.
const CONNECTION_TTL_SECS: i64 = 24 * 3600;
/// The longest a WebSocket lives on API Gateway.
const MAX_CONNECTION_SECS: i64 = 2 * 3600;

/// The partition holding a user's connections (`conn#<id>` items), so
/// `$connect` can count them without an index.
fn user_partition(user: &UserId) -> String {
    format!("user#{}", user.as_str())
}

fn user_item(connection_id: &str) -> String {
    format!("conn#{connection_id}")
}

/// A connection as `$connect` recorded it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectionRow {
    pub user_id: UserId,
    pub initialized: bool,
    /// When its token expires (epoch seconds).
    pub token_expires_at: Option<i64>,
    /// For a bot, the hash of the key the connection was opened with.
    pub key: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectionError {
    /// A conditional write found the state it must not change.
    #[error("state changed")]
    Condition,
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

pub(super) fn is_condition_failure<E: aws_sdk_dynamodb::error::ProvideErrorMetadata>(
    err: &E,
) -> bool {
    err.code() == Some("ConditionalCheckFailedException")
}

#[derive(Clone)]
pub struct ConnectionRegistry {
    pub(super) client: Client,
    pub(super) table: String,
}

impl ConnectionRegistry {
    pub fn new(client: Client, table: String) -> Self {
        Self { client, table }
    }

    pub(super) fn expiry() -> AttributeValue {
        n(chrono::Utc::now().timestamp() + CONNECTION_TTL_SECS)
    }

    #[tracing::instrument(skip(self))]
    pub async fn put_connection(
        &self,
        connection_id: &str,
        user: &UserId,
        token_expires_at: i64,
        key: Option<&str>,
    ) -> Result<(), RegistryError> {
        // The connection cannot outlive its token nor API Gateway's limit,
        // so a user row whose `$disconnect` never came stops counting then.
        let live_until = token_expires_at.min(chrono::Utc::now().timestamp() + MAX_CONNECTION_SECS);
        let put = |item: HashMap<String, AttributeValue>| {
            let put = Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .build()
                .map_err(failure)?;
            Ok::<_, RegistryError>(TransactWriteItem::builder().put(put).build())
        };
        let mut connection = HashMap::from([
            (CONNECTIONS_PK.to_owned(), s(connection_id)),
            (CONNECTIONS_SK.to_owned(), s(CONNECTION_SK)),
            ("userId".to_owned(), s(user.as_str())),
            ("tokenExpiresAt".to_owned(), n(token_expires_at)),
            ("initialized".to_owned(), AttributeValue::Bool(false)),
            (TTL_ATTRIBUTE.to_owned(), Self::expiry()),
        ]);
        if let Some(key) = key {
            connection.insert("botKey".to_owned(), s(key));
        }
        let of_user = HashMap::from([
            (CONNECTIONS_PK.to_owned(), s(user_partition(user))),
            (CONNECTIONS_SK.to_owned(), s(user_item(connection_id))),
            ("liveUntil".to_owned(), n(live_until)),
            (TTL_ATTRIBUTE.to_owned(), Self::expiry()),
        ]);
        // Both rows or neither, in one round trip.
        self.client
            .transact_write_items()
            .transact_items(put(connection)?)
            .transact_items(put(of_user)?)
            .send()
            .await
            .map_err(failure)?;
        Ok(())
    }

    /// How many live connections the user holds (a key query on the
    /// user's partition, counting only rows not past their life).
    pub async fn live_connections(&self, user: &UserId) -> Result<usize, RegistryError> {
        let pages = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("connectionId = :u")
            .filter_expression("liveUntil > :now")
            .expression_attribute_values(":u", s(user_partition(user)))
            .expression_attribute_values(":now", n(chrono::Utc::now().timestamp()))
            .select(aws_sdk_dynamodb::types::Select::Count)
            .into_paginator()
            .send()
            .try_collect()
            .await
            .map_err(failure)?;
        Ok(pages
            .iter()
            .map(|page| usize::try_from(page.count()).unwrap_or_default())
            .sum())
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
                key: text(item, "botKey"),
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

    /// The sort keys of every item of a connection (itself and its
    /// subscriptions), keys only.
    pub(super) async fn sort_keys(
        &self,
        connection_id: &str,
    ) -> Result<Vec<String>, RegistryError> {
        let query = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("connectionId = :c")
            .expression_attribute_values(":c", s(connection_id))
            .projection_expression("connectionId, sk");
        let items = all_items(query).await?;
        Ok(items
            .iter()
            .filter_map(|item| text(item, CONNECTIONS_SK))
            .collect())
    }

    /// Deletes the connection, all its subscriptions and its entry in the
    /// user's connections, nothing else.
    #[tracing::instrument(skip(self))]
    pub async fn delete_connection(&self, connection_id: &str) -> Result<usize, RegistryError> {
        if let Some(row) = self.connection(connection_id).await? {
            self.client
                .delete_item()
                .table_name(&self.table)
                .key(CONNECTIONS_PK, s(user_partition(&row.user_id)))
                .key(CONNECTIONS_SK, s(user_item(connection_id)))
                .send()
                .await
                .map_err(failure)?;
        }
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
}

/// Online: holding a live connection (a key query per user, in parallel).
#[async_trait::async_trait]
impl crate::service::ports::Online for ConnectionRegistry {
    async fn with_sockets(
        &self,
        users: &[UserId],
    ) -> Result<std::collections::HashSet<UserId>, RegistryError> {
        let counts = users.iter().map(|user| self.live_connections(user));
        let counts = futures_util::future::try_join_all(counts).await?;
        Ok(users
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(user, _)| user.clone())
            .collect())
    }
}
