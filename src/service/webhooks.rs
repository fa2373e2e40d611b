//! Outgoing webhooks: registered, changed and listed by a group's owner
//! and admins. URLs pass the address rule when they are set; the signing
//! secret is shown once, when it is made.

use super::Service;
use crate::auth::api_key;
use crate::domain::access::{self, may_manage};
use crate::domain::event::EventKind;
use crate::domain::ids::WebhookId;
use crate::domain::keyset;
use crate::domain::page::{Page, PageRequest};
use crate::domain::webhook::{Delivery, Webhook, WebhookPatch, WebhookSecret};
use crate::domain::{DomainError, DomainResult, GroupId, UserId};
use std::collections::BTreeMap;

/// A webhook and its signing secret, as `createWebhook` and
/// `rotateWebhookSecret` show it once.
pub struct WebhookWithSecret {
    pub webhook: Webhook,
    pub secret: String,
}

fn new_secret() -> DomainResult<String> {
    api_key::webhook_secret().map_err(|e| DomainError::Internal(Box::new(e)))
}

impl Service {
    /// `secret` as the store keeps it: sealed for the webhook `id`.
    fn seal(&self, secret: &str, id: &WebhookId) -> DomainResult<WebhookSecret> {
        let sealed = self.webhooks.sealer.seal(secret, id.as_str());
        Ok(WebhookSecret(
            sealed.map_err(|e| DomainError::Internal(Box::new(e)))?,
        ))
    }

    /// Checks that `viewer` manages the integrations of `group`.
    async fn manage(&self, viewer: &UserId, group: &GroupId) -> DomainResult<()> {
        access::people_only(viewer)?;
        let (_, membership) = self.access(viewer, group).await?;
        may_manage(membership.as_ref())
    }

    /// The webhook, if it exists and `viewer` manages its group.
    async fn managed_webhook(&self, viewer: &UserId, id: &WebhookId) -> DomainResult<Webhook> {
        let webhook = self
            .store
            .webhook(id)
            .await?
            .ok_or(DomainError::NotFound("webhook"))?;
        self.manage(viewer, &webhook.group_id).await?;
        Ok(webhook)
    }

    #[tracing::instrument(skip(self, url))]
    pub async fn create_webhook(
        &self,
        viewer: &UserId,
        group: &GroupId,
        url: &str,
        events: &[EventKind],
    ) -> DomainResult<WebhookWithSecret> {
        self.manage(viewer, group).await?;
        self.throttle(viewer).await?;
        self.webhooks.transport.check(url).await?;
        let secret = new_secret()?;
        let mut webhook = Webhook::new(
            group.clone(),
            url.to_owned(),
            events,
            viewer.clone(),
            WebhookSecret(String::new()),
            Self::now(),
        )?;
        webhook.secret = self.seal(&secret, &webhook.id)?;
        let log = webhook.log_entry(viewer, "created", Self::now());
        self.store.create_webhook(&webhook, Some(&log)).await?;
        Ok(WebhookWithSecret { webhook, secret })
    }

    /// Changes the URL, the event types or whether it is enabled
    /// (enabling starts fresh: no failures counted, no reason).
    #[tracing::instrument(skip(self, patch))]
    pub async fn update_webhook(
        &self,
        viewer: &UserId,
        id: &WebhookId,
        mut patch: WebhookPatch,
    ) -> DomainResult<Webhook> {
        let webhook = self.managed_webhook(viewer, id).await?;
        self.throttle(viewer).await?;
        if let Some(url) = &patch.url {
            self.webhooks.transport.check(url).await?;
        }
        patch.secret = None;
        let log = webhook.log_entry(viewer, "updated", Self::now());
        Ok(self.store.update_webhook(id, &patch, Some(&log)).await?)
    }

    /// A new signing secret; requests are signed with it from now on.
    #[tracing::instrument(skip(self))]
    pub async fn rotate_webhook_secret(
        &self,
        viewer: &UserId,
        id: &WebhookId,
    ) -> DomainResult<WebhookWithSecret> {
        let webhook = self.managed_webhook(viewer, id).await?;
        self.throttle(viewer).await?;
        let secret = new_secret()?;
        let patch = WebhookPatch {
            secret: Some(self.seal(&secret, id)?),
            ..WebhookPatch::default()
        };
        let log = webhook.log_entry(viewer, "secret rotated", Self::now());
        let webhook = self.store.update_webhook(id, &patch, Some(&log)).await?;
        Ok(WebhookWithSecret { webhook, secret })
    }

    /// Deletes the webhook; `false` when there was none.
    #[tracing::instrument(skip(self))]
    pub async fn delete_webhook(&self, viewer: &UserId, id: &WebhookId) -> DomainResult<bool> {
        let webhook = match self.managed_webhook(viewer, id).await {
            Err(DomainError::NotFound(_)) => return Ok(false),
            other => other?,
        };
        self.throttle(viewer).await?;
        let log = webhook.log_entry(viewer, "deleted", Self::now());
        Ok(self.store.delete_webhook(id, Some(&log)).await?)
    }

    /// A group's webhooks, for its owner and admins.
    pub async fn group_webhooks(
        &self,
        viewer: &UserId,
        group: &GroupId,
    ) -> DomainResult<Vec<Webhook>> {
        self.manage(viewer, group).await?;
        Ok(self.store.group_webhooks(group).await?)
    }

    /// The webhook, if the viewer manages its group (`node`).
    pub async fn webhook(&self, viewer: &UserId, id: &WebhookId) -> DomainResult<Option<Webhook>> {
        match self.managed_webhook(viewer, id).await {
            Ok(webhook) => Ok(Some(webhook)),
            Err(DomainError::NotFound(_) | DomainError::Forbidden(_)) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// A page of the webhook's kept attempts, keyed by their `seq` (the
    /// caller already holds the webhook, so may see them).
    pub async fn webhook_deliveries(
        &self,
        id: &WebhookId,
        request: &PageRequest<u64>,
    ) -> DomainResult<Page<Delivery>> {
        let kept: BTreeMap<u64, Delivery> = self
            .store
            .webhook_deliveries(id)
            .await?
            .into_iter()
            .map(|d| (d.seq, d))
            .collect();
        Ok(keyset::page(&kept, request, |_, _| true, |_, d| d.clone()))
    }
}
