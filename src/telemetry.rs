//! Logging: `RUST_LOG` filters (default `info`), plain text locally; on
//! Lambda the runtime's subscriber, which writes JSON when the function's
//! log format is JSON (the template sets it) and honours
//! `AWS_LAMBDA_LOG_LEVEL`.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // A second init (tests) is harmless; ignore its error.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}

/// The Lambda functions' logging.
pub fn init_lambda() {
    lambda_runtime::tracing::init_default_subscriber();
}
