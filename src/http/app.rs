//! The reference chat app (`clients/web`, React and Apollo Client), built
//! into `assets/app` by `scripts/build-app` and served at `/app` from the
//! binary itself: `cargo run` serves it with no Node on the machine.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

const PAGE: &str = include_str!("../../assets/app/index.html");
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/app/app.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/app/app.css"),
    ),
];

/// As GraphiQL's, with images also from `blob:` (an image's size is read
/// before its upload) and no inline styles.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; \
    frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

fn secure(mut response: Response, content_type: &'static str) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    super::playground::secured(response, CONTENT_SECURITY_POLICY)
}

/// `GET /app`: the app's page.
pub async fn page() -> Response {
    secure(Html(PAGE).into_response(), "text/html; charset=utf-8")
}

/// `GET /app/{name}`: its script and stylesheet.
pub async fn file(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, bytes)) => secure(bytes.into_response(), content_type),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
