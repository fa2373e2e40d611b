//! Delivery adapters behind the service's ports (`service::ports`): where
//! committed events go, and where push subscriptions live. Locally both are
//! in process; on AWS, SNS and DynamoDB.

pub mod broker;
pub mod dynamo;
mod dynamo_connections;
pub mod dynamo_push;
mod dynamo_subscriptions;
pub mod management;
pub mod push;
pub mod sns;
pub mod webpush;
