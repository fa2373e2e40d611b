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

/// Domain events as the events topic carries them.
pub mod event_json {
    use crate::domain::event::DomainEvent;

    pub fn parse(message: &str) -> Result<DomainEvent, serde_json::Error> {
        serde_json::from_str(message)
    }
}
