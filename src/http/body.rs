//! Request bodies under the server's limits: one reader for every route
//! that takes a body (GraphQL, incoming webhooks).

use crate::config::Limits;
use axum::body::{to_bytes, Body, Bytes};
use axum::http::{header, HeaderMap};

/// Why a body was not read.
pub enum Refused {
    /// Over `max_body_bytes` (declared, or as it arrived).
    TooLarge(usize),
    /// Not all there within `body_timeout`.
    TooSlow,
}

/// The whole body, or why not: a declared length over the limit is refused
/// before a byte is read, a body that trickles in is cut off.
pub async fn read(limits: &Limits, headers: &HeaderMap, body: Body) -> Result<Bytes, Refused> {
    let max = limits.max_body_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err(Refused::TooLarge(max));
    }
    match tokio::time::timeout(limits.body_timeout, to_bytes(body, max)).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(Refused::TooLarge(max)),
        Err(_) => Err(Refused::TooSlow),
    }
}
