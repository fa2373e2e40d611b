//! Outgoing webhooks in the embedded store, under the same lock as
//! everything else.

use super::{MemoryStore, State};
use crate::domain::ids::WebhookId;
use crate::domain::moderation::ModerationEntry;
use crate::domain::webhook::{self, Delivery, Verdict, Webhook, WebhookPatch};
use crate::domain::{GroupId, UserId};
use crate::store::{StoreError, StoreResult, Webhooks};
use async_trait::async_trait;
use std::collections::HashMap;

#[derive(Default)]
pub(super) struct WebhookTable {
    rows: HashMap<WebhookId, Row>,
    by_group: HashMap<GroupId, Vec<WebhookId>>,
}

struct Row {
    webhook: Webhook,
    /// The last `KEPT_DELIVERIES` attempts, oldest first.
    deliveries: Vec<Delivery>,
    attempts: u64,
}

impl State {
    /// Disables the group's enabled webhooks that `user` created.
    pub(super) fn disable_webhooks_of(&mut self, group: &GroupId, user: &UserId, reason: &str) {
        let ids = self.webhooks.by_group.get(group).into_iter().flatten();
        for id in ids {
            if let Some(row) = self.webhooks.rows.get_mut(id) {
                let hook = &mut row.webhook;
                if &hook.created_by == user && hook.enabled {
                    hook.enabled = false;
                    hook.disabled_reason = Some(reason.to_owned());
                }
            }
        }
    }

    fn webhook_row(&mut self, id: &WebhookId) -> StoreResult<&mut Row> {
        self.webhooks
            .rows
            .get_mut(id)
            .ok_or(StoreError::NotFound("webhook"))
    }
}

#[async_trait]
impl Webhooks for MemoryStore {
    async fn create_webhook(
        &self,
        webhook: &Webhook,
        log: Option<&ModerationEntry>,
    ) -> StoreResult<()> {
        let mut state = self.state.lock();
        if !state.groups.contains_key(&webhook.group_id) {
            return Err(StoreError::NotFound("group"));
        }
        let table = &mut state.webhooks;
        let ids = table.by_group.entry(webhook.group_id.clone()).or_default();
        webhook::admit(ids.len()).map_err(StoreError::rejected)?;
        ids.push(webhook.id.clone());
        let row = Row {
            webhook: webhook.clone(),
            deliveries: Vec::new(),
            attempts: 0,
        };
        table.rows.insert(webhook.id.clone(), row);
        if let Some(entry) = log {
            state.log.append(entry);
        }
        Ok(())
    }

    async fn group_webhooks(&self, group: &GroupId) -> StoreResult<Vec<Webhook>> {
        let state = self.state.lock();
        let ids = state.webhooks.by_group.get(group).into_iter().flatten();
        Ok(ids
            .filter_map(|id| state.webhooks.rows.get(id))
            .map(|row| row.webhook.clone())
            .collect())
    }

    async fn webhook(&self, id: &WebhookId) -> StoreResult<Option<Webhook>> {
        let state = self.state.lock();
        Ok(state.webhooks.rows.get(id).map(|row| row.webhook.clone()))
    }

    async fn update_webhook(
        &self,
        id: &WebhookId,
        patch: &WebhookPatch,
        log: Option<&ModerationEntry>,
    ) -> StoreResult<Webhook> {
        let mut state = self.state.lock();
        let row = state.webhook_row(id)?;
        row.webhook = row.webhook.patched(patch).map_err(StoreError::rejected)?;
        let changed = row.webhook.clone();
        if let Some(entry) = log {
            state.log.append(entry);
        }
        Ok(changed)
    }

    async fn delete_webhook(
        &self,
        id: &WebhookId,
        log: Option<&ModerationEntry>,
    ) -> StoreResult<bool> {
        let mut state = self.state.lock();
        let Some(row) = state.webhooks.rows.remove(id) else {
            return Ok(false);
        };
        if let Some(ids) = state.webhooks.by_group.get_mut(&row.webhook.group_id) {
            ids.retain(|other| other != id);
        }
        if let Some(entry) = log {
            state.log.append(entry);
        }
        Ok(true)
    }

    async fn record_delivery(
        &self,
        id: &WebhookId,
        delivery: &Delivery,
        verdict: Verdict,
    ) -> StoreResult<Option<Webhook>> {
        let mut state = self.state.lock();
        let Ok(row) = state.webhook_row(id) else {
            return Ok(None);
        };
        row.attempts += 1;
        webhook::keep(&mut row.deliveries, delivery, row.attempts);
        row.webhook = row.webhook.after(verdict);
        Ok(Some(row.webhook.clone()))
    }

    async fn webhook_deliveries(&self, id: &WebhookId) -> StoreResult<Vec<Delivery>> {
        let state = self.state.lock();
        Ok(state
            .webhooks
            .rows
            .get(id)
            .map(|row| row.deliveries.clone())
            .unwrap_or_default())
    }
}
