//! The Lambda functions as library code: each `src/bin/*` main only loads
//! [`Env`] and hands its events to one of these.

pub mod deliver;
pub mod error;
pub mod fanout;
pub mod ws;

use crate::app;
use crate::config::{AwsConfig, Config, ConfigError};
use crate::delivery::dynamo::ConnectionRegistry;
use crate::delivery::dynamo_audience::DynamoAudience;
use crate::delivery::dynamo_push::DynamoPushRegistry;
use crate::delivery::dynamo_rate_limit::DynamoRateLimiter;
use crate::delivery::management::Management;
use crate::delivery::sns::SnsPublisher;
use crate::delivery::webpush::WebPushSender;
use crate::domain::event::DomainEvent;
use crate::graphql::ChorusSchema;
use crate::service::ports::RateLimit;
use crate::service::rate_limit::Bucket;
use crate::service::Service;
use crate::store::Store;
use aws_lambda_events::sns::SnsEventObj;
use deliver::Deliver;
use error::FanoutError;
use fanout::{DeliveryShard, Fanout, SnsDeliveryQueue};
use std::sync::Arc;

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
    ("fanout", &["DELIVERY_TOPIC_ARN", "FANOUT_SHARD_SIZE"]),
    (
        "deliver",
        &["VAPID_PRIVATE_KEY", "VAPID_SUBJECT", "PUSH_TTL_SECS"],
    ),
    ("sweep", COMMON_ENV),
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
];

/// What every function builds once per cold start: configuration, AWS
/// configuration and the store.
pub struct Env {
    pub config: Config,
    pub sdk: aws_config::SdkConfig,
    pub store: Arc<dyn Store>,
}

/// The configuration of a Lambda function. Unlike the local server, a
/// function refuses to start without an identity provider (a JWKS) or an
/// explicitly set `CHORUS_DEV_SECRET`: the built-in dev secret is public,
/// and would let anyone sign in as anyone.
pub fn lambda_config(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
    let config = Config::from_lookup(get)?;
    if config.uses_builtin_dev_secret() {
        return Err(ConfigError::invalid(
            "CHORUS_JWKS_URL",
            "a Lambda function needs an identity provider (or an explicit CHORUS_DEV_SECRET)",
        ));
    }
    Ok(config)
}

impl Env {
    pub async fn load() -> Result<Self, Error> {
        let config = lambda_config(|name| std::env::var(name).ok())?;
        let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        let store = app::store(&config)
            .await
            .map_err(|e| -> Error { e.into() })?;
        Ok(Self { config, sdk, store })
    }

    fn aws(&self) -> &AwsConfig {
        &self.config.aws
    }

    fn dynamo(&self) -> aws_sdk_dynamodb::Client {
        aws_sdk_dynamodb::Client::new(&self.sdk)
    }

    fn sns(&self) -> aws_sdk_sns::Client {
        aws_sdk_sns::Client::new(&self.sdk)
    }

    pub fn connections(&self) -> Result<ConnectionRegistry, Error> {
        let table = AwsConfig::require(&self.aws().connections_table, "CONNECTIONS_TABLE")?;
        Ok(ConnectionRegistry::new(self.dynamo(), table.to_owned()))
    }

    /// The group audiences (`None` without `AUDIENCE_TABLE`: only
    /// `fanout` and `deliver` require it).
    fn audience(&self) -> Result<Option<DynamoAudience>, Error> {
        let Some(table) = self.aws().audience_table.clone() else {
            return Ok(None);
        };
        Ok(Some(DynamoAudience::new(
            self.dynamo(),
            table,
            self.connections()?,
        )))
    }

    fn require_audience(&self) -> Result<Arc<DynamoAudience>, Error> {
        let audience = self.audience()?;
        Ok(Arc::new(audience.ok_or(ConfigError::invalid(
            "AUDIENCE_TABLE",
            "fan-out and delivery need the audience table",
        ))?))
    }

    fn push_registry(&self) -> Result<Arc<DynamoPushRegistry>, Error> {
        let table = AwsConfig::require(&self.aws().push_table, "PUSH_TABLE")?;
        Ok(Arc::new(DynamoPushRegistry::new(
            self.dynamo(),
            table.to_owned(),
            self.audience()?,
        )))
    }

    fn management(&self) -> Result<Management, Error> {
        let endpoint =
            AwsConfig::require(&self.aws().ws_management_endpoint, "WS_MANAGEMENT_ENDPOINT")?;
        Ok(Management::new(&self.sdk, endpoint))
    }

    /// Service and schema with events going to the events topic and push
    /// subscriptions in DynamoDB (no in-process broker).
    pub fn parts(&self) -> Result<(Arc<Service>, ChorusSchema), Error> {
        let topic = AwsConfig::require(&self.aws().events_topic_arn, "EVENTS_TOPIC_ARN")?;
        let events = Arc::new(SnsPublisher::new(self.sns(), topic.to_owned()));
        let limiter = self.aws().rate_limit_table.clone().map(|table| {
            let bucket = Bucket::new(self.config.rate_burst, self.config.rate_per_sec);
            Arc::new(DynamoRateLimiter::new(self.dynamo(), table, bucket)) as Arc<dyn RateLimit>
        });
        Ok(app::parts(
            &self.config,
            self.store.clone(),
            events,
            self.push_registry()?,
            None,
            limiter,
        ))
    }

    /// The `api` function: the local server's router, in front of which
    /// REST API v1 events lose the stage from their path (before routing).
    pub fn api(&self) -> Result<ApiService, Error> {
        let (service, schema) = self.parts()?;
        let router = app::app_router(&self.config, service, schema);
        Ok(tower::util::MapRequest::new(
            router,
            strip_stage as fn(lambda_http::Request) -> lambda_http::Request,
        ))
    }

    pub fn ws(&self) -> Result<ws::WsHandler, Error> {
        let (service, schema) = self.parts()?;
        Ok(ws::WsHandler {
            auth: Arc::new(app::authenticator(&self.config)),
            service,
            schema,
            connections: self.connections()?,
            management: self.management()?,
            max_subscriptions: self.config.limits.max_subscriptions_per_socket,
            max_sockets: self.config.limits.max_sockets_per_user,
        })
    }

    pub fn fanout(&self) -> Result<Fanout, Error> {
        let topic = AwsConfig::require(&self.aws().delivery_topic_arn, "DELIVERY_TOPIC_ARN")?;
        Ok(Fanout {
            audience: self.require_audience()?,
            push: self.push_registry()?,
            queue: Arc::new(SnsDeliveryQueue {
                client: self.sns(),
                topic_arn: topic.to_owned(),
            }),
            shard_size: self.aws().fanout_shard_size,
        })
    }

    pub fn deliver(&self) -> Result<Deliver, Error> {
        let (_, schema) = self.parts()?;
        let aws = self.aws();
        let sender = aws
            .vapid_private_key
            .clone()
            .map(|key| {
                WebPushSender::new(key, aws.vapid_subject.clone(), aws.push_ttl_secs).ok_or(
                    ConfigError::invalid("VAPID_PRIVATE_KEY", "not a base64url P-256 private key"),
                )
            })
            .transpose()?;
        Ok(Deliver {
            schema,
            management: self.management()?,
            connections: self.connections()?,
            audience: self.require_audience()?,
            push: self.push_registry()?,
            sender,
        })
    }
}

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
        let report = deliver.run(&record.sns.message).await?;
        tracing::info!(?report, "delivered");
    }
    Ok(())
}

/// The `sweep` function (every minute): publishes the events the outbox
/// still holds (SNS was down, or a function stopped between commit and
/// publish). Fails the invocation when some could not be published, so the
/// failure shows in the function's metrics; the next run tries again.
pub async fn sweep(service: &Service) -> Result<serde_json::Value, Error> {
    let report = service.sweep_outbox(crate::domain::now()).await?;
    if report.failed > 0 {
        return Err(format!("{} events not published yet", report.failed).into());
    }
    Ok(serde_json::json!({ "published": report.published }))
}

/// REST API v1 events carry the stage in the path (`/prod/graphql`);
/// HTTP API events (the template's) do not. Routes are stage-free.
fn strip_stage(mut request: lambda_http::Request) -> lambda_http::Request {
    use lambda_http::request::RequestContext;
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
