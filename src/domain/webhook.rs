//! Outgoing webhooks: HTTPS endpoints a group's owner and admins register
//! for event types. Each event is delivered at least once as a Standard
//! Webhooks request, retried on a growing schedule; what an attempt does to
//! the webhook (success, `410 Gone`, one more exhausted event) is decided
//! here, once, for every store.

use super::event::{DomainEvent, EventKind};
use super::ids::{EventId, WebhookId};
use super::moderation::{ModerationAction, ModerationEntry};
use super::{DomainError, DomainResult, GroupId, Timestamp, UserId};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Deliveries kept (and listed) per webhook: the most recent ones.
pub const KEPT_DELIVERIES: usize = 100;
/// Consecutive events that exhausted their retries before a webhook is
/// disabled.
pub const DISABLE_AFTER: u32 = 5;
/// The most webhooks one group has: each event costs one request per
/// webhook.
pub const MAX_PER_GROUP: usize = 20;
/// The most event types one webhook names (there are four).
const MAX_EVENTS: usize = 4;

/// The waits before each retry, after the first attempt (the Standard
/// Webhooks reference schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h).
pub fn default_retries() -> Vec<Duration> {
    [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000]
        .into_iter()
        .map(Duration::from_secs)
        .collect()
}

pub const GONE_REASON: &str = "410 Gone";
pub const ADMIN_REASON: &str = "disabled by an admin";

pub fn exhausted_reason() -> String {
    format!("{DISABLE_AFTER} consecutive failures")
}

/// The signing secret (`whsec_...`). HMAC needs the key itself, so unlike
/// API keys it cannot be kept as a digest; it never leaves the server
/// after `createWebhook`/`rotateWebhookSecret`, and never prints.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(pub String);

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(..)")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub id: WebhookId,
    pub group_id: GroupId,
    pub url: String,
    pub events: Vec<EventKind>,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub created_by: UserId,
    pub created_at: Timestamp,
    /// Consecutive events that exhausted their retries.
    pub failures: u32,
    pub secret: WebhookSecret,
}

/// What `updateWebhook` and `rotateWebhookSecret` ask.
#[derive(Debug, Clone, Default)]
pub struct WebhookPatch {
    pub url: Option<String>,
    pub events: Option<Vec<EventKind>>,
    pub enabled: Option<bool>,
    pub secret: Option<WebhookSecret>,
}

/// The event types a webhook names: at least one, each once, in the
/// order given.
pub fn event_types(kinds: &[EventKind]) -> DomainResult<Vec<EventKind>> {
    let mut out: Vec<EventKind> = Vec::with_capacity(MAX_EVENTS);
    for kind in kinds {
        if !out.contains(kind) {
            out.push(*kind);
        }
    }
    if out.is_empty() {
        return Err(DomainError::invalid("events: name at least one event type"));
    }
    Ok(out)
}

/// Whether a group holding `existing` webhooks may register another.
pub fn admit(existing: usize) -> DomainResult<()> {
    if existing >= MAX_PER_GROUP {
        return Err(DomainError::conflict(format!(
            "a group has at most {MAX_PER_GROUP} webhooks: delete one first"
        )));
    }
    Ok(())
}

impl Webhook {
    /// The moderation log's entry of a change to this webhook by `actor`:
    /// `what` happened ("created", "updated", "secret rotated", "deleted").
    /// The URL stays out (it may carry a token).
    pub fn log_entry(&self, actor: &UserId, what: &str, now: Timestamp) -> ModerationEntry {
        let mut entry =
            ModerationEntry::new(&self.group_id, actor, ModerationAction::WebhookChanged, now);
        entry.reason = Some(what.to_owned());
        entry
    }

    /// A new, enabled webhook (`url` already passed the address rule).
    pub fn new(
        group_id: GroupId,
        url: String,
        events: &[EventKind],
        created_by: UserId,
        secret: WebhookSecret,
        now: Timestamp,
    ) -> DomainResult<Self> {
        Ok(Self {
            id: WebhookId::generate(),
            group_id,
            url,
            events: event_types(events)?,
            enabled: true,
            disabled_reason: None,
            created_by,
            created_at: now,
            failures: 0,
            secret,
        })
    }

    pub fn wants(&self, kind: EventKind) -> bool {
        self.enabled && self.events.contains(&kind)
    }

    /// The webhook after `patch`. Enabling starts fresh (no failures, no
    /// reason); disabling by hand says so.
    pub fn patched(&self, patch: &WebhookPatch) -> DomainResult<Self> {
        let mut next = self.clone();
        if let Some(url) = &patch.url {
            next.url.clone_from(url);
        }
        if let Some(events) = &patch.events {
            next.events = event_types(events)?;
        }
        match patch.enabled {
            Some(true) if !self.enabled || self.failures > 0 => {
                next.enabled = true;
                next.disabled_reason = None;
                next.failures = 0;
            }
            Some(false) if self.enabled => {
                next.enabled = false;
                next.disabled_reason = Some(ADMIN_REASON.to_owned());
            }
            _ => {}
        }
        if let Some(secret) = &patch.secret {
            next.secret = secret.clone();
        }
        Ok(next)
    }

    /// The webhook after an attempt with `verdict`.
    pub fn after(&self, verdict: Verdict) -> Self {
        let mut next = self.clone();
        match verdict {
            Verdict::Delivered => next.failures = 0,
            Verdict::Retrying(_) => {}
            Verdict::Gone => {
                next.enabled = false;
                next.disabled_reason = Some(GONE_REASON.to_owned());
            }
            Verdict::Exhausted => {
                next.failures = self.failures.saturating_add(1);
                if next.failures >= DISABLE_AFTER && next.enabled {
                    next.enabled = false;
                    next.disabled_reason = Some(exhausted_reason());
                }
            }
        }
        next
    }
}

/// What one attempt came to, as `deliveries` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    /// The HTTP status; `None` when there was no response.
    pub status: Option<u16>,
    /// Why there was no success: "timeout", "refused address", ...
    pub error: Option<String>,
    pub duration_ms: u64,
}

/// Why an attempt that got no response in time failed.
pub const TIMEOUT: &str = "timeout";

impl Attempt {
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }

    pub fn timed_out(&self) -> bool {
        self.error.as_deref() == Some(TIMEOUT)
    }
}

/// What an attempt means for its event and its webhook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Delivered,
    /// `410 Gone`: the receiver asks never to be called again.
    Gone,
    /// Failed; the next attempt is due after this wait.
    Retrying(Duration),
    /// Failed, and it was the last attempt of the schedule.
    Exhausted,
}

impl Verdict {
    /// Checks attempt number `number` (1 = the first) under `retries`, the
    /// waits before each retry.
    pub fn of(attempt: &Attempt, number: u32, retries: &[Duration]) -> Self {
        if attempt.succeeded() {
            return Self::Delivered;
        }
        if attempt.status == Some(410) {
            return Self::Gone;
        }
        let wait = number
            .checked_sub(1)
            .and_then(|i| retries.get(usize::try_from(i).ok()?));
        wait.map_or(Self::Exhausted, |wait| Self::Retrying(*wait))
    }
}

/// One attempt, as kept (the last `KEPT_DELIVERIES` per webhook). `seq`
/// counts the webhook's attempts and orders the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub seq: u64,
    pub event_id: EventId,
    pub attempt: u32,
    #[serde(flatten)]
    pub outcome: Attempt,
    pub at: Timestamp,
}

/// Keeps `delivery` as attempt `seq` in `kept` (oldest first), dropping
/// the oldest past `KEPT_DELIVERIES`: what both stores keep.
pub fn keep(kept: &mut Vec<Delivery>, delivery: &Delivery, seq: u64) {
    kept.push(Delivery {
        seq,
        ..delivery.clone()
    });
    let excess = kept.len().saturating_sub(KEPT_DELIVERIES);
    kept.drain(..excess);
}

/// An attempt still to make: the event, the webhook, its number and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Retry {
    pub webhook_id: WebhookId,
    pub attempt: u32,
    pub due: Timestamp,
    /// Shared by the retries of one event (serialized whole on AWS).
    pub event: std::sync::Arc<DomainEvent>,
}

/// The event's wire name in a webhook body (`message.posted`, ...).
pub fn wire_type(kind: EventKind) -> &'static str {
    match kind {
        EventKind::MessagePosted => "message.posted",
        EventKind::MessageEdited => "message.edited",
        EventKind::MessageDeleted => "message.deleted",
        EventKind::MembershipChanged => "membership.changed",
        EventKind::ReactionAdded => "reaction.added",
        EventKind::ReactionRemoved => "reaction.removed",
        EventKind::MessagePinned => "message.pinned",
        EventKind::MessageUnpinned => "message.unpinned",
        // Never sent to a webhook (no webhook can ask for it).
        EventKind::Typing => "typing",
        EventKind::ReportCreated => "report.created",
    }
}

/// The JSON body of a webhook request for `event` (docs/integrations.md),
/// users named by `name_of` (the message's author, the reactor).
pub fn body<'a>(
    event: &DomainEvent,
    name_of: impl Fn(&UserId) -> Option<&'a str>,
) -> serde_json::Value {
    let author_name = event.message.as_ref().and_then(|m| name_of(&m.author_id));
    let mut data = serde_json::json!({ "groupId": event.group_id });
    if let Some(m) = &event.message {
        data["message"] = serde_json::json!({
            "id": m.id,
            "parentId": m.parent_id,
            "author": { "id": m.author_id, "name": author_name },
            "body": m.body,
            "createdAt": m.created_at,
            "cursor": event.cursor,
            "pinnedAt": m.pinned_at,
            "pinnedBy": m.pinned_by,
            // Metadata only: a receiver fetches the bytes through the API.
            "attachments": m.attachments.iter().map(|a| serde_json::json!({
                "id": a.id,
                "filename": a.filename,
                "contentType": a.content_type,
                "size": a.size,
                "width": a.width,
                "height": a.height,
            })).collect::<Vec<_>>(),
        });
    }
    if let Some(r) = &event.reaction {
        data["reaction"] = serde_json::json!({
            "messageId": r.message_id,
            "key": r.key,
            "user": { "id": r.user_id, "name": name_of(&r.user_id) },
            "createdAt": r.created_at,
        });
    }
    if let Some(r) = &event.report {
        // The reporter's note stays with the group's admins in the API.
        data["report"] = serde_json::json!({
            "id": r.id,
            "messageId": r.message_id,
            "authorId": r.author_id,
            "reporterId": r.reporter_id,
            "reason": r.reason,
            "createdAt": r.created_at,
        });
    }
    if let Some(m) = &event.membership {
        data["membership"] = serde_json::json!({
            "userId": m.user_id,
            "state": m.state,
            "role": m.role,
        });
    }
    serde_json::json!({
        "type": wire_type(event.kind),
        "timestamp": event.occurred_at,
        "data": data,
    })
}

#[cfg(test)]
#[path = "webhook_tests.rs"]
mod tests;
