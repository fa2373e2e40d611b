//! The `deliver` Lambda: one audience shard -> WebSocket frames and Web Push.
#![recursion_limit = "256"]

use aws_lambda_events::sns::SnsEventObj;
use lambda_runtime::{service_fn, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    chorus::telemetry::init_lambda();
    let env = chorus::lambda::Env::load().await?;
    let deliver = &env.deliver()?;
    lambda_runtime::run(service_fn(
        |event: LambdaEvent<SnsEventObj<chorus::lambda::fanout::DeliveryShard>>| {
            chorus::lambda::deliver(deliver, event.payload)
        },
    ))
    .await
}
