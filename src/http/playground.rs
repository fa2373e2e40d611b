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

pub async fn page() -> impl IntoResponse {
    Html(PAGE)
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
