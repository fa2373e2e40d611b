//! Incoming webhooks: `POST /hooks/<id>/<secret>` with Slack's
//! incoming-webhook body (see [`super::slack`]: `text`, or attachments and
//! blocks; JSON or `payload=` in a form; `thread_ts` or `parentId` to
//! reply), responding as Slack does: `200 ok`, `400 no_text` /
//! `invalid_payload`, `404 no_service`, `429` with `Retry-After`.

use super::AppState;
use crate::domain::ids::HookId;
use crate::domain::{text, DomainError, MessageId};
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

fn answer(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

pub async fn post(
    State(state): State<AppState>,
    Path((id, secret)): Path<(String, String)>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match super::body::read(&state.limits, &parts.headers, body).await {
        Ok(bytes) => bytes,
        Err(super::body::Refused::TooLarge(_)) => {
            return answer(StatusCode::PAYLOAD_TOO_LARGE, "request_too_large")
        }
        Err(super::body::Refused::TooSlow) => {
            return answer(StatusCode::REQUEST_TIMEOUT, "request_timeout")
        }
    };
    let Ok(id) = HookId::parse(&id) else {
        return answer(StatusCode::NOT_FOUND, "no_service");
    };
    let form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| {
            t.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    let Ok(payload) = super::slack::parse(&bytes, form) else {
        return answer(StatusCode::BAD_REQUEST, "invalid_payload");
    };
    let Some(raw) = payload.text() else {
        return answer(StatusCode::BAD_REQUEST, "no_text");
    };
    let Ok(body) = text::message_body(&raw) else {
        return answer(StatusCode::BAD_REQUEST, "msg_too_long");
    };
    let parent = match payload.parent_id.or(payload.thread_ts) {
        Some(raw) => match MessageId::parse(&raw) {
            Ok(id) => Some(id),
            Err(_) => return answer(StatusCode::BAD_REQUEST, "invalid_thread_ts"),
        },
        None => None,
    };
    match state
        .service
        .post_from_hook(&id, &secret, body, parent)
        .await
    {
        Ok(_) => answer(StatusCode::OK, "ok"),
        Err(DomainError::NotFound(what)) if what == crate::service::UNKNOWN_HOOK => {
            answer(StatusCode::NOT_FOUND, "no_service")
        }
        Err(DomainError::NotFound(_)) => answer(StatusCode::BAD_REQUEST, "invalid_thread_ts"),
        Err(DomainError::Forbidden(_)) => answer(StatusCode::FORBIDDEN, "action_prohibited"),
        Err(DomainError::InvalidInput(_)) => answer(StatusCode::BAD_REQUEST, "invalid_payload"),
        Err(DomainError::RateLimited { retry_after_ms }) => {
            let mut response = answer(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
            let secs = retry_after_ms.div_ceil(1000).max(1);
            if let Ok(value) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Err(err) => {
            tracing::error!(error = %err, "incoming webhook failed");
            answer(StatusCode::SERVICE_UNAVAILABLE, "service_unavailable")
        }
    }
}

/// The path as spans record it: a hook's secret never reaches a log.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    match path.strip_prefix("/hooks/") {
        Some(rest) => {
            let id = rest.split('/').next().unwrap_or_default();
            format!("/hooks/{id}/<secret>").into()
        }
        None => path.into(),
    }
}
