//! What every function builds once per cold start ([`Env`]), and the
//! parts each function is made of: service, schema, registries, clients.
//! Each function's builder (`api`, `ws`, `fanout`, `deliver`, `webhooks`;
//! `parts` for `sweep`) runs once, at cold start, and reads only the
//! variables that function uses: a missing one fails the start, naming it
//! (tests/api/lambda_start.rs).

use super::deliver::Deliver;
use super::fanout::{Fanout, SnsDeliveryQueue};
use super::webhooks::{SqsRetryQueue, Webhooks};
use super::{strip_stage, ws, ApiService, Error};
use crate::app;
use crate::config::{AwsConfig, Config, ConfigError};
use crate::delivery::dynamo_audience::DynamoAudience;
use crate::delivery::dynamo_connections::ConnectionRegistry;
use crate::delivery::dynamo_push::DynamoPushRegistry;
use crate::delivery::dynamo_rate_limit::DynamoRateLimiter;
use crate::delivery::management::Management;
use crate::delivery::mobile::{PlatformApps, SnsMobilePush};
use crate::delivery::s3::S3Files;
use crate::delivery::sns::SnsPublisher;
use crate::delivery::sqs_jobs::SqsJobs;
use crate::delivery::webpush::WebPushSender;
use crate::domain::rate::Bucket;
use crate::service::ports::{EventPublisher, NoEvents, NoFileStorage, RateLimit};
use crate::service::Ports;
use crate::store::Store;
use std::sync::Arc;

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
    pub fn parts(&self) -> Result<app::Parts, Error> {
        let topic = AwsConfig::require(&self.aws().events_topic_arn, "EVENTS_TOPIC_ARN")?;
        let events = Arc::new(SnsPublisher::new(self.sns(), topic.to_owned()));
        self.parts_with(events)
    }

    fn parts_with(&self, events: Arc<dyn EventPublisher>) -> Result<app::Parts, Error> {
        let limiter = match self.aws().rate_limit_table.clone() {
            Some(table) => {
                let bucket = Bucket::new(self.config.rate_burst, self.config.rate_per_sec);
                Arc::new(DynamoRateLimiter::new(self.dynamo(), table, bucket)) as Arc<dyn RateLimit>
            }
            None => app::local_limiter(&self.config),
        };
        let ports = Ports {
            store: self.store.clone(),
            events,
            push: self.push_registry()?,
            limiter,
            webhooks: app::webhook_delivery(&self.config, false)
                .map_err(|e| -> Error { e.into() })?,
            devices: Arc::new(self.mobile()),
            online: Arc::new(self.connections()?),
            publish_wait: self.config.publish_wait,
            files: match &self.aws().uploads_bucket {
                Some(bucket) => Arc::new(S3Files::new(&self.sdk, bucket.clone())),
                None => Arc::new(NoFileStorage),
            },
            upload_rules: self.config.uploads.clone(),
            search_limiter: self
                .budget(Bucket::per_minute(self.config.search_per_minute), "search#"),
            report_limiter: self
                .budget(Bucket::per_hour(crate::domain::report::PER_HOUR), "report#"),
            jobs: (self.aws().jobs_queue_url.as_ref())
                .map(|url| Arc::new(SqsJobs::new(&self.sdk, url.clone())) as _),
        };
        Ok(app::parts(&self.config, ports))
    }

    /// A budget of its own (searches, reports): in the rate-limit table
    /// beside the mutation budget (items under `prefix`), else per process.
    fn budget(&self, bucket: Bucket, prefix: &'static str) -> Arc<dyn RateLimit> {
        match self.aws().rate_limit_table.clone() {
            Some(table) => {
                Arc::new(DynamoRateLimiter::new(self.dynamo(), table, bucket).with_prefix(prefix))
            }
            None => Arc::new(crate::service::rate_limit::RateLimiter::of(bucket)),
        }
    }

    /// SNS mobile push in the configured platform applications.
    fn mobile(&self) -> SnsMobilePush {
        let aws = self.aws();
        SnsMobilePush {
            client: self.sns(),
            apps: PlatformApps {
                fcm: aws.fcm_application_arn.clone(),
                apns: aws.apns_application_arn.clone(),
                apns_sandbox: aws.apns_sandbox_application_arn.clone(),
            },
        }
    }

    /// The `api` function: the local server's router, in front of which
    /// REST API v1 events lose the stage from their path (before routing).
    pub fn api(&self) -> Result<ApiService, Error> {
        // Its exports and deletions run in the sweep function: a task of a
        // Lambda instance stops when the response is sent.
        AwsConfig::require(&self.aws().jobs_queue_url, "JOBS_QUEUE_URL")?;
        let router = app::app_router(&self.config, self.parts()?);
        Ok(tower::util::MapRequest::new(
            router,
            strip_stage as fn(lambda_http::Request) -> lambda_http::Request,
        ))
    }

    pub fn ws(&self) -> Result<ws::WsHandler, Error> {
        let app::Parts {
            service, schema, ..
        } = self.parts()?;
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
            direct: Arc::new(self.deliver()?),
            shard_size: self.aws().fanout_shard_size,
        })
    }

    /// The `webhooks` function: the service (its store and webhook
    /// transport, the address rule on) and the queue retries wait in.
    pub fn webhooks(&self) -> Result<Webhooks, Error> {
        let queue_url = AwsConfig::require(&self.aws().webhook_queue_url, "WEBHOOK_QUEUE_URL")?;
        let service = self.parts()?.service;
        Ok(Webhooks {
            service,
            queue: Arc::new(SqsRetryQueue {
                client: aws_sdk_sqs::Client::new(&self.sdk),
                queue_url: queue_url.to_owned(),
            }),
        })
    }

    /// The `deliver` function: its schema only reads (its service publishes
    /// nothing, so it needs no events topic).
    pub fn deliver(&self) -> Result<Deliver, Error> {
        let schema = self.parts_with(Arc::new(NoEvents))?.schema;
        let aws = self.aws();
        let sender = aws
            .vapid_private_key
            .clone()
            .map(|key| {
                let (subject, ttl) = (aws.vapid_subject.clone(), aws.push_ttl_secs);
                WebPushSender::new(key, subject, ttl, self.config.allow_private(false)).ok_or(
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
            mobile: Some(self.mobile()),
            store: self.store.clone(),
        })
    }
}
