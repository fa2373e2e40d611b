//! Bots on Neo4j: `(:Bot)` nodes beside the bot's `(:User)` and its
//! MEMBERSHIP, keys kept as their digest only.

use super::memberships::put_membership;
use super::queries as q;
use super::rows::{self, micros, time, MembershipRow};
use super::tx::{self, write_txn};
use super::Neo4jStore;
use crate::domain::bot::{Bot, BotChange, NewBot, LAST_USED_EVERY_SECS};
use crate::domain::event::DomainEvent;
use crate::domain::ids::{BotId, HookId};
use crate::domain::membership::Membership;
use crate::domain::{GroupId, Timestamp, UserId};
use crate::store::{Bots, Recorded, StoreError, StoreResult};
use async_trait::async_trait;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct BotRow {
    id: BotId,
    user_id: UserId,
    group_id: GroupId,
    name: String,
    key_prefix: String,
    created_by: UserId,
    created_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
    disabled_reason: Option<String>,
    hook_id: Option<HookId>,
    /// Only `bot_by_hook` returns it.
    #[serde(default)]
    hook_secret_hash: Option<String>,
}

/// A live bot of a group, as `create_bot` counts them by kind.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LiveBotRow {
    hook_id: Option<String>,
}

impl TryFrom<BotRow> for Bot {
    type Error = StoreError;
    fn try_from(r: BotRow) -> Result<Self, StoreError> {
        Ok(Bot {
            id: r.id,
            user_id: r.user_id,
            group_id: r.group_id,
            name: r.name,
            key_prefix: r.key_prefix,
            created_by: r.created_by,
            created_at: time(r.created_at)?,
            last_used_at: r.last_used_at.map(time).transpose()?,
            revoked_at: r.revoked_at.map(time).transpose()?,
            disabled_reason: r.disabled_reason,
            hook_id: r.hook_id,
        })
    }
}

impl Neo4jStore {
    async fn read_bots(&self, statement: q::Named) -> StoreResult<Vec<Bot>> {
        rows::convert(tx::read::<BotRow>(&self.graph, statement).await?)
    }
}

#[async_trait]
impl Bots for Neo4jStore {
    #[tracing::instrument(skip_all, fields(group = %new.group_id))]
    async fn create_bot(&self, new: &NewBot) -> StoreResult<Recorded<(Bot, Membership)>> {
        let now = time(micros(new.now))?;
        let new = &NewBot { now, ..new.clone() };
        let (bot, membership, events) = (new.bot(), new.membership(), DomainEvent::of_new_bot(new));
        write_txn!(self.graph, |txn| {
            let locked = q::GROUP_LOCK
                .query()
                .param("groupId", new.group_id.as_str());
            if tx::rows::<rows::Ignored>(txn, locked).await?.is_empty() {
                return Err(StoreError::NotFound("group").into());
            }
            let read = q::MEMBERSHIPS_OF_USERS
                .query()
                .param("groupId", new.group_id.as_str())
                .param("userIds", vec![new.created_by.to_string()]);
            let creator: Vec<Membership> =
                rows::convert(tx::rows::<MembershipRow>(txn, read).await?)?;
            let live = q::BOTS_LIVE_OF_GROUP
                .query()
                .param("groupId", new.group_id.as_str());
            let live = tx::rows::<LiveBotRow>(txn, live).await?;
            let live_of_kind = live
                .iter()
                .filter(|b| b.hook_id.is_some() == new.hook.is_some())
                .count();
            new.admit(creator.first(), live_of_kind)
                .map_err(StoreError::Rejected)?;
            let create = q::BOT_CREATE
                .query()
                .param("id", bot.id.as_str())
                .param("userId", bot.user_id.as_str())
                .param("groupId", bot.group_id.as_str())
                .param("name", bot.name.as_str())
                .param("keyPrefix", new.key.prefix.as_str())
                .param("keyHash", new.key.hash.as_str())
                .param("createdBy", bot.created_by.as_str())
                .param("now", micros(now))
                .param("hookId", new.hook.as_ref().map(|h| h.0.to_string()))
                .param("hookSecretHash", new.hook.as_ref().map(|h| h.1.clone()));
            tx::rows::<rows::Ignored>(txn, create).await?;
            super::moderation::log(txn, &new.log_entry()).await?;
            super::outbox::record(txn, &events).await?;
            Ok(())
        })?;
        Ok(Recorded {
            value: (bot, membership),
            events,
        })
    }

    async fn group_bots(&self, group: &GroupId) -> StoreResult<Vec<Bot>> {
        self.read_bots(q::BOTS_OF_GROUP.query().param("groupId", group.as_str()))
            .await
    }

    async fn bots(&self, ids: &[BotId]) -> StoreResult<Vec<Bot>> {
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        self.read_bots(q::BOTS_BY_IDS.query().param("ids", ids))
            .await
    }

    async fn bot_by_key(&self, key_hash: &str) -> StoreResult<Option<Bot>> {
        let found = self
            .read_bots(q::BOT_BY_KEY.query().param("keyHash", key_hash))
            .await?;
        Ok(found.into_iter().next())
    }

    async fn incoming_webhook(&self, id: &HookId) -> StoreResult<Option<(Bot, String)>> {
        let statement = q::BOT_BY_HOOK.query().param("hookId", id.as_str());
        let found = tx::read::<BotRow>(&self.graph, statement).await?;
        let Some(mut row) = found.into_iter().next() else {
            return Ok(None);
        };
        let secret = row.hook_secret_hash.take().unwrap_or_default();
        Ok(Some((row.try_into()?, secret)))
    }

    #[tracing::instrument(skip_all, fields(bot = %id))]
    async fn change_bot(
        &self,
        id: &BotId,
        actor: &UserId,
        change: &BotChange,
        now: Timestamp,
    ) -> StoreResult<Recorded<Bot>> {
        let now = time(micros(now))?;
        write_txn!(self.graph, |txn| {
            let locked = q::BOT_LOCK.query().param("id", id.as_str());
            let bot: Bot = tx::first::<BotRow>(txn, locked)
                .await?
                .ok_or(StoreError::NotFound("bot"))?
                .try_into()?;
            let read = q::MEMBERSHIPS_OF_USERS
                .query()
                .param("groupId", bot.group_id.as_str())
                .param("userIds", vec![actor.to_string(), bot.user_id.to_string()]);
            let current: Vec<Membership> =
                rows::convert(tx::rows::<MembershipRow>(txn, read).await?)?;
            let find = |user: &UserId| current.iter().find(|m| &m.user_id == user);
            let decision = bot
                .decide(change, find(actor), find(&bot.user_id), now)
                .map_err(StoreError::Rejected)?;
            let update = q::BOT_UPDATE
                .query()
                .param("id", id.as_str())
                .param("keyPrefix", decision.bot.key_prefix.as_str())
                .param("keyHash", decision.key.as_ref().map(|k| k.hash.clone()))
                .param("revokedAt", decision.bot.revoked_at.map(micros))
                .param("disabledReason", decision.bot.disabled_reason.clone());
            tx::rows::<rows::Ignored>(txn, update).await?;
            if let Some(left) = &decision.left {
                put_membership(txn, left).await?;
                let count = q::GROUP_MEMBER_COUNT
                    .query()
                    .param("groupId", bot.group_id.as_str())
                    .param("delta", -1i64);
                tx::rows::<rows::Ignored>(txn, count).await?;
            }
            if let Some(entry) = decision.log_entry(actor, now) {
                super::moderation::log(txn, &entry).await?;
            }
            let events = DomainEvent::of_bot_decision(&decision, now);
            super::outbox::record(txn, &events).await?;
            Ok(Recorded {
                value: decision.bot,
                events,
            })
        })
    }

    async fn mark_bot_used(&self, id: &BotId, now: Timestamp) -> StoreResult<()> {
        let before = now - chrono::Duration::seconds(LAST_USED_EVERY_SECS);
        let statement = q::BOT_MARK_USED
            .query()
            .param("id", id.as_str())
            .param("now", micros(now))
            .param("before", micros(before));
        tx::read::<rows::Ignored>(&self.graph, statement).await?;
        Ok(())
    }
}
