//! The ports the use cases need besides the store: where committed events
//! go, where live events come from, and where push subscriptions live. The
//! delivery adapters implement them; the service and the schema never
//! import adapters.

use crate::domain::event::DomainEvent;
use crate::domain::push::PushSubscription;
use crate::domain::{GroupId, UserId};
use async_trait::async_trait;
use futures_util::stream::BoxStream;
use std::collections::HashSet;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
#[error("event publish failure")]
pub struct PublishError(#[source] pub crate::domain::error::Cause);

/// Publishes committed events (from the outbox, see `service::outbox`). An
/// error leaves the event in the outbox for the sweeper: implementations
/// retry briefly, never for long.
#[async_trait]
pub trait EventPublisher: Send + Sync + 'static {
    async fn publish(&self, event: &DomainEvent) -> Result<(), PublishError>;
}

/// Who has a live subscription socket now: the local broker's listeners,
/// or the connections table on AWS.
#[async_trait]
pub trait Online: Send + Sync + 'static {
    /// The users of `users` with at least one live socket.
    async fn with_sockets(&self, users: &[UserId]) -> Result<HashSet<UserId>, RegistryError>;
}

/// A listener fell too far behind and missed events: it must start again
/// and catch up by cursor, like a reconnecting client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lagged;

/// Where a process that only reads (`deliver`) would publish: nowhere. A
/// write there is a bug, refused loudly rather than lost quietly.
pub struct NoEvents;

#[async_trait]
impl EventPublisher for NoEvents {
    async fn publish(&self, _event: &DomainEvent) -> Result<(), PublishError> {
        Err(PublishError("this process publishes no events".into()))
    }
}

/// Live events, where this process serves subscriptions itself (the local
/// server's in-process broker).
pub trait LiveEvents: Send + Sync + 'static {
    /// Every event of `group` published from now on, for `user`. A
    /// listener too slow to keep up gets `Lagged` and then nothing more;
    /// dropping the stream stops listening and frees what it held.
    fn listen(
        &self,
        group: &GroupId,
        user: &UserId,
    ) -> BoxStream<'static, Result<Arc<DomainEvent>, Lagged>>;
    /// The users listening to `group` now (who is online, for pushes).
    fn online(&self, group: &GroupId) -> std::collections::HashSet<UserId>;
}

#[derive(Debug, thiserror::Error)]
#[error("push registry failure")]
pub struct RegistryError(#[source] pub crate::domain::error::Cause);

#[async_trait]
pub trait PushRegistry: Send + Sync + 'static {
    /// Stores a subscription; registering an endpoint again replaces it
    /// (and moves it to this user: an endpoint belongs to one browser).
    async fn put(&self, subscription: &PushSubscription) -> Result<(), RegistryError>;
    /// Removes the user's subscription with this endpoint; `false` if none.
    async fn remove(&self, user: &UserId, endpoint: &str) -> Result<bool, RegistryError>;
    async fn of_users(&self, users: &[UserId]) -> Result<Vec<PushSubscription>, RegistryError>;
    /// The member's notification level changed: where a push audience is
    /// kept apart from the store (DynamoDB on AWS), it hears of it. Setting
    /// the same level again is harmless.
    async fn set_level(
        &self,
        _group: &crate::domain::GroupId,
        _user: &UserId,
        _level: crate::domain::reading::NotificationLevel,
    ) -> Result<(), RegistryError> {
        Ok(())
    }
}

/// Where native devices get their push address: SNS mobile push platform
/// endpoints on AWS (`delivery::mobile`); nowhere locally.
#[async_trait]
pub trait DeviceEndpoints: Send + Sync + 'static {
    /// The platform endpoint of a device token (SNS responds the existing
    /// one for a token it knows); `None` where the platform has no
    /// application configured (the device is recorded, not sent to).
    async fn create(
        &self,
        platform: crate::domain::push::DevicePlatform,
        token: &str,
    ) -> Result<Option<String>, RegistryError>;
    /// Deletes a platform endpoint (an unknown one is not an error).
    async fn delete(&self, arn: &str) -> Result<(), RegistryError>;
}

/// No platform applications: devices are recorded and never sent to.
pub struct NoDeviceEndpoints;

#[async_trait]
impl DeviceEndpoints for NoDeviceEndpoints {
    async fn create(
        &self,
        _platform: crate::domain::push::DevicePlatform,
        _token: &str,
    ) -> Result<Option<String>, RegistryError> {
        Ok(None)
    }

    async fn delete(&self, _arn: &str) -> Result<(), RegistryError> {
        Ok(())
    }
}

/// Counts a user's mutations: `RATE_LIMITED` (with `retryAfterMs`) over
/// the budget. Implementations fail open: an outage of the limiter's
/// storage must not stop writes.
#[async_trait]
pub trait RateLimit: Send + Sync + 'static {
    async fn check(&self, user: &UserId) -> Result<(), crate::domain::DomainError>;
}

/// Where outgoing webhook requests go (`delivery::webhook` under the
/// address rule).
#[async_trait]
pub trait WebhookTransport: Send + Sync + 'static {
    /// Refuses a URL the address rule forbids, as far as it is knowable
    /// before sending: the scheme, an IP literal, a name resolving to a
    /// forbidden address. Every attempt checks again on what it connects to.
    async fn check(&self, url: &str) -> crate::domain::DomainResult<()>;
    /// One signed attempt: `id` is the `webhook-id` (the event id, the same
    /// on every attempt).
    async fn send(
        &self,
        url: &str,
        secret: &str,
        id: &str,
        timestamp: i64,
        body: &[u8],
    ) -> crate::domain::webhook::Attempt;
}

/// Outgoing webhooks as a service runs them: the transport, the waits
/// before each retry (`domain::webhook::default_retries`, shorter in
/// tests), and the sealer their signing secrets are kept under.
#[derive(Clone)]
pub struct WebhookDelivery {
    pub transport: Arc<dyn WebhookTransport>,
    pub retries: Vec<std::time::Duration>,
    pub sealer: Arc<crate::auth::sealed::Sealer>,
    /// Bounds on attempts in flight, and the back-off of receivers that
    /// keep timing out.
    pub gate: Arc<super::webhook_gate::WebhookGate>,
}

#[derive(Debug, thiserror::Error)]
#[error("file storage failure")]
pub struct StorageError(#[source] pub crate::domain::error::Cause);

/// A request a client makes itself, signed: the URL and the headers to
/// send exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    pub url: String,
    pub headers: Vec<(String, String)>,
}

/// Where attachments' bytes live (S3 on AWS, the local server's own
/// `/uploads`). Clients move the bytes themselves, with signed URLs; the
/// service only signs, checks and deletes.
#[async_trait]
pub trait FileStorage: Send + Sync + 'static {
    /// A PUT of exactly the attachment's type and size, valid for `valid`.
    async fn upload_request(
        &self,
        attachment: &crate::domain::attachment::Attachment,
        valid: std::time::Duration,
    ) -> Result<SignedRequest, StorageError>;
    /// A GET of its bytes, valid for `valid`: images inline, anything else
    /// as a download.
    async fn download_url(
        &self,
        attachment: &crate::domain::attachment::Attachment,
        valid: std::time::Duration,
    ) -> Result<String, StorageError>;
    /// What is stored under its key, if anything.
    async fn stored(
        &self,
        attachment: &crate::domain::attachment::Attachment,
    ) -> Result<Option<crate::domain::attachment::StoredObject>, StorageError>;
    /// Marks its bytes as part of a message (where storage expires stray
    /// uploads by itself, this keeps them).
    async fn keep(
        &self,
        attachment: &crate::domain::attachment::Attachment,
    ) -> Result<(), StorageError>;
    /// Deletes the bytes of each (gone already is fine).
    async fn delete(
        &self,
        attachments: &[crate::domain::attachment::Attachment],
    ) -> Result<(), StorageError>;
    /// Whether storage deletes never-attached uploads itself (an S3
    /// lifecycle rule); otherwise the sweep does.
    fn expires_strays(&self) -> bool;
    /// Stores a document the service made (a data export) under `key`.
    async fn put_document(
        &self,
        key: &str,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> Result<(), StorageError>;
    /// A GET of a stored document, downloaded as `filename`, valid for
    /// `valid`.
    async fn document_url(
        &self,
        key: &str,
        filename: &str,
        valid: std::time::Duration,
    ) -> Result<String, StorageError>;
}

/// Where no file storage is configured (a Lambda without
/// `UPLOADS_BUCKET`): uploads are refused, and there is nothing to sweep.
pub struct NoFileStorage;

fn not_configured() -> StorageError {
    StorageError("file storage is not configured (set UPLOADS_BUCKET)".into())
}

#[async_trait]
impl FileStorage for NoFileStorage {
    async fn upload_request(
        &self,
        _: &crate::domain::attachment::Attachment,
        _: std::time::Duration,
    ) -> Result<SignedRequest, StorageError> {
        Err(not_configured())
    }
    async fn download_url(
        &self,
        _: &crate::domain::attachment::Attachment,
        _: std::time::Duration,
    ) -> Result<String, StorageError> {
        Err(not_configured())
    }
    async fn stored(
        &self,
        _: &crate::domain::attachment::Attachment,
    ) -> Result<Option<crate::domain::attachment::StoredObject>, StorageError> {
        Err(not_configured())
    }
    async fn keep(&self, _: &crate::domain::attachment::Attachment) -> Result<(), StorageError> {
        Err(not_configured())
    }
    async fn delete(
        &self,
        _: &[crate::domain::attachment::Attachment],
    ) -> Result<(), StorageError> {
        Err(not_configured())
    }
    fn expires_strays(&self) -> bool {
        true
    }
    async fn put_document(&self, _: &str, _: Vec<u8>, _: &str) -> Result<(), StorageError> {
        Err(not_configured())
    }
    async fn document_url(
        &self,
        _: &str,
        _: &str,
        _: std::time::Duration,
    ) -> Result<String, StorageError> {
        Err(not_configured())
    }
}

/// Work done off the request path. Each is idempotent and resumable: the
/// store keeps what is pending, and the sweep runs what no job finished.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Job {
    /// Builds a data export's document.
    Export(crate::domain::ids::ExportId),
    /// Finishes deleting an account.
    DeleteAccount(UserId),
}

/// Where jobs go to run in another process (an SQS queue the `sweep`
/// function reads, on AWS). Without one, a job runs in a task of the
/// process that made it.
#[async_trait]
pub trait JobQueue: Send + Sync + 'static {
    async fn submit(&self, job: &Job) -> Result<(), RegistryError>;
}
