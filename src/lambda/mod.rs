//! The Lambda functions as library code: each `src/bin/*` main only loads
//! [`Env`] and hands its events to one of these.

pub mod deliver;
mod deliver_push;
mod env;
pub mod error;
pub mod fanout;
pub mod webhooks;
pub mod ws;

use crate::domain::event::DomainEvent;
use crate::service::Service;
use aws_lambda_events::sns::SnsEventObj;
use deliver::Deliver;
use error::FanoutError;
use fanout::{DeliveryShard, Fanout, ShardDelivery};

pub use env::{lambda_config, Env};

pub type Error = lambda_runtime::Error;

/// The `api` function's service: the router behind the stage stripper.
pub type ApiService =
    tower::util::MapRequest<axum::Router, fn(lambda_http::Request) -> lambda_http::Request>;

/// The environment each function needs (infra/template.yaml must set it;
/// a test checks). Every function builds the service, so all need the
/// store, auth and events settings.
pub const REQUIRED_ENV: &[(&str, &[&str])] = &[
    ("api", COMMON_ENV),
    ("ws", COMMON_ENV),
    // fanout delivers an audience of one shard itself, as deliver would.
    (
        "fanout",
        &[
            "DELIVERY_TOPIC_ARN",
            "FANOUT_SHARD_SIZE",
            "VAPID_PRIVATE_KEY",
            "VAPID_SUBJECT",
            "PUSH_TTL_SECS",
        ],
    ),
    (
        "deliver",
        &["VAPID_PRIVATE_KEY", "VAPID_SUBJECT", "PUSH_TTL_SECS"],
    ),
    ("sweep", COMMON_ENV),
    ("webhooks", &["WEBHOOK_QUEUE_URL"]),
];

/// What every function reads (from the template's Globals).
pub const COMMON_ENV: &[&str] = &[
    "NEO4J_URI",
    "NEO4J_USER",
    "NEO4J_PASSWORD",
    "NEO4J_DATABASE",
    "CHORUS_JWKS_URL",
    "CHORUS_JWT_ISSUERS",
    "CHORUS_JWT_AUDIENCES",
    "EVENTS_TOPIC_ARN",
    "CONNECTIONS_TABLE",
    "PUSH_TABLE",
    "AUDIENCE_TABLE",
    "RATE_LIMIT_TABLE",
    "WS_MANAGEMENT_ENDPOINT",
    "CHORUS_SECRETS_KEY",
    "JOBS_QUEUE_URL",
];

/// The `fanout` function: one domain event per SNS record (the runtime
/// refuses a record that is not one).
pub async fn fanout(fanout: &Fanout, event: SnsEventObj<DomainEvent>) -> Result<(), FanoutError> {
    for record in event.records {
        let report = fanout.run(&record.sns.message).await?;
        tracing::info!(?report, "fanned out");
    }
    Ok(())
}

/// The `deliver` function: one audience shard per SNS record. Delivery
/// failures are per recipient (counted in the report); only a shard that
/// cannot be read fails the invocation (and Lambda retries it).
pub async fn deliver(
    deliver: &Deliver,
    event: SnsEventObj<DeliveryShard>,
) -> Result<(), FanoutError> {
    for record in event.records {
        deliver.deliver(&record.sns.message).await?;
    }
    Ok(())
}

/// The `sweep` function: every minute, publishes the events the outbox
/// still holds (SNS was down, or a function stopped between commit and
/// publish), sweeps uploads and finishes exports and deletions no job
/// finished; given a batch of the job queue, runs its jobs. Fails the
/// invocation when something is left (the next run, or SQS, tries again:
/// every job is idempotent).
pub async fn sweep(
    service: &Service,
    event: serde_json::Value,
) -> Result<serde_json::Value, Error> {
    if event.get("Records").is_some() {
        let batch: aws_lambda_events::sqs::SqsEvent = serde_json::from_value(event)?;
        let mut ran = 0;
        for record in batch.records {
            let job: crate::service::ports::Job =
                serde_json::from_str(record.body.as_deref().unwrap_or_default())?;
            service.run_job(&job).await?;
            ran += 1;
        }
        return Ok(serde_json::json!({ "jobs": ran }));
    }
    let now = crate::domain::now();
    let report = service.sweep_outbox(now).await?;
    let uploads = service.sweep_uploads(now).await?;
    let jobs = service.sweep_jobs().await?;
    if report.failed > 0 {
        return Err(format!("{} events not published yet", report.failed).into());
    }
    Ok(serde_json::json!({
        "published": report.published, "uploadsSwept": uploads, "jobs": jobs,
    }))
}

/// Records API Gateway's domain on the request (the base of the URLs the
/// API hands out) and strips the stage: REST API v1 events carry it in
/// the path (`/prod/graphql`); HTTP API events (the template's) do not.
/// Routes are stage-free.
fn strip_stage(mut request: lambda_http::Request) -> lambda_http::Request {
    use lambda_http::request::RequestContext;
    // The API's own address, as API Gateway (not the client) names it: the
    // base of the URLs the API hands out unless CHORUS_PUBLIC_URL is set.
    let domain = match request.extensions().get::<RequestContext>() {
        Some(RequestContext::ApiGatewayV2(context)) => context.domain_name.clone(),
        Some(RequestContext::ApiGatewayV1(context)) => context.domain_name.clone(),
        _ => None,
    };
    if let Some(domain) = domain {
        let base = crate::graphql::BaseUrl(format!("https://{domain}"));
        request.extensions_mut().insert(base);
    }
    let Some(RequestContext::ApiGatewayV1(context)) = request.extensions().get::<RequestContext>()
    else {
        return request;
    };
    let Some(stage) = context.stage.clone() else {
        return request;
    };
    let path = request.uri().path();
    let Some(rest) = path
        .strip_prefix(&format!("/{stage}"))
        .filter(|r| r.starts_with('/'))
    else {
        return request;
    };
    let rewritten = match request.uri().query() {
        Some(query) => format!("{rest}?{query}"),
        None => rest.to_owned(),
    };
    if let Ok(uri) = rewritten.parse() {
        *request.uri_mut() = uri;
    }
    request
}

#[cfg(test)]
mod tests {
    use super::lambda_config;

    #[test]
    fn a_function_without_an_identity_provider_refuses_to_start() {
        fn config(
            vars: &[(&str, &str)],
        ) -> Result<crate::config::Config, crate::config::ConfigError> {
            lambda_config(|name| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            })
        }
        let refused = config(&[]).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(refused.contains("identity provider"), "{refused}");
        let builtin = [("CHORUS_DEV_SECRET", crate::config::LOCAL_DEV_SECRET)];
        assert!(config(&builtin).is_err(), "the public secret, set by hand");
        assert!(config(&[("CHORUS_DEV_SECRET", "a-real-secret")]).is_ok());
        let jwks = [
            ("CHORUS_JWKS_URL", "https://idp.example/jwks.json"),
            ("CHORUS_JWT_ISSUERS", "https://idp.example"),
            ("CHORUS_JWT_AUDIENCES", "client"),
        ];
        assert!(config(&jwks).is_ok());
    }
}
