//! Delivery adapters behind the service's ports (`service::ports`): where
//! committed events go, where push subscriptions live, where rate-limit
//! buckets are kept. Locally all are in process; on AWS, SNS and DynamoDB.

pub mod audience;
pub mod broker;
pub mod dynamo;
pub mod dynamo_audience;
pub mod dynamo_connections;
pub mod dynamo_push;
pub mod dynamo_rate_limit;
mod dynamo_subscriptions;
pub mod management;
pub mod mobile;
pub mod outbound;
pub mod push;
pub mod s3;
pub mod sns;
pub mod sqs_jobs;
pub mod webhook;
pub mod webpush;
