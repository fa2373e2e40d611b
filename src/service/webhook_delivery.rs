//! Delivering events to outgoing webhooks, at least once: a first attempt
//! to every enabled webhook of the group that wants the event, then retries
//! on the schedule with the same `webhook-id` (the event id), each attempt
//! kept and checked (`domain::webhook::Verdict`). Where the retries wait is
//! the runner's business: tasks locally, an SQS queue with delays on AWS.

use super::webhook_gate::BACKING_OFF;
use super::Service;
use crate::domain::event::DomainEvent;
use crate::domain::webhook::{self, Attempt, Delivery, Retry, Verdict, Webhook};
use crate::domain::{DomainResult, UserId};
use futures_util::future::join_all;
use std::sync::Arc;
use std::time::Duration;

/// How long the local runner waits before trying an attempt again whose
/// result could not be recorded (the store was unreachable).
const STORE_RETRY: Duration = Duration::from_secs(30);

/// Why an attempt was not made when the secret does not open.
const UNSEALED: &str = "the signing secret does not open under this deployment's key";

impl Service {
    /// First attempts of `event`, in parallel; returns the retries to
    /// schedule.
    #[tracing::instrument(skip_all, fields(event = %event.id))]
    pub async fn deliver_to_webhooks(&self, event: &DomainEvent) -> DomainResult<Vec<Retry>> {
        let hooks = self.store.group_webhooks(&event.group_id).await?;
        let hooks: Vec<Webhook> = hooks.into_iter().filter(|w| w.wants(event.kind)).collect();
        if hooks.is_empty() {
            return Ok(Vec::new());
        }
        let body = self.webhook_body(event).await?;
        // One copy of the event, shared by every retry it leads to.
        let event = Arc::new(event.clone());
        let attempts = hooks.iter().map(|w| self.attempt(w, &event, &body, 1));
        let mut retries = Vec::new();
        for next in join_all(attempts).await {
            retries.extend(next?);
        }
        Ok(retries)
    }

    /// A scheduled retry, unless the webhook was deleted, disabled or no
    /// longer wants the event; returns the next one if it failed again.
    #[tracing::instrument(skip_all, fields(event = %retry.event.id, webhook = %retry.webhook_id))]
    pub async fn retry_webhook(&self, retry: &Retry) -> DomainResult<Option<Retry>> {
        let Some(hook) = self.store.webhook(&retry.webhook_id).await? else {
            return Ok(None);
        };
        if !hook.wants(retry.event.kind) {
            return Ok(None);
        }
        let body = self.webhook_body(&retry.event).await?;
        self.attempt(&hook, &retry.event, &body, retry.attempt)
            .await
    }

    /// The body of an attempt, with the event as it may go out now
    /// (`as_stored_now`: no attempt, first or retried, carries text that was
    /// deleted).
    async fn webhook_body(&self, event: &DomainEvent) -> DomainResult<Vec<u8>> {
        let now = self.as_stored_now(vec![event.clone()]).await?;
        let event = &now[0];
        let named: Vec<UserId> = (event.message.iter().map(|m| m.author_id.clone()))
            .chain(event.reaction.iter().map(|r| r.user_id.clone()))
            .collect();
        let users = self.store.users(&named).await?;
        let name_of = |id: &UserId| users.iter().find(|u| &u.id == id).map(|u| u.name.as_str());
        let body = webhook::body(event, name_of);
        Ok(body.to_string().into_bytes())
    }

    async fn attempt(
        &self,
        hook: &Webhook,
        event: &Arc<DomainEvent>,
        body: &[u8],
        number: u32,
    ) -> DomainResult<Option<Retry>> {
        let at = Self::now();
        let gate = &self.webhooks.gate;
        let outcome = match self.webhooks.sealer.open(&hook.secret.0, hook.id.as_str()) {
            Some(secret) => match gate.enter(&hook.id).await {
                Some(pass) => {
                    let transport = &self.webhooks.transport;
                    let id = event.id.as_str();
                    let outcome = transport
                        .send(&hook.url, &secret, id, at.timestamp(), body)
                        .await;
                    drop(pass);
                    gate.finish(&hook.id, outcome.timed_out());
                    outcome
                }
                None => Attempt {
                    status: None,
                    error: Some(BACKING_OFF.to_owned()),
                    duration_ms: 0,
                },
            },
            // Sealed under another key: CHORUS_SECRETS_KEY changed.
            None => Attempt {
                status: None,
                error: Some(UNSEALED.to_owned()),
                duration_ms: 0,
            },
        };
        let verdict = Verdict::of(&outcome, number, &self.webhooks.retries);
        tracing::info!(
            webhook = %hook.id,
            attempt = number,
            status = ?outcome.status,
            error = ?outcome.error,
            ?verdict,
            "webhook attempt"
        );
        let delivery = Delivery {
            seq: 0,
            event_id: event.id.clone(),
            attempt: number,
            outcome,
            at,
        };
        self.store
            .record_delivery(&hook.id, &delivery, verdict)
            .await?;
        let Verdict::Retrying(wait) = verdict else {
            return Ok(None);
        };
        let wait = chrono::Duration::from_std(wait).unwrap_or_default();
        Ok(Some(Retry {
            webhook_id: hook.id.clone(),
            attempt: number.saturating_add(1),
            due: at + wait,
            event: Arc::clone(event),
        }))
    }

    /// The local server's runner: each event's pushes logged (`live` says
    /// who is online), its webhooks' first attempts, then each retry in a
    /// task that sleeps until it is due.
    pub async fn run_local(
        self: Arc<Self>,
        mut events: tokio::sync::mpsc::UnboundedReceiver<DomainEvent>,
        live: Arc<dyn crate::service::ports::LiveEvents>,
    ) {
        while let Some(event) = events.recv().await {
            let service = self.clone();
            let online = live.online(&event.group_id);
            tokio::spawn(async move {
                service.log_pushes(&event, &online).await;
                match service.deliver_to_webhooks(&event).await {
                    Ok(retries) => {
                        for retry in retries {
                            tokio::spawn(service.clone().retry_until_done(retry));
                        }
                    }
                    Err(err) => tracing::warn!(error = %err, "webhook delivery failed"),
                }
            });
        }
    }

    async fn retry_until_done(self: Arc<Self>, mut retry: Retry) {
        loop {
            let wait = (retry.due - Self::now()).to_std().unwrap_or_default();
            tokio::time::sleep(wait).await;
            match self.retry_webhook(&retry).await {
                Ok(Some(next)) => retry = next,
                Ok(None) => return,
                Err(err) => {
                    tracing::warn!(error = %err, "webhook retry failed; trying again");
                    retry.due =
                        Self::now() + chrono::Duration::from_std(STORE_RETRY).unwrap_or_default();
                }
            }
        }
    }
}
