//! The `ws` Lambda: graphql-transport-ws behind an API Gateway WebSocket API.
#![recursion_limit = "256"]

use aws_lambda_events::apigw::ApiGatewayWebsocketProxyRequest;
use lambda_runtime::{service_fn, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    chorus::telemetry::init_lambda();
    let env = chorus::lambda::Env::load().await?;
    let handler = &env.ws()?;
    lambda_runtime::run(service_fn(
        |event: LambdaEvent<ApiGatewayWebsocketProxyRequest>| async move {
            Ok::<_, lambda_runtime::Error>(handler.handle(event.payload).await)
        },
    ))
    .await
}
