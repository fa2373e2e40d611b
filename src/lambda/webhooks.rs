//! The `webhooks` function: outgoing webhook delivery on AWS. Its SQS queue
//! is fed by the events topic (raw delivery: a message is a published
//! `DomainEvent`), and by this function with the retries it schedules
//! (`DelaySeconds`, at most 15 minutes: a longer wait is taken in steps,
//! the message put back until it is due). So a retry survives the
//! invocation that scheduled it; a message that keeps failing (the store
//! unreachable) goes to the queue's dead-letter queue after its
//! receive count.

use crate::domain::event::DomainEvent;
use crate::domain::webhook::Retry;
use crate::domain::Timestamp;
use crate::service::Service;
use async_trait::async_trait;
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;

/// SQS's longest `DelaySeconds`.
pub const MAX_DELAY_SECS: i64 = 900;

/// One message of the webhook queue.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Job {
    /// An attempt scheduled by an earlier invocation.
    Retry(Retry),
    /// A committed event, from the events topic: its first attempts.
    Event(Box<DomainEvent>),
}

/// Where scheduled retries wait.
#[async_trait]
pub trait RetryQueue: Send + Sync + 'static {
    async fn put(&self, body: String, delay_secs: i32) -> Result<(), super::Error>;
}

/// The webhook queue on SQS.
pub struct SqsRetryQueue {
    pub client: aws_sdk_sqs::Client,
    pub queue_url: String,
}

#[async_trait]
impl RetryQueue for SqsRetryQueue {
    async fn put(&self, body: String, delay_secs: i32) -> Result<(), super::Error> {
        self.client
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(body)
            .delay_seconds(delay_secs)
            .send()
            .await
            .map_err(|e| aws_sdk_sqs::Error::from(e.into_service_error()))?;
        Ok(())
    }
}

pub struct Webhooks {
    pub service: Arc<Service>,
    pub queue: Arc<dyn RetryQueue>,
}

/// The wait before `due`, as SQS takes it: whole seconds, rounded up, at
/// most `MAX_DELAY_SECS`.
fn delay_secs(due: Timestamp, now: Timestamp) -> i32 {
    let millis = (due - now).num_milliseconds().max(0);
    let secs = (millis + 999) / 1_000;
    i32::try_from(secs.min(MAX_DELAY_SECS)).unwrap_or(0)
}

impl Webhooks {
    /// Runs one job and puts the retries it leads to on the queue.
    pub async fn run(&self, job: Job, now: Timestamp) -> Result<(), super::Error> {
        let next = match job {
            Job::Event(event) => self.service.deliver_to_webhooks(&event).await?,
            // Put back early (a wait longer than SQS's longest delay).
            Job::Retry(retry) if delay_secs(retry.due, now) > 0 => vec![retry],
            Job::Retry(retry) => self
                .service
                .retry_webhook(&retry)
                .await?
                .into_iter()
                .collect(),
        };
        for retry in next {
            let body = serde_json::to_string(&Job::Retry(retry.clone()))?;
            self.queue.put(body, delay_secs(retry.due, now)).await?;
        }
        Ok(())
    }
}

/// How much of the invocation's time is kept back when its records run
/// out of time: enough to report which failed.
pub const DEADLINE_MARGIN: Duration = Duration::from_secs(5);

/// The function: each record a job, all of a batch's records at once (one
/// group's slow receiver does not hold up another's events), each under
/// `deadline`. A record that fails or is still running at the deadline is
/// reported back (the event source mapping's `ReportBatchItemFailures`) so
/// only it is received again; one that is not a job at all is logged and
/// dropped.
pub async fn handle(webhooks: &Webhooks, event: SqsEvent, deadline: Duration) -> SqsBatchResponse {
    let runs = event.records.into_iter().map(|record| async move {
        let id = record.message_id.unwrap_or_default();
        let job = match serde_json::from_str::<Job>(record.body.as_deref().unwrap_or("")) {
            Ok(job) => job,
            Err(err) => {
                tracing::error!(message = %id, error = %err, "not a webhook job; dropped");
                return None;
            }
        };
        match tokio::time::timeout(deadline, webhooks.run(job, crate::domain::now())).await {
            Ok(Ok(())) => None,
            Ok(Err(err)) => {
                tracing::warn!(message = %id, error = %err, "webhook job failed; SQS redelivers it");
                Some(id)
            }
            Err(_) => {
                tracing::warn!(message = %id, "webhook job out of time; SQS redelivers it");
                Some(id)
            }
        }
    });
    let mut response = SqsBatchResponse::default();
    for failed in futures_util::future::join_all(runs)
        .await
        .into_iter()
        .flatten()
    {
        response.add_failure(failed);
    }
    response
}

/// The time a record may take in an invocation that must return by
/// `deadline_ms` (epoch milliseconds, the runtime's deadline).
pub fn time_left(deadline_ms: u64) -> Duration {
    let now = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0);
    Duration::from_millis(deadline_ms.saturating_sub(now)).saturating_sub(DEADLINE_MARGIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_round_up_to_seconds_and_stop_at_fifteen_minutes() {
        let now = crate::domain::now();
        let at = |ms: i64| now + chrono::Duration::milliseconds(ms);
        assert_eq!(delay_secs(at(-5_000), now), 0);
        assert_eq!(delay_secs(at(0), now), 0);
        assert_eq!(delay_secs(at(200), now), 1);
        assert_eq!(delay_secs(at(5_000), now), 5);
        assert_eq!(delay_secs(at(7_200_000), now), 900);
    }
}
