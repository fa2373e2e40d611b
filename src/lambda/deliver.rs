//! Delivery of one batch: `next` frames to WebSocket subscriptions through
//! the Management API and Web Push to offline members, concurrently. A
//! 410 Gone removes exactly that connection or push subscription.

use super::fanout::{DeliveryBatch, Document, SocketTarget};
use crate::delivery::dynamo::{expired, ConnectionRegistry};
use crate::delivery::management::{Management, PostOutcome};
use crate::delivery::webpush::{self, PushOutcome, WebPushSender};
use crate::domain::event::DomainEvent;
use crate::graphql::ws::protocol::{ServerMessage, SubscribePayload};
use crate::graphql::{ws, ChorusSchema, EventSource, Viewer};
use crate::service::ports::PushRegistry;
use futures_util::{stream, FutureExt, StreamExt};
use std::sync::Arc;

/// Requests in flight per batch.
const CONCURRENCY: usize = 64;

pub struct Deliver {
    pub schema: ChorusSchema,
    pub management: Management,
    pub connections: ConnectionRegistry,
    pub push: Arc<dyn PushRegistry>,
    /// `None` when no VAPID key is configured (push is then skipped).
    pub sender: Option<WebPushSender>,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct DeliverReport {
    pub frames: usize,
    pub gone_connections: usize,
    /// Connections closed because their token expired.
    pub expired_connections: usize,
    pub pushes: usize,
    pub gone_pushes: usize,
    pub failures: usize,
}

enum Outcome {
    Frames(usize),
    GoneConnection,
    Expired,
    Push,
    GonePush,
    Failed,
}

/// The frames one subscription gets for an event: its `next` (the
/// subscription's own selection, executed for its user), and `complete`
/// when the event ends the user's membership; an `error` if the
/// subscription is no longer allowed; nothing if the event is not its group's.
pub async fn frames(
    schema: &ChorusSchema,
    event: &Arc<DomainEvent>,
    doc: &Document,
    target: &SocketTarget,
) -> (Vec<ServerMessage>, bool) {
    let payload = SubscribePayload {
        query: doc.query.clone(),
        operation_name: doc.operation_name.clone(),
        variables: doc.variables.clone(),
        extensions: None,
    };
    let request = payload
        .to_request()
        .data(Viewer(Some(target.user_id.clone())))
        .data(EventSource::Replay(event.clone()));
    let id = target.subscription_id.clone();
    match ws::operation(schema, id.clone(), request).next().await {
        Some(next @ ServerMessage::Next { .. }) => {
            if event.ends_membership_of(&target.user_id) {
                (vec![next, ServerMessage::Complete { id }], true)
            } else {
                (vec![next], false)
            }
        }
        Some(error @ ServerMessage::Error { .. }) => (vec![error], true),
        _ => (Vec::new(), false),
    }
}

impl Deliver {
    #[tracing::instrument(skip_all, fields(group = %batch.event.group_id, sockets = batch.sockets.len(), pushes = batch.pushes.len()))]
    pub async fn run(&self, batch: &DeliveryBatch) -> DeliverReport {
        let event = Arc::new(batch.event.clone());
        let plaintext = webpush::payload(&batch.event);
        let sockets = batch
            .sockets
            .iter()
            .filter_map(|t| Some((t, batch.documents.get(t.document)?)));
        let socket_work =
            stream::iter(sockets).map(|(target, doc)| self.socket(&event, doc, target).boxed());
        let push_work = stream::iter(&batch.pushes).map(|sub| self.push(sub, &plaintext).boxed());
        let outcomes: Vec<Outcome> = stream::select(socket_work, push_work)
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        let mut report = DeliverReport::default();
        for outcome in outcomes {
            match outcome {
                Outcome::Frames(n) => report.frames += n,
                Outcome::GoneConnection => report.gone_connections += 1,
                Outcome::Expired => report.expired_connections += 1,
                Outcome::Push => report.pushes += 1,
                Outcome::GonePush => report.gone_pushes += 1,
                Outcome::Failed => report.failures += 1,
            }
        }
        report
    }

    /// Removes a connection this delivery found closed or expired.
    async fn forget(&self, connection_id: &str, why: &'static str) {
        if let Err(err) = self.connections.delete_connection(connection_id).await {
            tracing::warn!(error = %err, why, "connection not removed");
        }
    }

    async fn socket(
        &self,
        event: &Arc<DomainEvent>,
        doc: &Document,
        target: &SocketTarget,
    ) -> Outcome {
        if expired(target.token_expires_at) {
            // The socket outlived its token: close it (4403 in the
            // protocol's terms; API Gateway sends no code) and forget it.
            tracing::info!(code = 4403, "closing connection: token expired");
            self.management.close(&target.connection_id).await;
            self.forget(&target.connection_id, "expired").await;
            return Outcome::Expired;
        }
        let (frames, finished) = frames(&self.schema, event, doc, target).await;
        let count = frames.len();
        for frame in frames {
            match self
                .management
                .post(&target.connection_id, frame.to_json())
                .await
            {
                PostOutcome::Sent => {}
                PostOutcome::Gone => {
                    self.forget(&target.connection_id, "gone").await;
                    return Outcome::GoneConnection;
                }
                PostOutcome::Failed(why) => {
                    tracing::warn!(error = %why, "frame not delivered");
                    return Outcome::Failed;
                }
            }
        }
        if finished {
            if let Err(err) = self
                .connections
                .delete_subscription(&target.connection_id, &target.subscription_id)
                .await
            {
                tracing::warn!(error = %err, "finished subscription not removed");
            }
        }
        Outcome::Frames(count)
    }

    async fn push(&self, sub: &crate::domain::push::PushSubscription, plaintext: &[u8]) -> Outcome {
        let Some(sender) = &self.sender else {
            return Outcome::Failed;
        };
        match sender.send(sub, plaintext).await {
            PushOutcome::Delivered => Outcome::Push,
            PushOutcome::Gone => {
                if let Err(err) = self.push.remove(&sub.user_id, &sub.endpoint).await {
                    tracing::warn!(error = %err, "stale push subscription not removed");
                }
                Outcome::GonePush
            }
            PushOutcome::Failed(why) => {
                tracing::warn!(error = %why, "push not delivered");
                Outcome::Failed
            }
        }
    }
}
