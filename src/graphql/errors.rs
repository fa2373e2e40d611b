//! The API boundary of the error policy (see `domain::error`): every
//! resolver returns [`ApiResult`], whose error becomes a GraphQL error with
//! `extensions.code`. Internal causes are logged here, with their chain, and
//! reach the client only as "internal error".
//!
//! `ApiError` deliberately does not implement `Display`: async-graphql's
//! blanket `From<T: Display>` would otherwise let a `?` leak internal text.

use crate::domain::DomainError;
use async_graphql::ErrorExtensions;
use std::sync::Arc;

/// Shared (`Arc`) because async-graphql clones resolver errors and a
/// batched load hands one error to a whole batch.
#[derive(Debug, Clone)]
pub struct ApiError(Arc<DomainError>);

pub type ApiResult<T> = Result<T, ApiError>;

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        Self(Arc::new(err))
    }
}

impl From<Arc<DomainError>> for ApiError {
    fn from(err: Arc<DomainError>) -> Self {
        Self(err)
    }
}

/// A GraphQL error with the given code, for errors raised outside resolvers.
pub fn coded(message: impl Into<String>, code: &'static str) -> async_graphql::Error {
    async_graphql::Error::new(message).extend_with(|_, ext| ext.set("code", code))
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        let domain = err.0.as_ref();
        if let DomainError::Internal(cause) = domain {
            let mut chain = cause.to_string();
            let mut source = cause.source();
            while let Some(s) = source {
                chain.push_str(": ");
                chain.push_str(&s.to_string());
                source = s.source();
            }
            tracing::error!(error = %chain, "internal error");
        }
        let mut error = coded(domain.to_string(), domain.code());
        if let DomainError::RateLimited { retry_after_ms } = domain {
            let retry = *retry_after_ms;
            error = error.extend_with(|_, ext| ext.set("retryAfterMs", retry));
        }
        if let DomainError::Muted { until } = domain {
            let until = until.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
            error = error.extend_with(|_, ext| ext.set("until", until.clone()));
        }
        error
    }
}

/// An error of the request as a whole, raised outside execution (while
/// identifying the caller, or refusing the document before it runs): no
/// `locations`, as nothing in the document is at fault.
pub fn request_error(error: async_graphql::Error) -> async_graphql::ServerError {
    let mut server = async_graphql::ServerError::new(error.message, None);
    server.extensions = error.extensions;
    server
}

/// The message (and, with its code, the error) a client sees when the
/// server does not know a persisted query's hash (`graphql::apq`).
pub const PERSISTED_QUERY_NOT_FOUND: &str = "PersistedQueryNotFound";
pub const PERSISTED_QUERY_NOT_FOUND_CODE: &str = "PERSISTED_QUERY_NOT_FOUND";

/// Gives every error without a code (syntax, validation, limits: all
/// refusals of the request as sent) the code `BAD_USER_INPUT`, but for an
/// unknown persisted-query hash, which has the code Apollo's clients know.
pub fn fill_codes(errors: &mut [async_graphql::ServerError]) {
    for error in errors {
        let code = if error.message == PERSISTED_QUERY_NOT_FOUND {
            PERSISTED_QUERY_NOT_FOUND_CODE
        } else {
            "BAD_USER_INPUT"
        };
        let ext = error.extensions.get_or_insert_with(Default::default);
        if ext.get("code").is_none() {
            ext.set("code", code);
        }
    }
}
