//! Fan-out: who must hear an event, split into delivery batches so many
//! `deliver` Lambdas work in parallel and delivery time stays flat as a
//! group grows.

use super::error::FanoutError;
use crate::delivery::dynamo::{ConnectionRegistry, SubscriptionRow};
use crate::domain::event::{DomainEvent, EventKind};
use crate::domain::membership::MembershipState;
use crate::domain::page::PageRequest;
use crate::domain::push::PushSubscription;
use crate::domain::UserId;
use crate::service::ports::PushRegistry;
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A GraphQL document some subscriptions share.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub query: String,
    pub variables: Option<serde_json::Value>,
    pub operation_name: Option<String>,
}

/// One open subscription to deliver to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SocketTarget {
    pub connection_id: String,
    pub subscription_id: String,
    pub user_id: UserId,
    /// Index into the batch's `documents`.
    pub document: usize,
    /// When the connection's token expires (epoch seconds).
    #[serde(default)]
    pub token_expires_at: Option<i64>,
}

/// What one `deliver` invocation handles (one delivery-topic message).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryBatch {
    pub event: DomainEvent,
    pub documents: Vec<Document>,
    pub sockets: Vec<SocketTarget>,
    pub pushes: Vec<PushSubscription>,
}

/// Splits recipients into batches of at most `size`, each carrying only
/// the documents its sockets use.
pub fn plan(
    event: &DomainEvent,
    subscriptions: Vec<SubscriptionRow>,
    pushes: Vec<PushSubscription>,
    size: usize,
) -> Vec<DeliveryBatch> {
    let size = size.max(1);
    let mut batches = Vec::new();
    let mut subscriptions = subscriptions.into_iter().peekable();
    let mut pushes = pushes.into_iter().peekable();
    while subscriptions.peek().is_some() || pushes.peek().is_some() {
        let mut batch = DeliveryBatch {
            event: event.clone(),
            documents: Vec::new(),
            sockets: Vec::new(),
            pushes: Vec::new(),
        };
        let mut index: HashMap<Document, usize> = HashMap::new();
        for row in subscriptions.by_ref().take(size) {
            let doc = Document {
                query: row.query,
                variables: row.variables,
                operation_name: row.operation_name,
            };
            let next = index.len();
            let document = *index.entry(doc.clone()).or_insert_with(|| {
                batch.documents.push(doc);
                next
            });
            batch.sockets.push(SocketTarget {
                connection_id: row.connection_id,
                subscription_id: row.subscription_id,
                user_id: row.user_id,
                document,
                token_expires_at: row.token_expires_at,
            });
        }
        let room = size - batch.sockets.len();
        batch.pushes.extend(pushes.by_ref().take(room));
        batches.push(batch);
    }
    batches
}

pub struct Fanout {
    pub store: Arc<dyn Store>,
    pub connections: ConnectionRegistry,
    pub push: Arc<dyn PushRegistry>,
    pub sns: aws_sdk_sns::Client,
    pub delivery_topic_arn: String,
    pub batch_size: usize,
}

/// What a fan-out did, for logs and benches.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FanoutReport {
    pub sockets: usize,
    pub pushes: usize,
    pub batches: usize,
    pub publish_calls: usize,
}

impl Fanout {
    #[tracing::instrument(skip_all, fields(group = %event.group_id, kind = ?event.kind))]
    pub async fn run(&self, event: &DomainEvent) -> Result<FanoutReport, FanoutError> {
        let subscriptions = self
            .connections
            .subscriptions_of_group(&event.group_id)
            .await?;
        let pushes = if event.kind == EventKind::MessagePosted {
            let online: HashSet<UserId> = subscriptions.iter().map(|s| s.user_id.clone()).collect();
            let author = event.message.as_ref().map(|m| m.author_id.clone());
            let offline: Vec<UserId> = self
                .members(event)
                .await?
                .into_iter()
                .filter(|u| !online.contains(u) && Some(u) != author.as_ref())
                .collect();
            self.push.of_users(&offline).await?
        } else {
            Vec::new()
        };
        let report_counts = (subscriptions.len(), pushes.len());
        let batches = plan(event, subscriptions, pushes, self.batch_size);
        let messages: Vec<String> = batches
            .iter()
            .filter_map(|b| serde_json::to_string(b).ok())
            .collect();
        let publish_calls = if messages.is_empty() {
            0
        } else {
            crate::delivery::sns::publish_batches(&self.sns, &self.delivery_topic_arn, messages)
                .await?
        };
        Ok(FanoutReport {
            sockets: report_counts.0,
            pushes: report_counts.1,
            batches: batches.len(),
            publish_calls,
        })
    }

    /// Every member of the event's group.
    async fn members(&self, event: &DomainEvent) -> Result<Vec<UserId>, FanoutError> {
        let mut users = Vec::new();
        let mut after = None;
        loop {
            let page = self
                .store
                .group_memberships(
                    &event.group_id,
                    MembershipState::Member,
                    PageRequest::Forward { after, limit: 100 },
                )
                .await?;
            after = page.items.last().map(|m| m.list_key());
            users.extend(page.items.into_iter().map(|m| m.user_id));
            if !page.has_next {
                return Ok(users);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::GroupId;

    fn row(i: usize, query: &str) -> SubscriptionRow {
        SubscriptionRow {
            connection_id: format!("c{i}"),
            subscription_id: "s".into(),
            group_id: GroupId::parse("g").unwrap(),
            user_id: UserId::parse(&format!("u{i}")).unwrap(),
            query: query.into(),
            variables: None,
            operation_name: None,
            token_expires_at: None,
        }
    }

    #[test]
    fn recipients_split_into_batches_that_share_documents() {
        let event = DomainEvent::membership(
            crate::domain::membership::Membership {
                group_id: GroupId::parse("g").unwrap(),
                user_id: UserId::parse("u").unwrap(),
                state: MembershipState::Applied,
                role: None,
                note: None,
                reason: None,
                since: chrono::Utc::now(),
                updated_at: chrono::Utc::now(),
            },
            chrono::Utc::now(),
        );
        let rows: Vec<_> = (0..250)
            .map(|i| row(i, if i % 2 == 0 { "a" } else { "b" }))
            .collect();
        let batches = plan(&event, rows, Vec::new(), 100);
        let sizes: Vec<usize> = batches.iter().map(|b| b.sockets.len()).collect();
        assert_eq!(sizes, vec![100, 100, 50]);
        assert!(batches.iter().all(|b| b.documents.len() == 2));
        assert_eq!(
            batches[0].documents[batches[0].sockets[1].document].query,
            "b"
        );
    }
}
