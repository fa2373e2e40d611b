//! Delivery ports: where committed events go, and where push subscriptions
//! live. Locally both are in process; on AWS, SNS and DynamoDB.

pub mod broker;
pub mod push;
pub mod websocket;

use crate::domain::event::DomainEvent;
use async_trait::async_trait;

/// Publishes committed events. Called after the write committed, so it
/// never fails the caller: an implementation retries and logs.
#[async_trait]
pub trait EventPublisher: Send + Sync + 'static {
    async fn publish(&self, event: DomainEvent);
}
