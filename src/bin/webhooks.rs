//! The `webhooks` Lambda: the webhook queue (events, and retries it put
//! back) -> signed Standard Webhooks requests.
#![recursion_limit = "256"]

use aws_lambda_events::sqs::SqsEvent;
use lambda_runtime::{service_fn, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    chorus::telemetry::init_lambda();
    let env = chorus::lambda::Env::load().await?;
    let webhooks = &env.webhooks()?;
    lambda_runtime::run(service_fn(|event: LambdaEvent<SqsEvent>| async move {
        let deadline = chorus::lambda::webhooks::time_left(event.context.deadline);
        Ok::<_, lambda_runtime::Error>(
            chorus::lambda::webhooks::handle(webhooks, event.payload, deadline).await,
        )
    }))
    .await
}
