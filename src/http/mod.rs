//! The axum router: built by one function that the local server and the
//! `api` Lambda both serve.

mod app;
mod body;
pub mod cors;
mod dev;
mod graphql;
mod hooks;
pub mod playground;
pub mod server;
mod slack;
mod sockets;
pub mod uploads;
mod ws;

use crate::auth::{Authenticator, Identity};
use crate::config::Limits;
use crate::domain::DomainError;
use crate::graphql::ws::replay::SharedAnswers;
use crate::graphql::{ChorusSchema, Viewer};
use crate::service::ports::LiveEvents;
use crate::service::Service;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use sockets::SocketCounts;

#[derive(Clone)]
pub struct AppState {
    pub schema: ChorusSchema,
    pub auth: Arc<Authenticator>,
    pub service: Arc<Service>,
    pub limits: Limits,
    /// Open WebSockets per user (the local server's cap).
    pub sockets: Arc<SocketCounts>,
    /// `CHORUS_PUBLIC_URL`, if set: the base of the URLs the API hands out.
    pub public_url: Option<crate::graphql::BaseUrl>,
    /// Where sockets hear their groups' events (`None`: this process
    /// serves no subscriptions, as the `api` Lambda).
    pub live: Option<Arc<dyn LiveEvents>>,
    /// Recent events' results of documents that are the same for every
    /// member, shared by the sockets that hold them.
    pub answers: Arc<SharedAnswers>,
    /// The local server's file storage (`None` where files live in S3),
    /// and the largest upload it takes.
    pub files: Option<(Arc<uploads::LocalFiles>, u64)>,
    /// "Sign in as" (`POST /dev/token`): only the local server with the
    /// built-in dev secret has it.
    pub dev_tokens: Option<Arc<crate::auth::dev::DevTokens>>,
}

impl AppState {
    /// The verified holder of an `Authorization` value (none when absent),
    /// signed in (created or refreshed in the store).
    async fn identify(&self, credential: Option<&str>) -> Result<Option<Identity>, DomainError> {
        let Some(credential) = credential else {
            return Ok(None);
        };
        let identity = self.service.identify(&self.auth, credential).await?;
        Ok(Some(identity))
    }

    /// The viewer behind an `Authorization` value (anonymous when absent).
    async fn viewer(&self, credential: Option<&str>) -> Result<Viewer, DomainError> {
        let identity = self.identify(credential).await?;
        Ok(Viewer(identity.map(|i| i.profile.id)))
    }
}

/// Every route, with a per-request timeout that cancels the work (503),
/// serving browsers from `cors_origins` (see [`cors`]).
pub fn router(state: AppState, cors_origins: &[String]) -> Router {
    let timeout = state.limits.request_timeout;
    let (files, dev_tokens) = (state.files.clone(), state.dev_tokens.clone());
    let mut router = Router::new()
        .route("/", get(playground::page))
        .route("/graphiql/{name}", get(playground::asset))
        .route("/app", get(app::page))
        .route("/app/", get(app::page))
        .route("/app/{name}", get(app::file))
        .route("/graphql", get(graphql::get_or_upgrade).post(graphql::post))
        .route("/health", get(health))
        .route("/hooks/{id}/{secret}", axum::routing::post(hooks::post))
        .with_state(state);
    if let Some((files, max_bytes)) = files {
        let limit = usize::try_from(max_bytes).unwrap_or(usize::MAX);
        let uploads = Router::new()
            .route("/uploads/{group}/{id}", get(uploads::get).put(uploads::put))
            .layer(axum::extract::DefaultBodyLimit::max(limit))
            .with_state(files);
        router = router.merge(uploads);
    }
    if let Some(tokens) = dev_tokens {
        let sign_in = Router::new()
            .route("/dev/token", axum::routing::post(dev::token))
            .with_state(tokens);
        router = router.merge(sign_in);
    }
    router
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(cors::layer(cors_origins))
}

/// One span per request: method and path, never the query string (a GET
/// carries the GraphQL document and its variables there) nor a hook's
/// secret.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let path = hooks::loggable_path(request.uri().path());
    tracing::info_span!("http", method = %request.method(), path = %path)
}

async fn health() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}
