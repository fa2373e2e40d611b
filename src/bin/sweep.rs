//! The `sweep` Lambda, run every minute: publishes outbox events that
//! stayed unconfirmed (see `service::outbox`), sweeps uploads, finishes
//! exports and account deletions; and the reader of the job queue.
#![recursion_limit = "256"]

use lambda_runtime::{service_fn, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    chorus::telemetry::init_lambda();
    let env = chorus::lambda::Env::load().await?;
    let service = env.parts()?.service;
    let service = &service;
    lambda_runtime::run(service_fn(|event: LambdaEvent<serde_json::Value>| {
        chorus::lambda::sweep(service, event.payload)
    }))
    .await
}
