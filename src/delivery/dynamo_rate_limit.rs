//! Per-user token buckets in DynamoDB, so the mutation limit holds across
//! every Lambda instance (each used to keep its own). One item per user
//! (`pk` = `user#<id>`: `tokens`, `at` in ms, `expiresAt` TTL once the
//! bucket would be full again). A check reads the item strongly
//! consistently, applies `domain::rate::Bucket`, and writes it back
//! on condition that nobody wrote in between (optimistic: a lost race is
//! retried). A refusal writes nothing. On a DynamoDB failure the check
//! fails open, logged: a limiter outage must not stop writes.

use super::dynamo::{n, number, s, RATE_PK, TTL_ATTRIBUTE};
use crate::domain::rate::Bucket;
use crate::domain::{DomainError, UserId};
use crate::service::ports::RateLimit;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::put_item::PutItemError;

const ATTEMPTS: usize = 3;

pub struct DynamoRateLimiter {
    client: aws_sdk_dynamodb::Client,
    table: String,
    bucket: Bucket,
    /// What the items' keys start with (`user#`; `search#` for searches).
    prefix: &'static str,
}

impl DynamoRateLimiter {
    pub fn new(client: aws_sdk_dynamodb::Client, table: String, bucket: Bucket) -> Self {
        Self {
            client,
            table,
            bucket,
            prefix: "user#",
        }
    }

    /// The same table holding another budget, its items' keys starting
    /// with `prefix` (`search#`).
    pub fn with_prefix(mut self, prefix: &'static str) -> Self {
        self.prefix = prefix;
        self
    }

    /// One read-check-write round; `None` when another writer won the race.
    async fn attempt(&self, key: &str) -> Result<Option<Result<(), DomainError>>, String> {
        let found = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(RATE_PK, s(key))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| aws_sdk_dynamodb::error::DisplayErrorContext(e).to_string())?;
        let item = found.item();
        let held = item.and_then(|i| Some((number::<f64>(i, "tokens")?, number::<i64>(i, "at")?)));
        let now = chrono::Utc::now().timestamp_millis();
        let elapsed = held.map_or(0.0, |(_, at)| (now - at) as f64 / 1000.0);
        let left = match self.bucket.take(held.map(|(t, _)| t), elapsed) {
            Ok(left) => left,
            Err((refused, _)) => return Ok(Some(Err(refused))),
        };
        let expires = now / 1000 + self.bucket.refill_secs().ceil() as i64 + 60;
        let mut put = self
            .client
            .put_item()
            .table_name(&self.table)
            .item(RATE_PK, s(key))
            .item(
                "tokens",
                aws_sdk_dynamodb::types::AttributeValue::N(left.to_string()),
            )
            .item("at", n(now))
            .item(TTL_ATTRIBUTE, n(expires));
        put = match held {
            None => put
                .condition_expression("attribute_not_exists(#pk)")
                .expression_attribute_names("#pk", RATE_PK),
            Some((_, at)) => put
                .condition_expression("#at = :at")
                .expression_attribute_names("#at", "at")
                .expression_attribute_values(":at", n(at)),
        };
        match put.send().await {
            Ok(_) => Ok(Some(Ok(()))),
            Err(SdkError::ServiceError(e))
                if matches!(e.err(), PutItemError::ConditionalCheckFailedException(_)) =>
            {
                Ok(None)
            }
            Err(e) => Err(aws_sdk_dynamodb::error::DisplayErrorContext(e).to_string()),
        }
    }
}

#[async_trait::async_trait]
impl RateLimit for DynamoRateLimiter {
    async fn check(&self, user: &UserId) -> Result<(), DomainError> {
        let key = format!("{}{user}", self.prefix);
        for _ in 0..ATTEMPTS {
            match self.attempt(&key).await {
                Ok(Some(result)) => return result,
                Ok(None) => continue,
                Err(err) => {
                    tracing::warn!(error = %err, "rate limit table unavailable; allowing");
                    return Ok(());
                }
            }
        }
        // Lost every race: this user is writing very fast right now.
        Err(DomainError::RateLimited { retry_after_ms: 50 })
    }
}
