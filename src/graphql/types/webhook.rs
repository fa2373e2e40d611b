use super::{load_related, GroupObject};
use crate::domain::cursor;
use crate::domain::event::EventKind;
use crate::domain::webhook::{Delivery, Webhook};
use crate::domain::Timestamp;
use crate::graphql::context::service;
use crate::graphql::errors::ApiResult;
use crate::graphql::pagination::{connection_type, Args};
use crate::service::WebhookWithSecret;
use async_graphql::{Context, Enum, Object, ID};

/// Every `GroupEventType` but the live-only `TYPING`, and `REPORT_CREATED`
/// (a new report, for moderation bots; never on `groupEvents`).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "WebhookEventType")]
pub enum WebhookEventTypeGql {
    MessagePosted,
    MessageEdited,
    MessageDeleted,
    MembershipChanged,
    ReactionAdded,
    ReactionRemoved,
    MessagePinned,
    MessageUnpinned,
    ReportCreated,
}

impl From<WebhookEventTypeGql> for EventKind {
    fn from(kind: WebhookEventTypeGql) -> Self {
        use WebhookEventTypeGql as W;
        match kind {
            W::MessagePosted => Self::MessagePosted,
            W::MessageEdited => Self::MessageEdited,
            W::MessageDeleted => Self::MessageDeleted,
            W::MembershipChanged => Self::MembershipChanged,
            W::ReactionAdded => Self::ReactionAdded,
            W::ReactionRemoved => Self::ReactionRemoved,
            W::MessagePinned => Self::MessagePinned,
            W::MessageUnpinned => Self::MessageUnpinned,
            W::ReportCreated => Self::ReportCreated,
        }
    }
}

impl WebhookEventTypeGql {
    /// The webhook type of an event kind (the `From` above read backward);
    /// none for what no webhook hears.
    fn of(kind: EventKind) -> Option<Self> {
        use async_graphql::resolver_utils::EnumType;
        let mut types = Self::items().iter().map(|item| item.value);
        types.find(|w| EventKind::from(*w) == kind)
    }
}

pub struct WebhookObject(pub Webhook);

#[Object(name = "Webhook")]
impl WebhookObject {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn group(&self, ctx: &Context<'_>) -> ApiResult<GroupObject> {
        load_related(ctx, self.0.group_id.clone(), "group")
            .await
            .map(GroupObject)
    }

    async fn url(&self) -> &str {
        &self.0.url
    }

    async fn events(&self) -> Vec<WebhookEventTypeGql> {
        let kinds = self.0.events.iter();
        kinds.filter_map(|k| WebhookEventTypeGql::of(*k)).collect()
    }

    async fn enabled(&self) -> bool {
        self.0.enabled
    }

    /// Why it was disabled: "410 Gone", "5 consecutive failures", ...
    async fn disabled_reason(&self) -> Option<&str> {
        self.0.disabled_reason.as_deref()
    }

    async fn created_at(&self) -> Timestamp {
        self.0.created_at
    }

    /// Its last 100 attempts, oldest first.
    #[graphql(complexity = "super::page_cost(first, last, child_complexity)")]
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<WebhookDeliveryConnection> {
        let service = service(ctx)?;
        let hook = &self.0.id;
        Args::new(first, after, last, before)
            .page(
                cursor::DELIVERIES,
                hook.as_str(),
                |request| async move { service.webhook_deliveries(hook, &request).await },
                |d| d.seq,
                WebhookDeliveryObject,
            )
            .await
    }
}

/// A webhook and its signing secret (`whsec_...`), shown this once.
pub struct WebhookWithSecretObject(pub WebhookWithSecret);

#[Object(name = "WebhookWithSecret")]
impl WebhookWithSecretObject {
    async fn webhook(&self) -> WebhookObject {
        WebhookObject(self.0.webhook.clone())
    }

    async fn secret(&self) -> &str {
        &self.0.secret
    }
}

pub struct WebhookDeliveryObject(pub Delivery);

connection_type!(
    WebhookDeliveryConnection,
    WebhookDeliveryEdge,
    WebhookDeliveryObject
);

#[Object(name = "WebhookDelivery")]
impl WebhookDeliveryObject {
    async fn id(&self) -> ID {
        ID(format!("{}:{}", self.0.event_id, self.0.attempt))
    }

    /// The event's id: the `webhook-id` header, `GroupEvent.id`.
    async fn event_id(&self) -> ID {
        ID(self.0.event_id.to_string())
    }

    /// 1 for the first attempt, 2 for the first retry, ...
    async fn attempt(&self) -> i32 {
        i32::try_from(self.0.attempt).unwrap_or(i32::MAX)
    }

    /// The HTTP status; null when there was no response.
    async fn status(&self) -> Option<i32> {
        self.0.outcome.status.map(i32::from)
    }

    /// Why there was no response: timeout, connection failed, refused
    /// address, ...
    async fn error(&self) -> Option<&str> {
        self.0.outcome.error.as_deref()
    }

    async fn duration_ms(&self) -> Option<i32> {
        Some(i32::try_from(self.0.outcome.duration_ms).unwrap_or(i32::MAX))
    }

    async fn at(&self) -> Timestamp {
        self.0.at
    }
}
