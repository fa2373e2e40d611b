//! The `fanout` Lambda: events topic -> one delivery message per audience shard.
#![recursion_limit = "256"]

use aws_lambda_events::sns::SnsEventObj;
use lambda_runtime::{service_fn, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    chorus::telemetry::init_lambda();
    let env = chorus::lambda::Env::load().await?;
    let fanout = &env.fanout()?;
    lambda_runtime::run(service_fn(
        |event: LambdaEvent<SnsEventObj<chorus::domain::event::DomainEvent>>| {
            chorus::lambda::fanout(fanout, event.payload)
        },
    ))
    .await
}
