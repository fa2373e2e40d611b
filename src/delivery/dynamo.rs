//! DynamoDB registries: WebSocket connections and their subscriptions (one
//! table, a sparse GSI by group), and Web Push subscriptions (by user, with
//! a TTL). The key schemas here are the ones infra/template.yaml declares.

use crate::service::ports::RegistryError;
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

/// Connections table: partition `connectionId`, sort `sk`
/// (`connection`, or `sub#<subscriptionId>`), plus one partition per user
/// (`user#<userId>`, sort `conn#<connectionId>`) listing their
/// connections; GSI `byGroupSlot` on `groupId` and `slot` (the user's audience
/// slot, see `delivery::audience`; only subscription items carry them),
/// projecting everything.
pub const CONNECTIONS_PK: &str = "connectionId";
pub const CONNECTIONS_SK: &str = "sk";
pub const BY_GROUP_INDEX: &str = "byGroupSlot";
pub const BY_GROUP_PK: &str = "groupId";
pub const BY_GROUP_SK: &str = "slot";
/// Push table: partition `userId`, sort `endpoint`.
pub const PUSH_PK: &str = "userId";
pub const PUSH_SK: &str = "endpoint";
/// Rate-limit table: partition `pk` (`user#<userId>`), one bucket per user.
pub const RATE_PK: &str = "pk";
/// The TTL attribute of the tables (epoch seconds).
pub const TTL_ATTRIBUTE: &str = "expiresAt";

pub(super) fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

pub(super) fn n(value: i64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

pub(super) fn text(item: &HashMap<String, AttributeValue>, key: &str) -> Option<String> {
    item.get(key).and_then(|v| v.as_s().ok()).cloned()
}

pub(super) fn failure(err: impl std::error::Error + Send + Sync + 'static) -> RegistryError {
    RegistryError(Box::new(err))
}

/// Every item a query matches, through the SDK's paginator.
pub(super) async fn all_items(
    query: aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder,
) -> Result<Vec<HashMap<String, AttributeValue>>, RegistryError> {
    query
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(failure)
}

pub(super) fn number<T: std::str::FromStr>(
    item: &HashMap<String, AttributeValue>,
    key: &str,
) -> Option<T> {
    item.get(key)?.as_n().ok()?.parse().ok()
}

/// Whether a token that expires at `at` (epoch seconds) has expired.
pub fn expired(at: Option<i64>) -> bool {
    at.is_some_and(|at| at <= chrono::Utc::now().timestamp())
}
