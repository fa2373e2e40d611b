//! The axum router: built by one function that the local server and the
//! `api` Lambda both serve.

mod graphql;
mod ws;

use crate::auth::Authenticator;
use crate::domain::DomainError;
use crate::graphql::{ChorusSchema, Viewer};
use crate::service::Service;
use async_graphql::http::GraphiQLSource;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub schema: ChorusSchema,
    pub auth: Arc<Authenticator>,
    pub service: Arc<Service>,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
}

impl AppState {
    /// The viewer behind an `Authorization` value (anonymous when absent).
    async fn viewer(&self, credential: Option<&str>) -> Result<Viewer, DomainError> {
        let Some(credential) = credential else {
            return Ok(Viewer(None));
        };
        let profile = self.auth.authenticate(credential).await?;
        self.service.sign_in(&profile).await?;
        Ok(Viewer(Some(profile.id)))
    }
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(graphiql))
        .route("/graphql", get(graphql::get_or_upgrade).post(graphql::post))
        .route("/health", get(health))
        .with_state(state)
}

async fn graphiql() -> impl IntoResponse {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql")
            .finish(),
    )
}

async fn health() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}
