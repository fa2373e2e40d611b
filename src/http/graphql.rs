//! GraphQL over HTTP (the GraphQL-over-HTTP spec): POST with
//! `application/json`, GET for queries, responses in
//! `application/graphql-response+json` when the client accepts it (with the
//! spec's status codes) and in `application/json` otherwise.

use super::server::ConnectionSlot;
use super::{ws, AppState};
use crate::domain::DomainError;
use crate::graphql::apq::PersistedQueries;
use crate::graphql::errors::{coded, fill_codes, request_error, ApiError};
use crate::graphql::selected_operation;
use async_graphql::parser::types::OperationType;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State, WebSocketUpgrade};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

pub async fn post(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let modern = wants_graphql_response(&parts.headers);
    let is_json = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
        });
    if !is_json {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the request as application/json",
            modern,
        );
    }
    let bytes = match super::body::read(&state.limits, &parts.headers, body).await {
        Ok(bytes) => bytes,
        Err(super::body::Refused::TooLarge(max)) => {
            let msg = format!("request body is larger than {max} bytes");
            return refuse(StatusCode::PAYLOAD_TOO_LARGE, &msg, modern);
        }
        Err(super::body::Refused::TooSlow) => {
            let msg = "the request body did not arrive in time";
            return refuse(StatusCode::REQUEST_TIMEOUT, msg, modern);
        }
    };
    let Ok(request) = serde_json::from_slice::<async_graphql::Request>(&bytes) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "the body is not a GraphQL request in JSON",
            modern,
        );
    };
    execute(&state, &parts, request, modern).await
}

pub async fn get_or_upgrade(State(state): State<AppState>, request: Request) -> Response {
    let (mut parts, _) = request.into_parts();
    if parts.headers.contains_key(header::UPGRADE) {
        let slot = parts.extensions.get::<ConnectionSlot>().cloned();
        return match WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
            Ok(upgrade) => {
                let base = base_url(&state, &parts);
                ws::upgrade(state, upgrade, slot, base)
            }
            Err(rejection) => rejection.into_response(),
        };
    }
    let modern = wants_graphql_response(&parts.headers);
    let query = parts.uri.query().unwrap_or_default();
    let Ok(mut request) = async_graphql::http::parse_query_string(query) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "malformed GraphQL query string",
            modern,
        );
    };
    // The spec's name is `operationName` (async-graphql reads only
    // `operation_name`).
    if request.operation_name.is_none() {
        request.operation_name = form_urlencoded::parse(query.as_bytes())
            .find(|(name, _)| name == "operationName")
            .map(|(_, value)| value.into_owned());
    }
    if !is_query(&state, &mut request).await {
        let mut response = refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            "only queries may be sent with GET",
            modern,
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
        return response;
    }
    execute(&state, &parts, request, modern).await
}

/// Whether the operation to run is a query (unparsable documents and
/// unknown persisted-query hashes pass, so that execution reports them).
/// The parse, or the document a hash stands for, is kept in the request.
async fn is_query(state: &AppState, request: &mut async_graphql::Request) -> bool {
    if let Some(persisted) = state.schema.data::<PersistedQueries>() {
        persisted.fill(request);
    }
    let name = request.operation_name.clone();
    let Ok(doc) = request.parsed_query() else {
        return true;
    };
    let operation = selected_operation(doc, name.as_deref());
    operation.is_none_or(|op| op.ty == OperationType::Query)
}

async fn execute(
    state: &AppState,
    parts: &axum::http::request::Parts,
    request: async_graphql::Request,
    modern: bool,
) -> Response {
    let credential = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let viewer = match state.viewer(credential).await {
        Ok(viewer) => viewer,
        Err(err) => {
            // A bad token is the client's to fix (401); an outage of the
            // identity provider or the store is ours (503), and clients
            // must not sign their users out over it.
            let status = match err {
                DomainError::Internal(_) => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::UNAUTHORIZED,
            };
            let err = async_graphql::Error::from(ApiError::from(err));
            let mut response = respond(status, &errors_only(vec![request_error(err)]), modern);
            if status == StatusCode::UNAUTHORIZED {
                // RFC 6750: how to authenticate, and that this token failed.
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer error=\"invalid_token\""),
                );
            }
            return response;
        }
    };
    // A service handle of its own: one memo of access checks per request.
    let service = std::sync::Arc::new(state.service.for_request());
    let request = request
        .data(viewer)
        .data(base_url(state, parts))
        .data(service);
    let mut response = state.schema.execute(request).await;
    fill_codes(&mut response.errors);
    // A request error (syntax, validation, limits): execution never started.
    let request_error = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    if request_error {
        let status = if modern {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        };
        return respond(status, &errors_only(response.errors), modern);
    }
    let retry_after = retry_after_secs(&response.errors);
    let mut reply = respond(StatusCode::OK, &response, modern);
    if let Some(secs) = retry_after {
        reply
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    reply
}

/// `Retry-After` (whole seconds, rounded up) for a rate-limited request:
/// the longest `retryAfterMs` among its errors.
fn retry_after_secs(errors: &[async_graphql::ServerError]) -> Option<u64> {
    errors
        .iter()
        .filter_map(|e| e.extensions.as_ref()?.get("retryAfterMs"))
        .filter_map(|v| match v {
            async_graphql::Value::Number(n) => n.as_u64(),
            _ => None,
        })
        .max()
        .map(|ms| ms.div_ceil(1000).max(1))
}

/// A response with no `data` entry: a request that never ran.
#[derive(serde::Serialize)]
struct ErrorsOnly {
    errors: Vec<async_graphql::ServerError>,
}

fn errors_only(errors: Vec<async_graphql::ServerError>) -> ErrorsOnly {
    ErrorsOnly { errors }
}

fn refuse(status: StatusCode, message: &str, modern: bool) -> Response {
    let error = request_error(coded(message, "BAD_USER_INPUT"));
    respond(status, &errors_only(vec![error]), modern)
}

/// `body` serialized once, straight to the response bytes.
fn respond(status: StatusCode, body: &impl serde::Serialize, modern: bool) -> Response {
    let content_type = if modern {
        GRAPHQL_RESPONSE_JSON
    } else {
        "application/json"
    };
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut response = (status, Body::from(bytes)).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// The base of the URLs the API hands out: `CHORUS_PUBLIC_URL`, else the
/// one the `api` Lambda put on the request (API Gateway's domain), else
/// `http://` and the request's `Host`. `X-Forwarded-Host` is never read: a
/// client could point a hook's URL anywhere with it.
fn base_url(state: &AppState, parts: &axum::http::request::Parts) -> crate::graphql::BaseUrl {
    if let Some(url) = state
        .public_url
        .as_ref()
        .or_else(|| parts.extensions.get::<crate::graphql::BaseUrl>())
    {
        return url.clone();
    }
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
        })
        .unwrap_or("localhost");
    crate::graphql::BaseUrl(format!("http://{host}"))
}

/// The client lists `application/graphql-response+json` in `Accept` and
/// prefers it to (or does not list) `application/json`.
fn wants_graphql_response(headers: &HeaderMap) -> bool {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let position = |mime: &str| {
        accept
            .split(',')
            .position(|part| part.trim().starts_with(mime))
    };
    match (
        position(GRAPHQL_RESPONSE_JSON),
        position("application/json"),
    ) {
        (Some(modern), Some(legacy)) => modern < legacy,
        (Some(_), None) => true,
        _ => false,
    }
}
