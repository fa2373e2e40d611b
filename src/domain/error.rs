//! The one error type of the domain and service layers.
//!
//! Error policy for every layer:
//! - `store::StoreError` says what went wrong with storage; the service turns
//!   it into a [`DomainError`] (`From` below) and nothing else sees it.
//! - [`DomainError`] is what a use case can answer. Every variant but
//!   `Internal` is safe to show a client as is; `Internal` keeps its cause for
//!   the logs only.
//! - `graphql::errors::ApiError` is the boundary: it maps each variant to an
//!   `extensions.code`, logs internal causes with their chain and shows the
//!   client only "internal error".
//!
//! Nothing in this crate panics on client input: invalid values are refused
//! by the parsing constructors in `domain` before they reach a store.

/// A boxed cause, kept for logs.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// No valid credentials were presented.
    #[error("authentication required: {0}")]
    Unauthenticated(String),
    /// The viewer is known but not allowed to do this.
    #[error("{0}")]
    Forbidden(String),
    /// The named thing does not exist (or is invisible to the viewer).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The input breaks a documented limit or format.
    #[error("{0}")]
    InvalidInput(String),
    /// The request is valid but the current state refuses it
    /// (an illegal membership transition, a uniqueness clash).
    #[error("{0}")]
    Conflict(String),
    /// A muted member tried to post, reply or react (`FORBIDDEN`, with
    /// `extensions.until`).
    #[error("you are muted in this group until {until}")]
    Muted { until: super::Timestamp },
    /// Too many requests from this user; try again after the given time.
    #[error("rate limit exceeded, retry in {retry_after_ms} ms")]
    RateLimited { retry_after_ms: u64 },
    /// Anything else. The cause is logged, never shown.
    #[error("internal error")]
    Internal(#[source] Cause),
}

impl DomainError {
    pub fn forbidden(msg: impl Into<String>) -> Self {
        Self::Forbidden(msg.into())
    }

    pub fn invalid(msg: impl Into<String>) -> Self {
        Self::InvalidInput(msg.into())
    }

    pub fn conflict(msg: impl Into<String>) -> Self {
        Self::Conflict(msg.into())
    }

    /// The `extensions.code` clients see for this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) | Self::Muted { .. } => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::InvalidInput(_) => "BAD_USER_INPUT",
            Self::Conflict(_) => "CONFLICT",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::Internal(_) => "INTERNAL",
        }
    }
}

pub type DomainResult<T> = Result<T, DomainError>;
