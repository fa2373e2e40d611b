//! Delivery ports: where committed events go, and where push subscriptions
//! live. Locally both are in process; on AWS, SNS and DynamoDB.

pub mod broker;
pub mod deliver;
pub mod dynamo;
pub mod dynamo_connections;
pub mod dynamo_push;
pub mod fanout;
pub mod push;
pub mod sns;
pub mod webpush;
pub mod websocket;

use crate::domain::event::DomainEvent;
use async_trait::async_trait;

/// Publishes committed events. Called after the write committed, so it
/// never fails the caller: an implementation retries and logs.
#[async_trait]
pub trait EventPublisher: Send + Sync + 'static {
    async fn publish(&self, event: DomainEvent);
}

/// Domain events as the events topic carries them.
pub mod event_json {
    use crate::domain::event::DomainEvent;

    pub fn parse(message: &str) -> Result<DomainEvent, serde_json::Error> {
        serde_json::from_str(message)
    }
}
