//! Outgoing webhooks on Neo4j: one `(:Webhook)` node each, its kept
//! deliveries a JSON array on the node (at most `KEPT_DELIVERIES`, so one
//! lock and one write record an attempt).

use super::queries as q;
use super::rows::{self, micros, time};
use super::tx::{self, write_txn};
use super::Neo4jStore;
use crate::domain::event::EventKind;
use crate::domain::ids::WebhookId;
use crate::domain::moderation::ModerationEntry;
use crate::domain::webhook::{self, Delivery, Verdict, Webhook, WebhookPatch, WebhookSecret};
use crate::domain::{GroupId, UserId};
use crate::store::{StoreError, StoreResult, Webhooks};
use async_trait::async_trait;
use neo4rs::Txn;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WebhookRow {
    id: WebhookId,
    group_id: GroupId,
    url: String,
    events: Vec<EventKind>,
    enabled: bool,
    disabled_reason: Option<String>,
    created_by: UserId,
    created_at: i64,
    failures: i64,
    secret: String,
    /// Only `webhook_lock` returns these two.
    #[serde(default)]
    attempts: i64,
    #[serde(default)]
    deliveries: Option<String>,
}

impl TryFrom<WebhookRow> for Webhook {
    type Error = StoreError;
    fn try_from(r: WebhookRow) -> Result<Self, StoreError> {
        Ok(Webhook {
            id: r.id,
            group_id: r.group_id,
            url: r.url,
            events: r.events,
            enabled: r.enabled,
            disabled_reason: r.disabled_reason,
            created_by: r.created_by,
            created_at: time(r.created_at)?,
            failures: u32::try_from(r.failures).unwrap_or(0),
            secret: WebhookSecret(r.secret),
        })
    }
}

fn kinds(events: &[EventKind]) -> Vec<String> {
    events.iter().map(|k| k.as_str().to_owned()).collect()
}

fn parse_deliveries(json: Option<&str>) -> StoreResult<Vec<Delivery>> {
    serde_json::from_str(json.unwrap_or("[]")).map_err(|e| StoreError::Internal(e.into()))
}

/// Locks and reads the webhook with its deliveries and attempt count.
async fn lock(txn: &mut Txn, id: &WebhookId) -> Result<Option<WebhookRow>, tx::TxError> {
    tx::first::<WebhookRow>(txn, q::WEBHOOK_LOCK.query().param("id", id.as_str())).await
}

/// Writes the webhook's state, deliveries and attempt count.
async fn save(
    txn: &mut Txn,
    webhook: &Webhook,
    attempts: i64,
    deliveries: &[Delivery],
) -> Result<(), tx::TxError> {
    let deliveries =
        serde_json::to_string(deliveries).map_err(|e| StoreError::Internal(e.into()))?;
    let statement = q::WEBHOOK_SAVE
        .query()
        .param("id", webhook.id.as_str())
        .param("url", webhook.url.as_str())
        .param("events", kinds(&webhook.events))
        .param("enabled", webhook.enabled)
        .param("disabledReason", webhook.disabled_reason.clone())
        .param("failures", i64::from(webhook.failures))
        .param("secret", webhook.secret.0.as_str())
        .param("attempts", attempts)
        .param("deliveries", deliveries);
    tx::rows::<rows::Ignored>(txn, statement).await?;
    Ok(())
}

#[async_trait]
impl Webhooks for Neo4jStore {
    async fn create_webhook(
        &self,
        webhook: &Webhook,
        log: Option<&ModerationEntry>,
    ) -> StoreResult<()> {
        write_txn!(self.graph, |txn| {
            let locked = q::GROUP_LOCK
                .query()
                .param("groupId", webhook.group_id.as_str());
            if tx::rows::<rows::Ignored>(txn, locked).await?.is_empty() {
                return Err(StoreError::NotFound("group").into());
            }
            #[derive(Deserialize)]
            struct Count {
                count: i64,
            }
            let count = q::WEBHOOK_COUNT_OF_GROUP
                .query()
                .param("groupId", webhook.group_id.as_str());
            let existing = tx::first::<Count>(txn, count).await?.map_or(0, |c| c.count);
            webhook::admit(usize::try_from(existing).unwrap_or(usize::MAX))
                .map_err(StoreError::rejected)?;
            let statement = q::WEBHOOK_CREATE
                .query()
                .param("id", webhook.id.as_str())
                .param("groupId", webhook.group_id.as_str())
                .param("url", webhook.url.as_str())
                .param("events", kinds(&webhook.events))
                .param("createdBy", webhook.created_by.as_str())
                .param("createdAt", micros(webhook.created_at))
                .param("secret", webhook.secret.0.as_str());
            tx::rows::<rows::Ignored>(txn, statement).await?;
            if let Some(entry) = log {
                super::moderation::log(txn, entry).await?;
            }
            Ok(())
        })
    }

    async fn group_webhooks(&self, group: &GroupId) -> StoreResult<Vec<Webhook>> {
        let statement = q::WEBHOOKS_OF_GROUP
            .query()
            .param("groupId", group.as_str());
        rows::convert(tx::read::<WebhookRow>(&self.graph, statement).await?)
    }

    async fn webhook(&self, id: &WebhookId) -> StoreResult<Option<Webhook>> {
        let statement = q::WEBHOOK_BY_ID.query().param("id", id.as_str());
        let found = rows::convert(tx::read::<WebhookRow>(&self.graph, statement).await?)?;
        Ok(found.into_iter().next())
    }

    async fn update_webhook(
        &self,
        id: &WebhookId,
        patch: &WebhookPatch,
        log: Option<&ModerationEntry>,
    ) -> StoreResult<Webhook> {
        write_txn!(self.graph, |txn| {
            let mut row = lock(txn, id)
                .await?
                .ok_or(StoreError::NotFound("webhook"))?;
            let (attempts, json) = (row.attempts, row.deliveries.take());
            let current: Webhook = row.try_into()?;
            let next = current.patched(patch).map_err(StoreError::rejected)?;
            save(txn, &next, attempts, &parse_deliveries(json.as_deref())?).await?;
            if let Some(entry) = log {
                super::moderation::log(txn, entry).await?;
            }
            Ok(next)
        })
    }

    async fn delete_webhook(
        &self,
        id: &WebhookId,
        log: Option<&ModerationEntry>,
    ) -> StoreResult<bool> {
        write_txn!(self.graph, |txn| {
            let statement = q::WEBHOOK_DELETE.query().param("id", id.as_str());
            let deleted = !tx::rows::<rows::Ignored>(txn, statement).await?.is_empty();
            if let (true, Some(entry)) = (deleted, log) {
                super::moderation::log(txn, entry).await?;
            }
            Ok(deleted)
        })
    }

    async fn record_delivery(
        &self,
        id: &WebhookId,
        delivery: &Delivery,
        verdict: Verdict,
    ) -> StoreResult<Option<Webhook>> {
        write_txn!(self.graph, |txn| {
            let Some(mut row) = lock(txn, id).await? else {
                return Ok(None);
            };
            let (attempts, json) = (row.attempts + 1, row.deliveries.take());
            let mut kept = parse_deliveries(json.as_deref())?;
            webhook::keep(&mut kept, delivery, u64::try_from(attempts).unwrap_or(0));
            let current: Webhook = row.try_into()?;
            let next = current.after(verdict);
            save(txn, &next, attempts, &kept).await?;
            Ok(Some(next))
        })
    }

    async fn webhook_deliveries(&self, id: &WebhookId) -> StoreResult<Vec<Delivery>> {
        #[derive(Deserialize)]
        struct Row {
            deliveries: Option<String>,
        }
        let statement = q::WEBHOOK_DELIVERIES.query().param("id", id.as_str());
        let found = tx::read::<Row>(&self.graph, statement).await?;
        match found.into_iter().next() {
            Some(row) => parse_deliveries(row.deliveries.as_deref()),
            None => Ok(Vec::new()),
        }
    }
}
