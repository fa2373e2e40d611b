//! Bots: created and retired by a group's owner and admins; their API keys
//! are the credential `identify` accepts beside ID tokens.

use super::Service;
use crate::auth::{api_key, AuthError, Authenticator, Identity};
use crate::domain::access;
use crate::domain::bot::{self, Bot, BotChange, KeyDigest, NewBot};
use crate::domain::ids::BotId;
use crate::domain::user::Profile;
use crate::domain::{DomainError, DomainResult, GroupId, UserId};

/// A bot and its key, as `createBot` and `rotateBotKey` show it once.
pub struct BotWithKey {
    pub bot: Bot,
    pub api_key: String,
}

/// How long a bot's socket may stay open on one `connection_init`: keys do
/// not expire, and a revoked bot's socket is refused at its next message.
const BOT_SESSION_SECS: i64 = 24 * 3600;

fn new_key() -> DomainResult<(String, KeyDigest)> {
    api_key::generate().map_err(|e| DomainError::Internal(Box::new(e)))
}

impl Service {
    /// The signed-in holder of a credential: a bot's API key (looked up by
    /// its digest; revoked and rotated-away keys are refused) or an ID token
    /// (verified by `auth`, its user created or refreshed).
    pub async fn identify(&self, auth: &Authenticator, credential: &str) -> DomainResult<Identity> {
        let token = crate::auth::bearer(credential);
        if !api_key::is_key(token) {
            let identity = auth.authenticate(credential).await?;
            self.sign_in(&identity.profile).await?;
            self.seen(&identity.profile.id);
            return Ok(identity);
        }
        let refused = || DomainError::from(AuthError::Invalid("unknown or revoked API key".into()));
        let digest = api_key::digest(token).ok_or_else(refused)?;
        let bot = self
            .store
            .bot_by_key(&digest.hash)
            .await?
            .ok_or_else(refused)?;
        let now = Self::now();
        if bot.due_for_use_mark(now) {
            self.store.mark_bot_used(&bot.id, now).await?;
        }
        self.seen(&bot.user_id);
        Ok(Identity {
            profile: Profile {
                id: bot.user_id,
                name: bot.name,
                email: None,
                picture_url: None,
            },
            expires_at: now.timestamp() + BOT_SESSION_SECS,
            key: Some(digest.hash),
        })
    }

    /// Whether a bot key (by its hash) still signs in: false once it was
    /// rotated away or its bot revoked. Sockets opened with a key check it
    /// where operations start and where events are delivered.
    pub async fn key_is_current(&self, key_hash: &str) -> DomainResult<bool> {
        Ok(self.store.bot_by_key(key_hash).await?.is_some())
    }

    /// Changes when a write through this service may have ended a bot key
    /// (a rotation, a revocation, a membership change: its fallout can
    /// disable or revoke bots). A socket that checked its key at one
    /// generation need not read the store again until it moves; read it
    /// before the check. Only for a process every such write goes through
    /// (the local server).
    pub fn key_generation(&self) -> u64 {
        self.key_changes.load(std::sync::atomic::Ordering::Acquire)
    }

    /// After a write that may have ended a bot key.
    pub(super) fn keys_may_have_changed(&self) {
        self.key_changes
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    #[tracing::instrument(skip(self, name))]
    pub async fn create_bot(
        &self,
        viewer: &UserId,
        group: &GroupId,
        name: &str,
    ) -> DomainResult<BotWithKey> {
        access::people_only(viewer)?;
        self.throttle(viewer).await?;
        let (api_key, digest) = new_key()?;
        let new = NewBot::new(group.clone(), name, viewer.clone(), digest, Self::now())?;
        let created = self.store.create_bot(&new).await?;
        self.announce(created.events).await;
        tracing::info!(bot = %created.value.0.id, "bot created");
        Ok(BotWithKey {
            bot: created.value.0,
            api_key,
        })
    }

    #[tracing::instrument(skip(self))]
    pub async fn rotate_bot_key(&self, viewer: &UserId, id: &BotId) -> DomainResult<BotWithKey> {
        access::people_only(viewer)?;
        self.throttle(viewer).await?;
        let (api_key, digest) = new_key()?;
        let changed = self
            .store
            .change_bot(id, viewer, &BotChange::Rekey(digest), Self::now())
            .await?;
        self.keys_may_have_changed();
        Ok(BotWithKey {
            bot: changed.value,
            api_key,
        })
    }

    #[tracing::instrument(skip(self))]
    pub async fn enable_bot(&self, viewer: &UserId, id: &BotId) -> DomainResult<Bot> {
        access::people_only(viewer)?;
        self.throttle(viewer).await?;
        let changed = self
            .store
            .change_bot(id, viewer, &BotChange::Enable, Self::now())
            .await?;
        Ok(changed.value)
    }

    #[tracing::instrument(skip(self))]
    pub async fn revoke_bot(&self, viewer: &UserId, id: &BotId) -> DomainResult<Bot> {
        Ok(self.revoke(viewer, id).await?.0)
    }

    /// Revokes the bot; `true` when this call did (not an earlier or a
    /// concurrent one: theirs carry their own instant).
    pub(super) async fn revoke(&self, viewer: &UserId, id: &BotId) -> DomainResult<(Bot, bool)> {
        access::people_only(viewer)?;
        self.throttle(viewer).await?;
        let now = Self::now();
        let changed = self
            .store
            .change_bot(id, viewer, &BotChange::Revoke, now)
            .await?;
        self.keys_may_have_changed();
        self.announce(changed.events).await;
        let ours = changed.value.revoked_at == Some(now);
        Ok((changed.value, ours))
    }

    /// A group's bots, for its owner and admins: the live ones and the
    /// [`bot::MAX_PER_GROUP`] revoked most recently, oldest first.
    pub async fn group_bots(&self, viewer: &UserId, group: &GroupId) -> DomainResult<Vec<Bot>> {
        let (_, membership) = self.access(viewer, group).await?;
        access::may_manage(membership.as_ref())?;
        let mut bots = self.store.group_bots(group).await?;
        let mut revoked: Vec<_> = bots.iter().filter_map(|b| b.revoked_at).collect();
        if revoked.len() > bot::MAX_PER_GROUP {
            revoked.sort_unstable_by(|a, b| b.cmp(a));
            let oldest_kept = revoked[bot::MAX_PER_GROUP - 1];
            bots.retain(|b| b.revoked_at.is_none_or(|at| at >= oldest_kept));
        }
        Ok(bots)
    }

    /// A bot, if the viewer manages its group (`node`); `None` otherwise.
    pub async fn bot(&self, viewer: &UserId, id: &BotId) -> DomainResult<Option<Bot>> {
        let Some(found) = self.store.bots(std::slice::from_ref(id)).await?.pop() else {
            return Ok(None);
        };
        match self.access(viewer, &found.group_id).await {
            Ok((_, membership)) if access::may_manage(membership.as_ref()).is_ok() => {
                Ok(Some(found))
            }
            Ok(_) | Err(DomainError::Forbidden(_) | DomainError::NotFound(_)) => Ok(None),
            Err(err) => Err(err),
        }
    }
}
