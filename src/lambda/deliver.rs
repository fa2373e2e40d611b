//! Delivery of one shard of an event's audience: `next` frames to its
//! WebSocket subscriptions through the Management API and Web Push to its
//! offline members, concurrently. The shard says who is a member, so a
//! recipient costs no database read; only a subscription the audience does
//! not know is checked against the store (and refused if it must be).
//! A 410 Gone removes exactly that connection or push subscription. A
//! document whose answer is the same for every member
//! (`graphql::member_view`) is executed once per shard, not once per
//! subscription.

use super::error::FanoutError;
use super::fanout::{DeliveryShard, ShardDelivery};
use crate::delivery::audience::Audience;
use crate::delivery::audience::{ShardAudience, SubscriptionRow};
use crate::delivery::dynamo::expired;
use crate::delivery::dynamo_connections::ConnectionRegistry;
use crate::delivery::management::{Management, PostOutcome};
use crate::delivery::mobile::SnsMobilePush;
use crate::delivery::webpush::{self, WebPushSender};
use crate::domain::event::DomainEvent;
use crate::graphql::ws::protocol::SubscribePayload;
use crate::graphql::ws::replay::{self, frames, share_key, SharedAnswers};
use crate::graphql::{member_view, ChorusSchema};
use crate::service::ports::{PushRegistry, RegistryError};
use async_graphql::parser::types::ExecutableDocument;
use futures_util::future::BoxFuture;
use futures_util::{stream, FutureExt, StreamExt};
use std::collections::HashMap;
use std::sync::Arc;
pub(super) use Outcome as PushResult;

/// Requests in flight per shard. A shard holds `FANOUT_SHARD_SIZE` members
/// on average but, split by a hash, some hold a third more, and a member
/// may have several sockets: a cap near the shard size put its last posts
/// behind its first (one more Management API round trip, +20 ms for the
/// slowest of 100 shards). 512 covers any shard of a default size and
/// stays well under Lambda's 1,024 file descriptors (one connection per
/// request in flight).
const CONCURRENCY: usize = 512;

pub struct Deliver {
    pub schema: ChorusSchema,
    pub management: Management,
    pub connections: ConnectionRegistry,
    pub audience: Arc<dyn Audience>,
    pub push: Arc<dyn PushRegistry>,
    /// `None` when no VAPID key is configured (push is then skipped).
    pub sender: Option<WebPushSender>,
    /// Native devices' pushes (`None`: not sent).
    pub mobile: Option<SnsMobilePush>,
    /// Where a native notification's names and badge are read (once per
    /// shard and recipient with a device, not per subscription).
    pub store: Arc<dyn crate::store::Store>,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct DeliverReport {
    pub frames: usize,
    pub gone_connections: usize,
    /// Connections closed because their token expired.
    pub expired_connections: usize,
    /// Bots' connections closed because their key was rotated or revoked.
    pub revoked_connections: usize,
    pub pushes: usize,
    pub gone_pushes: usize,
    pub failures: usize,
}

pub(super) enum Outcome {
    Frames(usize),
    GoneConnection,
    Expired,
    Revoked,
    Push,
    GonePush,
    Failed,
}

/// One subscription of the shard, with what was learnt of it for the shard.
struct Job<'a> {
    row: &'a SubscriptionRow,
    key: KeyState,
    /// The audience knows the user as a member (no store check).
    known_member: bool,
    document: Option<&'a ExecutableDocument>,
    /// Where its answer is shared, when its document is the same for every
    /// member.
    shared: Option<&'a SharedAnswers>,
}

/// What a shard's subscriptions are served from, read once per shard.
#[derive(Clone, Copy)]
struct Prepared<'a> {
    event: &'a Arc<DomainEvent>,
    audience: &'a ShardAudience,
    keys_checked: &'a HashMap<&'a str, KeyState>,
    documents: &'a HashMap<&'a str, ExecutableDocument>,
    answers: &'a SharedAnswers,
}

/// Whether the bot key a connection was opened with still signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyState {
    Current,
    Revoked,
    Unknown,
}

/// What a stored subscription asks, as the socket sent it.
fn payload(row: &SubscriptionRow) -> SubscribePayload {
    SubscribePayload {
        query: row.query.clone(),
        operation_name: row.operation_name.clone(),
        variables: row.variables.clone(),
        extensions: None,
    }
}

/// The documents of a shard's subscriptions, each parsed once: most
/// subscriptions of a group come from one app and share their document.
/// One that does not parse is left to fail in its own execution.
fn parse_each(rows: &[SubscriptionRow]) -> HashMap<&str, ExecutableDocument> {
    let mut documents = HashMap::new();
    for row in rows {
        if !documents.contains_key(row.query.as_str()) {
            if let Ok(document) = async_graphql::parser::parse_query(&row.query) {
                documents.insert(row.query.as_str(), document);
            }
        }
    }
    documents
}

#[async_trait::async_trait]
impl ShardDelivery for Deliver {
    async fn deliver(&self, job: &DeliveryShard) -> Result<usize, FanoutError> {
        let report = self.run(job).await?;
        tracing::info!(?report, "delivered");
        Ok(report.frames)
    }
}

impl Deliver {
    #[tracing::instrument(skip_all, fields(group = %job.event.group_id, shard = job.shard.index))]
    pub async fn run(&self, job: &DeliveryShard) -> Result<DeliverReport, RegistryError> {
        let event = Arc::new(job.event.clone());
        let audience = self.audience.shard(&event.group_id, job.shard).await?;
        let pushes = audience.offline_pushes(&event);
        let plaintext = webpush::payload(&event);
        let notices = self.notices(&event, &pushes).await;
        let keys_checked = self.keys_checked(&audience.sockets).await;
        let documents = parse_each(&audience.sockets);
        // A document that is the same for every member runs once per
        // shard, for the first member who needs it; the others get a copy
        // under their own id.
        let answers = SharedAnswers::new(audience.sockets.len());
        let shard = Prepared {
            event: &event,
            audience: &audience,
            keys_checked: &keys_checked,
            documents: &documents,
            answers: &answers,
        };
        let mut work = self.socket_work(&shard);
        work.extend(
            pushes
                .iter()
                .map(|sub| self.push(sub, &event, &plaintext, &notices).boxed()),
        );
        let outcomes: Vec<Outcome> = stream::iter(work)
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        let mut report = DeliverReport::default();
        for outcome in outcomes {
            match outcome {
                Outcome::Frames(n) => report.frames += n,
                Outcome::GoneConnection => report.gone_connections += 1,
                Outcome::Expired => report.expired_connections += 1,
                Outcome::Revoked => report.revoked_connections += 1,
                Outcome::Push => report.pushes += 1,
                Outcome::GonePush => report.gone_pushes += 1,
                Outcome::Failed => report.failures += 1,
            }
        }
        Ok(report)
    }

    /// One future per subscription of the shard. Built in a plain function:
    /// closures kept inside `run`'s future would stop the compiler proving
    /// it `Send` (rust-lang/rust#100013).
    fn socket_work<'a>(&'a self, shard: &Prepared<'a>) -> Vec<BoxFuture<'a, Outcome>> {
        let Prepared {
            event,
            audience,
            keys_checked,
            documents,
            answers,
        } = *shard;
        audience
            .sockets
            .iter()
            .map(|row| {
                let document = documents.get(row.query.as_str());
                let known_member = audience.knows_member(&row.user_id) == Some(true);
                let shared =
                    document.is_some_and(member_view::same_for_every_member) && known_member;
                let job = Job {
                    row,
                    key: row
                        .key
                        .as_deref()
                        .map_or(KeyState::Current, |key| keys_checked[key]),
                    known_member,
                    document,
                    shared: shared.then_some(answers),
                };
                self.socket(event, job).boxed()
            })
            .collect()
    }

    /// Whether each bot key among the rows still signs in, checked once per
    /// key for the shard (a store outage leaves it `Unknown`: those rows
    /// get nothing this time and keep their connection).
    async fn keys_checked<'a>(&self, rows: &'a [SubscriptionRow]) -> HashMap<&'a str, KeyState> {
        let mut checked = HashMap::new();
        for key in rows.iter().filter_map(|row| row.key.as_deref()) {
            if checked.contains_key(key) {
                continue;
            }
            let state = match self.store.bot_by_key(key).await {
                Ok(Some(_)) => KeyState::Current,
                Ok(None) => KeyState::Revoked,
                Err(err) => {
                    tracing::warn!(error = %err, "bot key not checked");
                    KeyState::Unknown
                }
            };
            checked.insert(key, state);
        }
        checked
    }

    /// Removes a connection this delivery found closed or expired.
    async fn forget(&self, connection_id: &str, why: &'static str) {
        if let Err(err) = self.connections.delete_connection(connection_id).await {
            tracing::warn!(error = %err, why, "connection not removed");
        }
    }

    /// Serves one subscription.
    async fn socket(&self, event: &Arc<DomainEvent>, job: Job<'_>) -> Outcome {
        let row = job.row;
        match job.key {
            KeyState::Current => {}
            KeyState::Unknown => return Outcome::Failed,
            KeyState::Revoked => {
                tracing::info!(
                    code = 4403,
                    "closing connection: bot key rotated or revoked"
                );
                self.management.close(&row.connection_id).await;
                self.forget(&row.connection_id, "revoked").await;
                return Outcome::Revoked;
            }
        }
        if expired(row.token_expires_at) {
            // The socket outlived its token: close it (4403 in the
            // protocol's terms; API Gateway sends no code) and forget it.
            tracing::info!(code = 4403, "closing connection: token expired");
            self.management.close(&row.connection_id).await;
            self.forget(&row.connection_id, "expired").await;
            return Outcome::Expired;
        }
        let payload = payload(row);
        let user = &row.user_id;
        let run = replay::answer(
            &self.schema,
            event,
            user,
            &payload,
            job.known_member,
            job.document,
        );
        let answer = match job.shared {
            Some(answers) => {
                answers
                    .get_or_run(&event.id, share_key(&payload), run)
                    .await
            }
            None => run.await,
        };
        let (frames, finished) = frames(answer.as_ref(), event, user, &row.subscription_id);
        let count = frames.len();
        for frame in frames {
            match self.management.post(&row.connection_id, frame).await {
                PostOutcome::Sent => {}
                PostOutcome::Gone => {
                    self.forget(&row.connection_id, "gone").await;
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
                .delete_subscription(&row.connection_id, &row.subscription_id)
                .await
            {
                tracing::warn!(error = %err, "finished subscription not removed");
            }
        }
        Outcome::Frames(count)
    }
}
