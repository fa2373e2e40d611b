//! GraphiQL at `/`, self-contained: its page, scripts and styles are
//! compiled into the binary (`assets/graphiql/`, pinned versions with their
//! licences; `scripts/vendor-graphiql` refreshes them), so it works offline
//! and behind proxies. Asset names carry their versions, so browsers may
//! keep them for a year.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

const PAGE: &str = include_str!("../../assets/graphiql/index.html");

/// Served under `/graphiql/<name>`: (name, content type, bytes).
pub const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "graphiql-3.9.0.min.js",
        JS,
        include_bytes!("../../assets/graphiql/graphiql-3.9.0.min.js"),
    ),
    (
        "graphiql-3.9.0.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql-3.9.0.min.css"),
    ),
    (
        "react-18.3.1.min.js",
        JS,
        include_bytes!("../../assets/graphiql/react-18.3.1.min.js"),
    ),
    (
        "react-dom-18.3.1.min.js",
        JS,
        include_bytes!("../../assets/graphiql/react-dom-18.3.1.min.js"),
    ),
    (
        "graphql-ws-5.16.2.min.js",
        JS,
        include_bytes!("../../assets/graphiql/graphql-ws-5.16.2.min.js"),
    ),
    // Ours, not versioned: revalidated like the page.
    (
        "playground.js",
        JS,
        include_bytes!("../../assets/graphiql/playground.js"),
    ),
];

const JS: &str = "text/javascript; charset=utf-8";

/// The page's Content-Security-Policy: scripts, styles, fonts and images
/// only from this server (fonts and icons also as `data:` URLs, as
/// GraphiQL's stylesheet carries them), requests only to this server
/// (`'self'` covers its WebSocket), never framed. Styles may also be
/// inline: GraphiQL adds a `<style>` element when a dialog opens; scripts
/// may not.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
    connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

pub async fn page() -> Response {
    secured(Html(PAGE).into_response(), CONTENT_SECURITY_POLICY)
}

/// The headers of a page of this server (GraphiQL, the app): its CSP, never
/// framed or sniffed, no referrer, revalidated.
pub(super) fn secured(mut response: Response, csp: &'static str) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

pub async fn asset(Path(name): Path<String>) -> Response {
    let Some((name, content_type, bytes)) = ASSETS.iter().find(|(n, _, _)| *n == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cache = if name.contains(".min.") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
