//! The limits one process enforces on requests, connections and sockets,
//! and the environment reader both configuration files use.

use super::ConfigError;
use std::time::Duration;

/// Reads variables through a lookup function (the environment, or a map in
/// tests): blank counts as unset.
pub(super) struct Env<'a>(pub &'a dyn Fn(&str) -> Option<String>);

impl Env<'_> {
    /// The variable's text, if set and not blank.
    pub fn text(&self, name: &str) -> Option<String> {
        (self.0)(name).filter(|v| !v.trim().is_empty())
    }

    /// The variable parsed as `T`, or `default` when unset.
    pub fn or<T: std::str::FromStr>(&self, name: &'static str, default: T) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        match self.text(name) {
            None => Ok(default),
            Some(raw) => raw.trim().parse().map_err(|e: T::Err| ConfigError {
                name,
                problem: e.to_string(),
            }),
        }
    }

    /// A duration given in whole seconds.
    pub fn secs(&self, name: &'static str, default: u64) -> Result<Duration, ConfigError> {
        Ok(Duration::from_secs(self.or(name, default)?))
    }

    /// A comma-separated list (empty when unset).
    pub fn list(&self, name: &str) -> Vec<String> {
        self.text(name)
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Every limit, with its variable and default (docs/configuration.md lists
/// the same).
#[derive(Debug, Clone)]
pub struct Limits {
    /// `CHORUS_MAX_BODY_BYTES`: largest request body (default 256 KiB). A
    /// declared `Content-Length` over it is refused before reading.
    pub max_body_bytes: usize,
    /// `CHORUS_MAX_QUERY_DEPTH` (default 16).
    pub max_query_depth: usize,
    /// `CHORUS_MAX_QUERY_COMPLEXITY` (default 5000; a list field counts its
    /// size times its selection).
    pub max_query_complexity: usize,
    /// `CHORUS_MAX_QUERY_SELECTIONS`: fields in a document once its
    /// fragments are expanded (default 2000), checked before validation.
    pub max_query_selections: usize,
    /// `CHORUS_MAX_RESPONSE_BYTES`: largest response data (default 8 MiB).
    pub max_response_bytes: usize,
    /// `CHORUS_MAX_CONNECTIONS`: open connections, WebSockets included
    /// (default 512); one more gets 503 and closed.
    pub max_connections: usize,
    /// `CHORUS_HEADER_TIMEOUT_SECS`: time to send a request's headers, and
    /// the most a keep-alive connection may sit idle (default 10).
    pub header_timeout: Duration,
    /// `CHORUS_BODY_TIMEOUT_SECS`: time to send a request body (default 10).
    pub body_timeout: Duration,
    /// `CHORUS_REQUEST_TIMEOUT_SECS`: time to respond to a request; the work is
    /// cancelled after it (default 30).
    pub request_timeout: Duration,
    /// `CHORUS_MAX_SUBSCRIPTIONS_PER_SOCKET` (default 100).
    pub max_subscriptions_per_socket: usize,
    /// `CHORUS_MAX_SOCKETS_PER_USER` (default 20).
    pub max_sockets_per_user: usize,
    /// `CHORUS_WS_SEND_BUFFER`: frames queued for a slow WebSocket reader
    /// before the socket is closed with 1013 (default 256).
    pub ws_send_buffer: usize,
}

impl Limits {
    pub(super) fn read(env: &Env<'_>) -> Result<Self, ConfigError> {
        let limits = Self {
            max_body_bytes: env.or("CHORUS_MAX_BODY_BYTES", 256 * 1024)?,
            max_query_depth: env.or("CHORUS_MAX_QUERY_DEPTH", 16)?,
            max_query_complexity: env.or("CHORUS_MAX_QUERY_COMPLEXITY", 5_000)?,
            max_query_selections: env.or("CHORUS_MAX_QUERY_SELECTIONS", 2_000)?,
            max_response_bytes: env.or("CHORUS_MAX_RESPONSE_BYTES", 8 * 1024 * 1024)?,
            max_connections: env.or("CHORUS_MAX_CONNECTIONS", 512)?,
            header_timeout: env.secs("CHORUS_HEADER_TIMEOUT_SECS", 10)?,
            body_timeout: env.secs("CHORUS_BODY_TIMEOUT_SECS", 10)?,
            request_timeout: env.secs("CHORUS_REQUEST_TIMEOUT_SECS", 30)?,
            max_subscriptions_per_socket: env.or("CHORUS_MAX_SUBSCRIPTIONS_PER_SOCKET", 100)?,
            max_sockets_per_user: env.or("CHORUS_MAX_SOCKETS_PER_USER", 20)?,
            ws_send_buffer: env.or("CHORUS_WS_SEND_BUFFER", 256)?,
        };
        let positive = [
            ("CHORUS_MAX_CONNECTIONS", limits.max_connections),
            ("CHORUS_WS_SEND_BUFFER", limits.ws_send_buffer),
            (
                "CHORUS_MAX_SUBSCRIPTIONS_PER_SOCKET",
                limits.max_subscriptions_per_socket,
            ),
            ("CHORUS_MAX_SOCKETS_PER_USER", limits.max_sockets_per_user),
        ];
        if let Some((name, _)) = positive.iter().find(|(_, v)| *v == 0) {
            return Err(ConfigError {
                name,
                problem: "must be at least 1".into(),
            });
        }
        Ok(limits)
    }
}
