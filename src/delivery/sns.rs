//! SNS: the events topic (one message per committed domain event) and the
//! delivery topic (one message per audience shard, ten per call).

use crate::domain::event::DomainEvent;
use crate::service::ports::{EventPublisher, PublishError};
use async_trait::async_trait;
use aws_sdk_sns::types::{MessageAttributeValue, PublishBatchRequestEntry};
use std::time::Duration;

const ATTEMPTS: u32 = 5;
/// Attempts per event on the request path (the outbox sweeper does the rest).
const PUBLISH_ATTEMPTS: u32 = 2;
/// SNS's limit for one message and for one PublishBatch call.
pub const MAX_PAYLOAD_BYTES: usize = 256 * 1024;

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(50u64.saturating_mul(1 << attempt.min(6)).min(2_000))
}

fn attribute(value: &str) -> Option<MessageAttributeValue> {
    MessageAttributeValue::builder()
        .data_type("String")
        .string_value(value)
        .build()
        .ok()
}

/// Publishes committed events to the events topic, with the attributes
/// `type` and `groupId` for subscription filters.
pub struct SnsPublisher {
    client: aws_sdk_sns::Client,
    topic_arn: String,
}

impl SnsPublisher {
    pub fn new(client: aws_sdk_sns::Client, topic_arn: String) -> Self {
        Self { client, topic_arn }
    }
}

#[async_trait]
impl EventPublisher for SnsPublisher {
    /// A few quick attempts; an event still unpublished stays in the
    /// outbox, and the sweeper publishes it later.
    #[tracing::instrument(skip_all, fields(group = %event.group_id, kind = ?event.kind))]
    async fn publish(&self, event: &DomainEvent) -> Result<(), PublishError> {
        let body = serde_json::to_string(event).map_err(|e| PublishError(e.into()))?;
        let kind = event.kind.as_str();
        let mut last = None;
        for attempt in 1..=PUBLISH_ATTEMPTS {
            let mut request = self
                .client
                .publish()
                .topic_arn(&self.topic_arn)
                .message(&body);
            if let Some(a) = attribute(kind) {
                request = request.message_attributes("type", a);
            }
            if let Some(a) = attribute(event.group_id.as_str()) {
                request = request.message_attributes("groupId", a);
            }
            match request.send().await {
                Ok(_) => return Ok(()),
                Err(err) => {
                    let context = aws_sdk_sns::error::DisplayErrorContext(&err).to_string();
                    tracing::warn!(attempt, error = %context, "publish failed");
                    last = Some(context);
                    if attempt < PUBLISH_ATTEMPTS {
                        tokio::time::sleep(backoff(attempt)).await;
                    }
                }
            }
        }
        Err(PublishError(last.unwrap_or_default().into()))
    }
}

/// Messages still unpublished after every retry.
#[derive(Debug, thiserror::Error)]
#[error("{0} messages not published after {ATTEMPTS} attempts")]
pub struct Unpublished(pub usize);

/// Publishes `messages` to `topic_arn` with PublishBatch: at most ten
/// entries and 256 KiB per call; failed entries are retried. Returns the
/// number of calls made.
pub async fn publish_batches(
    client: &aws_sdk_sns::Client,
    topic_arn: &str,
    messages: Vec<String>,
) -> Result<usize, Unpublished> {
    let mut pending: Vec<(String, String)> = messages
        .into_iter()
        .enumerate()
        .map(|(i, m)| (format!("m{i}"), m))
        .collect();
    let mut calls = 0;
    for attempt in 1..=ATTEMPTS {
        // The calls of one attempt go out together: a fan-out to 200
        // shards is 20 calls, one round trip, not twenty.
        let batch = chunks(&pending);
        calls += batch.len();
        let sent = batch
            .into_iter()
            .map(|chunk| publish_chunk(client, topic_arn, chunk));
        let failed: Vec<(String, String)> = futures_util::future::join_all(sent)
            .await
            .into_iter()
            .flatten()
            .collect();
        if failed.is_empty() {
            return Ok(calls);
        }
        pending = failed;
        tokio::time::sleep(backoff(attempt)).await;
    }
    Err(Unpublished(pending.len()))
}

/// One PublishBatch call: returns the entries that failed.
async fn publish_chunk(
    client: &aws_sdk_sns::Client,
    topic_arn: &str,
    chunk: &[(String, String)],
) -> Vec<(String, String)> {
    let entries: Vec<PublishBatchRequestEntry> = chunk
        .iter()
        .filter_map(|(id, m)| {
            PublishBatchRequestEntry::builder()
                .id(id)
                .message(m)
                .build()
                .ok()
        })
        .collect();
    match client
        .publish_batch()
        .topic_arn(topic_arn)
        .set_publish_batch_request_entries(Some(entries))
        .send()
        .await
    {
        Ok(out) => {
            let bad: Vec<&str> = out.failed().iter().map(|f| f.id()).collect();
            chunk
                .iter()
                .filter(|(id, _)| bad.contains(&id.as_str()))
                .cloned()
                .collect()
        }
        Err(err) => {
            tracing::warn!(error = %aws_sdk_sns::error::DisplayErrorContext(&err), "PublishBatch failed");
            chunk.to_vec()
        }
    }
}

/// Groups entries into PublishBatch calls: ten entries, 256 KiB at most.
fn chunks(entries: &[(String, String)]) -> Vec<&[(String, String)]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, (_, message)) in entries.iter().enumerate() {
        if i > start && (i - start == 10 || bytes + message.len() > MAX_PAYLOAD_BYTES) {
            out.push(&entries[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += message.len();
    }
    if start < entries.len() {
        out.push(&entries[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_hold_ten_entries_and_stay_under_the_size_limit() {
        let small: Vec<_> = (0..23).map(|i| (format!("m{i}"), "x".into())).collect();
        let sizes: Vec<usize> = chunks(&small).iter().map(|c| c.len()).collect();
        assert_eq!(sizes, vec![10, 10, 3]);
        let big: Vec<_> = (0..4)
            .map(|i| (format!("m{i}"), "y".repeat(100 * 1024)))
            .collect();
        let sizes: Vec<usize> = chunks(&big).iter().map(|c| c.len()).collect();
        assert_eq!(sizes, vec![2, 2]);
    }
}
