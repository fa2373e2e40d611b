//! One delivery attempt of a webhook: sign, resolve, check every address
//! against the rule, connect only to the addresses checked (reqwest resolves
//! through `Guard`, so there is no window between check and connect), no
//! redirects, no proxies, 10 s for the whole exchange.

use super::address::is_public;
use crate::domain::DomainError;
use base64::Engine;
use futures_util::future::BoxFuture;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long one attempt may take, connect to last byte of the headers.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
const REFUSED: &str = "refused address";

/// Name resolution, replaceable so tests can name hosts that resolve to
/// private addresses.
pub trait Lookup: Send + Sync + 'static {
    fn lookup(&self, host: String) -> BoxFuture<'static, std::io::Result<Vec<IpAddr>>>;
}

/// The system resolver (`getaddrinfo` through tokio).
pub struct SystemLookup;

impl Lookup for SystemLookup {
    fn lookup(&self, host: String) -> BoxFuture<'static, std::io::Result<Vec<IpAddr>>> {
        Box::pin(async move {
            let found = tokio::net::lookup_host((host.as_str(), 0)).await?;
            Ok(found.map(|a| a.ip()).collect())
        })
    }
}

/// The resolver reqwest connects through: every address of a name must
/// pass the rule, or the name does not resolve at all.
struct Guard {
    lookup: Arc<dyn Lookup>,
    allow_private: bool,
}

impl Resolve for Guard {
    fn resolve(&self, name: Name) -> Resolving {
        let (lookup, allow_private) = (self.lookup.clone(), self.allow_private);
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let ips = lookup.lookup(host).await?;
            if ips.is_empty() {
                return Err("no address".into());
            }
            if !allow_private && !ips.iter().all(|ip| is_public(*ip)) {
                return Err(REFUSED.into());
            }
            let addrs: Addrs = Box::new(ips.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

/// A webhook URL as the rule allows it: `https` (or `http` when private
/// addresses are allowed, for a local receiver), a host, no credentials, and
/// an IP literal host only if the address passes.
pub fn check_url(raw: &str, allow_private: bool) -> Result<reqwest::Url, DomainError> {
    let invalid = |why: &str| DomainError::invalid(format!("webhook url: {why}"));
    if raw.len() > 2_048 {
        return Err(invalid("longer than 2048 characters"));
    }
    let url = reqwest::Url::parse(raw).map_err(|_| invalid("not a URL"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        _ => return Err(invalid("must be https")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("must not carry credentials"));
    }
    let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
        return Err(invalid("has no host"));
    };
    let literal = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .ok();
    if literal.is_some_and(|ip| !allow_private && !is_public(ip)) {
        return Err(invalid("names a private, loopback or link-local address"));
    }
    Ok(url)
}

/// A new signing secret: `whsec_` and 256 random bits in base64.
pub fn new_secret() -> std::io::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(std::io::Error::other)?;
    Ok(format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}

/// What one attempt came to, as `deliveries` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// The HTTP status; `None` when there was no answer.
    pub status: Option<u16>,
    /// Why there was no success: "timeout", "refused address", ...
    pub error: Option<String>,
    pub duration_ms: u64,
}

impl Attempt {
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

pub struct WebhookSender {
    http: reqwest::Client,
    allow_private: bool,
}

impl WebhookSender {
    pub fn new(allow_private: bool, lookup: Arc<dyn Lookup>) -> reqwest::Result<Self> {
        let guard = Guard {
            lookup,
            allow_private,
        };
        let http = reqwest::Client::builder()
            .dns_resolver(Arc::new(guard))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(ATTEMPT_TIMEOUT)
            .user_agent("chorus-webhooks/1")
            .build()?;
        Ok(Self {
            http,
            allow_private,
        })
    }

    /// POSTs `body` to `url` as a Standard Webhooks request: `webhook-id`
    /// (the event id, the same on every attempt), `webhook-timestamp` and
    /// `webhook-signature` under `secret`.
    pub async fn send(
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
    let mut source: Option<&dyn std::error::Error> = Some(err);
    while let Some(cause) = source {
        if cause.to_string() == REFUSED {
            return REFUSED.to_owned();
        }
        source = cause.source();
    }
    if err.is_timeout() {
        "timeout".to_owned()
    } else if err.is_connect() {
        "connection failed".to_owned()
    } else {
        "request failed".to_owned()
    }
}
