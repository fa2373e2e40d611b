//! The AWS part of the configuration: resource names and what the Lambda
//! functions read.

use super::limits::Env;
use super::ConfigError;
use secrecy::SecretString;

/// Names of the AWS resources the Lambdas use (set by infra/template.yaml).
/// AWS clients read `AWS_REGION`, credentials and `AWS_ENDPOINT_URL`
/// themselves.
#[derive(Debug, Clone, Default)]
pub struct AwsConfig {
    /// `EVENTS_TOPIC_ARN`: where the `api` Lambda publishes domain events.
    pub events_topic_arn: Option<String>,
    /// `DELIVERY_TOPIC_ARN`: where `fanout` publishes delivery batches.
    pub delivery_topic_arn: Option<String>,
    /// `CONNECTIONS_TABLE`: WebSocket connections and subscriptions.
    pub connections_table: Option<String>,
    /// `PUSH_TABLE`: Web Push subscriptions by user.
    pub push_table: Option<String>,
    /// `AUDIENCE_TABLE`: each group's audience, sharded (fan-out reads it).
    pub audience_table: Option<String>,
    /// `RATE_LIMIT_TABLE`: per-user mutation buckets, shared by every
    /// instance (without it each process keeps its own).
    pub rate_limit_table: Option<String>,
    /// `WS_MANAGEMENT_ENDPOINT`: the WebSocket API's management endpoint,
    /// `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}`.
    pub ws_management_endpoint: Option<String>,
    /// `VAPID_PRIVATE_KEY` (secret): base64url P-256 private key
    /// (`chorus vapid-keys` makes a pair).
    pub vapid_private_key: Option<SecretString>,
    /// `VAPID_SUBJECT`: contact for push services (`mailto:` or `https:`).
    pub vapid_subject: String,
    /// `PUSH_TTL_SECS`: how long push services keep a message (default 86400).
    pub push_ttl_secs: u32,
    /// `WEBHOOK_QUEUE_URL`: the SQS queue of webhook deliveries (fed by the
    /// events topic; the `webhooks` function puts its retries back on it).
    pub webhook_queue_url: Option<String>,
    /// `FANOUT_SHARD_SIZE`: members per audience shard (default 100).
    pub fanout_shard_size: usize,
    /// `FCM_PLATFORM_APPLICATION_ARN`, `APNS_PLATFORM_APPLICATION_ARN`,
    /// `APNS_SANDBOX_PLATFORM_APPLICATION_ARN`: the SNS platform
    /// applications native devices are registered in (each optional).
    pub fcm_application_arn: Option<String>,
    pub apns_application_arn: Option<String>,
    pub apns_sandbox_application_arn: Option<String>,
    /// `UPLOADS_BUCKET`: the S3 bucket of attachments (unset: uploads are
    /// refused).
    pub uploads_bucket: Option<String>,
    /// `JOBS_QUEUE_URL`: the SQS queue of data exports and account
    /// deletions (the `sweep` function reads it).
    pub jobs_queue_url: Option<String>,
}

impl AwsConfig {
    pub(super) fn from_env(env: &Env<'_>) -> Result<Self, ConfigError> {
        Ok(Self {
            events_topic_arn: env.text("EVENTS_TOPIC_ARN"),
            delivery_topic_arn: env.text("DELIVERY_TOPIC_ARN"),
            connections_table: env.text("CONNECTIONS_TABLE"),
            push_table: env.text("PUSH_TABLE"),
            audience_table: env.text("AUDIENCE_TABLE"),
            rate_limit_table: env.text("RATE_LIMIT_TABLE"),
            ws_management_endpoint: env.text("WS_MANAGEMENT_ENDPOINT"),
            vapid_private_key: env.text("VAPID_PRIVATE_KEY").map(SecretString::from),
            vapid_subject: env.or("VAPID_SUBJECT", "mailto:admin@example.com".to_owned())?,
            push_ttl_secs: env.or("PUSH_TTL_SECS", 86_400)?,
            webhook_queue_url: env.text("WEBHOOK_QUEUE_URL"),
            fanout_shard_size: env.or("FANOUT_SHARD_SIZE", 100)?,
            fcm_application_arn: env.text("FCM_PLATFORM_APPLICATION_ARN"),
            apns_application_arn: env.text("APNS_PLATFORM_APPLICATION_ARN"),
            apns_sandbox_application_arn: env.text("APNS_SANDBOX_PLATFORM_APPLICATION_ARN"),
            uploads_bucket: env.text("UPLOADS_BUCKET"),
            jobs_queue_url: env.text("JOBS_QUEUE_URL"),
        })
    }
}
