//! The storage port of outgoing webhooks (a supertrait of `Store`, so both
//! stores keep them and the conformance suite runs on both).

use super::StoreResult;
use crate::domain::ids::WebhookId;
use crate::domain::moderation::ModerationEntry;
use crate::domain::webhook::{Delivery, Verdict, Webhook, WebhookPatch};
use crate::domain::GroupId;
use async_trait::async_trait;

#[async_trait]
pub trait Webhooks: Send + Sync {
    /// Checks `webhook::admit` on the group's webhooks as they are, and
    /// writes the new one with its moderation log entry, atomically.
    async fn create_webhook(
        &self,
        webhook: &Webhook,
        log: Option<&ModerationEntry>,
    ) -> StoreResult<()>;
    /// The group's webhooks, disabled ones too, oldest first.
    async fn group_webhooks(&self, group: &GroupId) -> StoreResult<Vec<Webhook>>;
    async fn webhook(&self, id: &WebhookId) -> StoreResult<Option<Webhook>>;
    /// Applies `Webhook::patched` to the webhook as it is now, and appends
    /// `log`, atomically.
    async fn update_webhook(
        &self,
        id: &WebhookId,
        patch: &WebhookPatch,
        log: Option<&ModerationEntry>,
    ) -> StoreResult<Webhook>;
    /// Deletes the webhook and its deliveries and appends `log`
    /// atomically; `false` (and no entry) if there was none.
    async fn delete_webhook(
        &self,
        id: &WebhookId,
        log: Option<&ModerationEntry>,
    ) -> StoreResult<bool>;
    /// Keeps an attempt (numbered after the webhook's last one, the oldest
    /// dropped past `KEPT_DELIVERIES`) and applies `Webhook::after(verdict)`,
    /// atomically. `None` when the webhook no longer exists.
    async fn record_delivery(
        &self,
        id: &WebhookId,
        delivery: &Delivery,
        verdict: Verdict,
    ) -> StoreResult<Option<Webhook>>;
    /// The kept attempts, oldest first.
    async fn webhook_deliveries(&self, id: &WebhookId) -> StoreResult<Vec<Delivery>>;
}
