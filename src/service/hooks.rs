//! Incoming webhooks: a bot and a URL secret. A Slack-style POST to
//! `/hooks/<id>/<secret>` posts as the bot; deleting the hook revokes it.

use super::Service;
use crate::auth::api_key;
use crate::domain::access;
use crate::domain::bot::{Bot, NewBot};
use crate::domain::ids::HookId;
use crate::domain::message::Message;
use crate::domain::text::MessageBody;
use crate::domain::{DomainError, DomainResult, GroupId, MessageId, UserId};

/// What `post_from_hook` says of an unknown id, a wrong secret or a
/// deleted hook (`NotFound` of this).
pub const UNKNOWN_HOOK: &str = "incoming webhook";

/// An incoming webhook's bot and the secret of its URL, shown once.
pub struct HookWithSecret {
    pub bot: Bot,
    pub hook_id: HookId,
    pub secret: String,
}

fn internal(err: std::io::Error) -> DomainError {
    DomainError::Internal(Box::new(err))
}

impl Service {
    #[tracing::instrument(skip(self, name))]
    pub async fn create_incoming_webhook(
        &self,
        viewer: &UserId,
        group: &GroupId,
        name: &str,
    ) -> DomainResult<HookWithSecret> {
        access::people_only(viewer)?;
        self.throttle(viewer).await?;
        // The hook's bot gets a key no one is shown: it posts only through
        // the hook.
        let (_, key) = api_key::generate().map_err(internal)?;
        let secret = api_key::random_secret().map_err(internal)?;
        let hook_id = HookId::generate();
        let mut new = NewBot::new(group.clone(), name, viewer.clone(), key, Self::now())?;
        new.hook = Some((hook_id.clone(), api_key::sha256_hex(&secret)));
        let created = self.store.create_bot(&new).await?;
        self.announce(created.events).await;
        Ok(HookWithSecret {
            bot: created.value.0,
            hook_id,
            secret,
        })
    }

    /// Revokes the hook's bot: its URL responds 404 from then on. `false`
    /// when there was no such live hook.
    #[tracing::instrument(skip(self))]
    pub async fn delete_incoming_webhook(
        &self,
        viewer: &UserId,
        id: &HookId,
    ) -> DomainResult<bool> {
        let Some((hook_bot, _)) = self.store.incoming_webhook(id).await? else {
            return Ok(false);
        };
        Ok(self.revoke(viewer, &hook_bot.id).await?.1)
    }

    /// A group's live incoming webhooks (their bots), for owner and admins.
    pub async fn group_incoming_webhooks(
        &self,
        viewer: &UserId,
        group: &GroupId,
    ) -> DomainResult<Vec<Bot>> {
        let bots = self.group_bots(viewer, group).await?;
        Ok(bots
            .into_iter()
            .filter(|b| b.hook_id.is_some() && b.revoked_at.is_none())
            .collect())
    }

    /// An incoming webhook's bot, if it is live and the viewer manages its
    /// group (`node`).
    pub async fn incoming_webhook(
        &self,
        viewer: &UserId,
        id: &HookId,
    ) -> DomainResult<Option<Bot>> {
        let Some((hook_bot, _)) = self.store.incoming_webhook(id).await? else {
            return Ok(None);
        };
        let visible = self.bot(viewer, &hook_bot.id).await?;
        Ok(visible.filter(|b| b.revoked_at.is_none()))
    }

    /// Posts what an incoming webhook received, as its bot: a reply when
    /// `parent` names a message. An unknown id, a wrong secret and a deleted
    /// hook are all `NotFound`.
    #[tracing::instrument(skip(self, secret, body))]
    pub async fn post_from_hook(
        &self,
        id: &HookId,
        secret: &str,
        body: MessageBody,
        parent: Option<MessageId>,
    ) -> DomainResult<Message> {
        let unknown = DomainError::NotFound(UNKNOWN_HOOK);
        let Some((hook_bot, digest)) = self.store.incoming_webhook(id).await? else {
            return Err(unknown);
        };
        if !api_key::matches_digest(secret, &digest) || hook_bot.revoked_at.is_some() {
            return Err(unknown);
        }
        if hook_bot.disabled_reason.is_some() {
            return Err(DomainError::forbidden(
                "this incoming webhook is disabled until an admin enables it",
            ));
        }
        match parent {
            Some(parent) => {
                self.reply(&hook_bot.user_id, &parent, body, None, &[])
                    .await
            }
            None => {
                self.post_message(&hook_bot.user_id, &hook_bot.group_id, body, None, &[])
                    .await
            }
        }
    }
}
