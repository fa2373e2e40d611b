//! The `api` Lambda: the GraphQL router behind an HTTP API.
#![recursion_limit = "256"]

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    chorus::telemetry::init_lambda();
    let env = chorus::lambda::Env::load().await?;
    lambda_http::run(env.api()?).await
}
