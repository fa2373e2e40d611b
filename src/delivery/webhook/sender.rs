//! One delivery attempt of a webhook: sign, then send through the
//! outbound client (`delivery::outbound`: the address rule on the address
//! connected to, no redirects, no proxies), 10 s for the whole exchange.

use crate::delivery::outbound::{self, check_url, Lookup, REFUSED};
use crate::domain::webhook::Attempt;
use crate::domain::DomainResult;
use crate::service::ports::WebhookTransport;
use async_trait::async_trait;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long one attempt may take, connect to last byte of the headers.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

pub struct WebhookSender {
    http: reqwest::Client,
    allow_private: bool,
    lookup: Arc<dyn Lookup>,
}

impl WebhookSender {
    pub fn new(allow_private: bool, lookup: Arc<dyn Lookup>) -> reqwest::Result<Self> {
        let http = outbound::client(allow_private, lookup.clone())
            .timeout(ATTEMPT_TIMEOUT)
            .user_agent("chorus-webhooks/1")
            .build()?;
        Ok(Self {
            http,
            allow_private,
            lookup,
        })
    }
}

#[async_trait]
impl WebhookTransport for WebhookSender {
    /// The URL rule, and for a name, every address it resolves to now.
    async fn check(&self, raw: &str) -> DomainResult<()> {
        outbound::check_url_resolved(raw, self.allow_private, &*self.lookup).await?;
        Ok(())
    }

    /// POSTs `body` to `url` as a Standard Webhooks request: `webhook-id`
    /// (the event id, the same on every attempt), `webhook-timestamp` and
    /// `webhook-signature` under `secret`.
    async fn send(
        &self,
        url: &str,
        secret: &str,
        id: &str,
        timestamp: i64,
        body: &[u8],
    ) -> Attempt {
        let started = Instant::now();
        let done = |status: Option<u16>, error: Option<String>| Attempt {
            status,
            error,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        };
        let url = match check_url(url, self.allow_private) {
            Ok(url) => url,
            Err(_) => return done(None, Some(REFUSED.to_owned())),
        };
        let signature = standardwebhooks::Webhook::new(secret)
            .and_then(|signer| signer.sign(id, timestamp, body));
        let Ok(signature) = signature else {
            return done(None, Some("the secret cannot sign".to_owned()));
        };
        let sent = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(standardwebhooks::HEADER_WEBHOOK_ID, id)
            .header(
                standardwebhooks::HEADER_WEBHOOK_TIMESTAMP,
                timestamp.to_string(),
            )
            .header(standardwebhooks::HEADER_WEBHOOK_SIGNATURE, signature)
            .body(body.to_vec())
            .send()
            .await;
        match sent {
            Ok(response) => done(Some(response.status().as_u16()), None),
            Err(err) => done(None, Some(describe(&err))),
        }
    }
}

/// A short reason for a failed attempt, naming no URL.
fn describe(err: &reqwest::Error) -> String {
    if outbound::is_refused(err) {
        REFUSED.to_owned()
    } else if err.is_timeout() {
        crate::domain::webhook::TIMEOUT.to_owned()
    } else if err.is_connect() {
        "connection failed".to_owned()
    } else {
        "request failed".to_owned()
    }
}
