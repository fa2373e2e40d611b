//! CORS, so that a web app on another origin (a React dev server on
//! `localhost:3000`, a deployed site) can call `/graphql` with `fetch`.
//! Credentials are a bearer header, never a cookie, so admitting any origin
//! (the local default) lets no page act as a user it has no token for.
//!
//! On AWS the HTTP API responds to preflights itself, with the same settings
//! (`infra/template.yaml`'s `CorsConfiguration`; a test keeps them equal).

use axum::http::{HeaderName, HeaderValue, Method};
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Request headers a browser may send: the credentials and body type, and
/// those Apollo Client and Apollo's CSRF prevention add.
pub const ALLOWED_HEADERS: &[&str] = &[
    "authorization",
    "content-type",
    "accept",
    "apollographql-client-name",
    "apollographql-client-version",
    "apollo-require-preflight",
    "x-apollo-operation-name",
];

/// Response headers scripts may read: when to retry, how to authenticate.
pub const EXPOSED_HEADERS: &[&str] = &["retry-after", "www-authenticate"];

/// `PUT`: the local server's `/uploads` (on AWS the bytes go to S3).
pub const ALLOWED_METHODS: &[&str] = &["GET", "POST", "PUT", "OPTIONS"];

/// How long a browser may reuse a preflight response (browsers cap it lower:
/// Chromium at 2 hours).
pub const MAX_AGE_SECS: u64 = 86_400;

/// The layer for `origins` (`*` admits any).
pub fn layer(origins: &[String]) -> CorsLayer {
    let allow_origin = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok()),
        )
    };
    CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods(
            ALLOWED_METHODS
                .iter()
                .filter_map(|m| Method::from_bytes(m.as_bytes()).ok())
                .collect::<Vec<_>>(),
        )
        .allow_headers(names(ALLOWED_HEADERS))
        .expose_headers(names(EXPOSED_HEADERS))
        .max_age(Duration::from_secs(MAX_AGE_SECS))
}

fn names(list: &[&'static str]) -> Vec<HeaderName> {
    list.iter().map(|h| HeaderName::from_static(h)).collect()
}
