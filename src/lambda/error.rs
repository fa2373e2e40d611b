//! What the SNS-subscribed functions fail with, typed, and as the Lambda
//! runtime reports it (`Diagnostic`: an error type and a message, never
//! the event's content). A failed invocation is retried by Lambda.

use crate::delivery::sns::Unpublished;
use crate::service::ports::RegistryError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum FanoutError {
    #[error("connection or push registry unavailable")]
    Registry(#[from] RegistryError),
    #[error("store unavailable")]
    Store(#[from] StoreError),
    #[error("delivery batches not published: {0}")]
    Publish(#[from] Unpublished),
}

impl FanoutError {
    fn kind(&self) -> &'static str {
        match self {
            Self::Registry(_) => "Chorus.Fanout.Registry",
            Self::Store(_) => "Chorus.Fanout.Store",
            Self::Publish(_) => "Chorus.Fanout.Publish",
        }
    }
}

impl From<FanoutError> for lambda_runtime::Diagnostic {
    fn from(err: FanoutError) -> Self {
        let mut message = err.to_string();
        let mut source = std::error::Error::source(&err);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        tracing::error!(error = %message, "fan-out failed");
        Self {
            error_type: err.kind().to_owned(),
            error_message: message,
        }
    }
}
