//! `POST /dev/token`: "sign in as" for the local server's GraphiQL and
//! `/app`. It exists only on the local server while it signs with the
//! built-in dev secret (which anyone can read, so it grants nothing more
//! than `chorus dev-token` already does); Lambda functions never route it,
//! and refuse that secret at start.

use crate::auth::dev::DevTokens;
use crate::domain::UserId;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use std::sync::Arc;

/// The longest display name a dev token carries.
const MAX_NAME: usize = 100;

#[derive(Deserialize)]
pub struct SignInAs {
    user: String,
    name: Option<String>,
}

/// Signs a token for `user` (a person's id: not a bot's or a deleted
/// account's) with `name` (default: the id).
pub async fn token(State(tokens): State<Arc<DevTokens>>, Json(body): Json<SignInAs>) -> Response {
    let user = match UserId::person(body.user.trim()) {
        Ok(user) => user,
        Err(err) => return (StatusCode::BAD_REQUEST, err.to_string()).into_response(),
    };
    let name = body
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let name = name.unwrap_or(user.as_str());
    if name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return (StatusCode::BAD_REQUEST, "name: at most 100 characters").into_response();
    }
    match tokens.issue(user.as_str(), name) {
        Ok(token) => Json(serde_json::json!({ "token": token })).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
