//! Outbound requests to user-given URLs (webhooks, Web Push endpoints):
//! never to the deployment's own network. Names resolve through `Guard`, so
//! reqwest connects only to addresses that passed the rule (no window
//! between check and connect); IP literals are checked by `check_url`;
//! redirects are not followed and no proxy is used.

pub mod address;

use crate::domain::DomainError;
use address::is_public;
use futures_util::future::BoxFuture;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// Why an attempt was not made, as attempts record it.
pub const REFUSED: &str = "refused address";

/// What a URL whose host cannot be used is told, whatever the reason.
pub const UNREACHABLE: &str = "url: its host does not resolve to a public address";

/// How long the check of a new URL waits for its name to resolve.
const LOOKUP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

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
            let ips = admitted(&*lookup, host, allow_private).await?;
            let addrs: Addrs = Box::new(ips.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

/// Why a name is not connected to.
#[derive(Debug, thiserror::Error)]
pub enum Unadmitted {
    #[error("no address")]
    NoAddress,
    #[error("{REFUSED}")]
    Refused,
    #[error(transparent)]
    Lookup(#[from] std::io::Error),
}

/// Every address `host` resolves to, if all of them pass the rule (the
/// resolver connections go through, and the check made when a URL is set).
async fn admitted(
    lookup: &dyn Lookup,
    host: String,
    allow_private: bool,
) -> Result<Vec<IpAddr>, Unadmitted> {
    let ips = lookup.lookup(host).await?;
    if ips.is_empty() {
        return Err(Unadmitted::NoAddress);
    }
    if !allow_private && !ips.iter().all(|ip| is_public(*ip)) {
        return Err(Unadmitted::Refused);
    }
    Ok(ips)
}

/// `check_url`, and (under the rule) every address a host name resolves to
/// now: what can be known of a URL before anything is sent to it.
pub async fn check_url_resolved(
    raw: &str,
    allow_private: bool,
    lookup: &dyn Lookup,
) -> Result<reqwest::Url, DomainError> {
    let url = check_url(raw, allow_private)?;
    // With the rule lifted there is nothing to resolve against; and an IP
    // literal was checked by check_url.
    let Some(host) = url.domain().filter(|_| !allow_private) else {
        return Ok(url);
    };
    // One error for a name that does not resolve, resolves late and
    // resolves privately: the difference would tell a caller what the
    // deployment's resolver sees.
    let looked_up = tokio::time::timeout(
        LOOKUP_TIMEOUT,
        admitted(lookup, host.to_owned(), allow_private),
    )
    .await;
    match looked_up {
        Ok(Ok(_)) => Ok(url),
        Ok(Err(_)) | Err(_) => Err(DomainError::invalid(UNREACHABLE)),
    }
}

/// A user-given URL as the rule allows it: `https` (or `http` when private
/// addresses are allowed, for a local receiver), a host, no credentials, and
/// an IP literal host only if the address passes.
pub fn check_url(raw: &str, allow_private: bool) -> Result<reqwest::Url, DomainError> {
    let invalid = |why: &str| DomainError::invalid(format!("url: {why}"));
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

/// A client builder for user-given URLs: the guard as its resolver, no
/// redirects, no proxies. Callers add timeouts and a user agent.
pub fn client(allow_private: bool, lookup: Arc<dyn Lookup>) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .dns_resolver(Arc::new(Guard {
            lookup,
            allow_private,
        }))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
}

/// Whether a request failed because the rule refused its address.
pub fn is_refused(err: &reqwest::Error) -> bool {
    let mut source: Option<&dyn std::error::Error> = Some(err);
    while let Some(cause) = source {
        if cause.to_string() == REFUSED {
            return true;
        }
        source = cause.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names as a test resolver sees them: one never answers, one is
    /// private, the rest are public.
    struct Names;

    impl Lookup for Names {
        fn lookup(&self, host: String) -> BoxFuture<'static, std::io::Result<Vec<IpAddr>>> {
            Box::pin(async move {
                match host.as_str() {
                    "slow.example" => std::future::pending().await,
                    "inside.example" => Ok(vec!["10.0.0.7".parse().unwrap()]),
                    "missing.example" => Err(std::io::Error::other("no such name")),
                    _ => Ok(vec!["93.184.216.34".parse().unwrap()]),
                }
            })
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_name_that_resolves_late_privately_or_not_at_all_gets_one_error() {
        let started = tokio::time::Instant::now();
        let check = |host: &str| {
            let url = format!("https://{host}/hook");
            async move { check_url_resolved(&url, false, &Names).await }
        };
        for host in ["slow.example", "inside.example", "missing.example"] {
            let refused = check(host).await.unwrap_err();
            assert_eq!(
                refused.to_string(),
                DomainError::invalid(UNREACHABLE).to_string()
            );
        }
        assert_eq!(
            started.elapsed(),
            LOOKUP_TIMEOUT,
            "the slow name waited its timeout only"
        );
        assert!(check("public.example").await.is_ok());
    }
}
