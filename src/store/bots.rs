//! The storage port of bots (a supertrait of `Store`, so every store keeps
//! them and the conformance suite runs on both).

use super::{Recorded, StoreResult};
use crate::domain::bot::{Bot, BotChange, NewBot};
use crate::domain::ids::{BotId, HookId};
use crate::domain::membership::Membership;
use crate::domain::{GroupId, Timestamp};
use async_trait::async_trait;

#[async_trait]
pub trait Bots: Send + Sync {
    /// Checks `NewBot::admit` on the creator's membership and writes the
    /// bot, its user and its MEMBER membership (member count +1, the
    /// membership's event recorded), atomically.
    async fn create_bot(&self, bot: &NewBot) -> StoreResult<Recorded<(Bot, Membership)>>;
    /// The bots of a group, revoked ones too, oldest first.
    async fn group_bots(&self, group: &GroupId) -> StoreResult<Vec<Bot>>;
    /// The bots that exist among `ids`, in any order.
    async fn bots(&self, ids: &[BotId]) -> StoreResult<Vec<Bot>>;
    /// The bot holding a key with this hash (`KeyDigest::hash`), unless it
    /// was revoked or the key rotated away.
    async fn bot_by_key(&self, key_hash: &str) -> StoreResult<Option<Bot>>;
    /// The bot of an incoming webhook, revoked or not, and the digest of
    /// the hook's secret.
    async fn incoming_webhook(&self, id: &HookId) -> StoreResult<Option<(Bot, String)>>;
    /// Checks `Bot::decide` on the bot, the actor's and the bot's
    /// memberships as read together, and writes the decision (for a revoke:
    /// the bot leaves, member count -1, the event recorded).
    async fn change_bot(
        &self,
        id: &BotId,
        actor: &crate::domain::UserId,
        change: &BotChange,
        now: Timestamp,
    ) -> StoreResult<Recorded<Bot>>;
    /// Records a use of the bot's key, at most once a minute
    /// (`Bot::due_for_use_mark`).
    async fn mark_bot_used(&self, id: &BotId, now: Timestamp) -> StoreResult<()>;
}
