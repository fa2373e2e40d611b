//! Subscriptions in the connection registry: one item per operation of a
//! connection (`sub#<id>`), found by group and slot through the sparse
//! `byGroupSlot` GSI.

use super::audience::{slot, SubscriptionRow};
use super::dynamo::{
    all_items, failure, n, number, s, text, BY_GROUP_INDEX, BY_GROUP_PK, BY_GROUP_SK,
    CONNECTIONS_PK, CONNECTIONS_SK, TTL_ATTRIBUTE,
};
use super::dynamo_connections::{is_condition_failure, ConnectionError, ConnectionRegistry};
use crate::domain::{GroupId, UserId};
use crate::service::ports::RegistryError;
use aws_sdk_dynamodb::types::AttributeValue;

use std::collections::HashMap;

impl ConnectionRegistry {
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
            .item(BY_GROUP_SK, s(format!("{:04x}", slot(&row.user_id))))
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
        if let Some(key) = &row.key {
            request = request.item("botKey", s(key));
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

    /// Every subscription to a group: a query on the `byGroupSlot` index, never a scan.
    #[tracing::instrument(skip(self))]
    pub async fn subscriptions_of_group(
        &self,
        group: &GroupId,
    ) -> Result<Vec<SubscriptionRow>, RegistryError> {
        self.subscriptions_of_slots(group, 0, u16::MAX).await
    }

    /// The subscriptions to a group of the users in a range of slots (one
    /// shard of its audience, see `delivery::audience`).
    pub async fn subscriptions_of_slots(
        &self,
        group: &GroupId,
        first: u16,
        last: u16,
    ) -> Result<Vec<SubscriptionRow>, RegistryError> {
        let query = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(BY_GROUP_INDEX)
            .key_condition_expression("groupId = :g AND slot BETWEEN :first AND :last")
            .expression_attribute_values(":g", s(group.as_str()))
            .expression_attribute_values(":first", s(format!("{first:04x}")))
            .expression_attribute_values(":last", s(format!("{last:04x}")));
        let items = all_items(query).await?;
        Ok(items.iter().filter_map(row_of).collect())
    }
}

fn row_of(item: &HashMap<String, AttributeValue>) -> Option<SubscriptionRow> {
    Some(SubscriptionRow {
        connection_id: text(item, CONNECTIONS_PK)?,
        subscription_id: text(item, "subscriptionId")?,
        group_id: GroupId::parse(&text(item, BY_GROUP_PK)?).ok()?,
        user_id: UserId::parse(&text(item, "userId")?).ok()?,
        query: text(item, "query")?,
        variables: text(item, "variables").and_then(|v| serde_json::from_str(&v).ok()),
        operation_name: text(item, "operationName"),
        token_expires_at: number(item, "tokenExpiresAt"),
        key: text(item, "botKey"),
    })
}
