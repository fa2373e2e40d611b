//! Bots in the embedded store, under the same lock as everything else.

use super::{MemoryStore, State};
use crate::domain::bot::{Bot, BotChange, BotDecision, NewBot};
use crate::domain::event::DomainEvent;
use crate::domain::ids::{BotId, HookId};
use crate::domain::membership::Membership;
use crate::domain::transition::Fallout;
use crate::domain::user::User;
use crate::domain::{GroupId, Timestamp, UserId};
use crate::store::{Bots, Recorded, StoreError, StoreResult};
use async_trait::async_trait;
use std::collections::HashMap;

#[derive(Default)]
pub(super) struct BotTable {
    rows: HashMap<BotId, Bot>,
    /// Key digest -> bot; a rotated-away or revoked key is removed.
    by_key: HashMap<String, BotId>,
    by_group: HashMap<GroupId, Vec<BotId>>,
    /// Incoming webhook -> its bot and the digest of its secret.
    hooks: HashMap<HookId, (BotId, String)>,
}

impl BotTable {
    pub(super) fn created_by(&self, user: &UserId) -> Vec<Bot> {
        let mut bots: Vec<Bot> = (self.rows.values())
            .filter(|b| &b.created_by == user)
            .cloned()
            .collect();
        bots.sort_by(|a, b| a.id.cmp(&b.id));
        bots
    }
}

impl State {
    /// Applies what a membership change does to the group's integrations
    /// (`bot::fallout`), inside the transition's lock.
    pub(super) fn apply_fallout(&mut self, group: &GroupId, fallout: &Fallout, now: Timestamp) {
        let ids = self.bots.by_group.get(group).cloned().unwrap_or_default();
        for id in ids {
            let Some(bot) = self.bots.rows.get_mut(&id) else {
                continue;
            };
            if bot.revoked_at.is_some() {
                continue;
            }
            match fallout {
                Fallout::DisableCreatedBy(user, reason) if &bot.created_by == user => {
                    bot.disabled_reason
                        .get_or_insert_with(|| (*reason).to_owned());
                }
                Fallout::RevokeBotOf(user) if &bot.user_id == user => {
                    bot.revoked_at = Some(now);
                    self.bots.by_key.retain(|_, holder| holder != &id);
                }
                _ => {}
            }
        }
        if let Fallout::DisableCreatedBy(user, reason) = fallout {
            self.disable_webhooks_of(group, user, reason);
        }
    }

    fn add_members(&mut self, group: &GroupId, delta: i64) {
        if let Some(row) = self.groups.get_mut(group) {
            row.group.member_count = row.group.member_count.saturating_add_signed(delta);
        }
    }

    fn create_bot(&mut self, new: &NewBot) -> StoreResult<(Bot, Membership)> {
        if !self.groups.contains_key(&new.group_id) {
            return Err(StoreError::NotFound("group"));
        }
        let creator = (new.group_id.clone(), new.created_by.clone());
        let ids = self.bots.by_group.get(&new.group_id).into_iter().flatten();
        let live_of_kind = ids
            .filter_map(|id| self.bots.rows.get(id))
            .filter(|b| b.revoked_at.is_none() && b.hook_id.is_some() == new.hook.is_some())
            .count();
        new.admit(self.memberships.get(&creator), live_of_kind)
            .map_err(StoreError::Rejected)?;
        let (bot, membership) = (new.bot(), new.membership());
        self.users.insert(
            bot.user_id.clone(),
            User {
                id: bot.user_id.clone(),
                name: bot.name.clone(),
                email: None,
                picture_url: None,
                created_at: new.now,
                last_seen_at: None,
                presence_hidden: false,
            },
        );
        self.put_membership(membership.clone());
        self.add_members(&new.group_id, 1);
        let table = &mut self.bots;
        table.by_key.insert(new.key.hash.clone(), bot.id.clone());
        table
            .by_group
            .entry(bot.group_id.clone())
            .or_default()
            .push(bot.id.clone());
        if let Some((hook, secret)) = &new.hook {
            table
                .hooks
                .insert(hook.clone(), (bot.id.clone(), secret.clone()));
        }
        table.rows.insert(bot.id.clone(), bot.clone());
        Ok((bot, membership))
    }

    fn change_bot(
        &mut self,
        id: &BotId,
        actor: &UserId,
        change: &BotChange,
        now: Timestamp,
    ) -> StoreResult<BotDecision> {
        let bot = self
            .bots
            .rows
            .get(id)
            .cloned()
            .ok_or(StoreError::NotFound("bot"))?;
        let actor_m = self.memberships.get(&(bot.group_id.clone(), actor.clone()));
        let bot_m = self
            .memberships
            .get(&(bot.group_id.clone(), bot.user_id.clone()));
        let decision = bot
            .decide(change, actor_m, bot_m, now)
            .map_err(StoreError::Rejected)?;
        let changes_key = decision.key.is_some() || decision.bot.revoked_at != bot.revoked_at;
        if changes_key {
            self.bots.by_key.retain(|_, holder| holder != id);
        }
        if let Some(key) = &decision.key {
            self.bots.by_key.insert(key.hash.clone(), id.clone());
        }
        if let Some(left) = &decision.left {
            self.put_membership(left.clone());
            self.add_members(&bot.group_id, -1);
        }
        self.bots.rows.insert(id.clone(), decision.bot.clone());
        Ok(decision)
    }
}

#[async_trait]
impl Bots for MemoryStore {
    async fn create_bot(&self, new: &NewBot) -> StoreResult<Recorded<(Bot, Membership)>> {
        let mut state = self.state.lock();
        let created = state.create_bot(new)?;
        state.log.append(&new.log_entry());
        Ok(state.record(created, DomainEvent::of_new_bot(new)))
    }

    async fn group_bots(&self, group: &GroupId) -> StoreResult<Vec<Bot>> {
        let state = self.state.lock();
        let ids = state.bots.by_group.get(group).into_iter().flatten();
        Ok(ids
            .filter_map(|id| state.bots.rows.get(id).cloned())
            .collect())
    }

    async fn bots(&self, ids: &[BotId]) -> StoreResult<Vec<Bot>> {
        let state = self.state.lock();
        Ok(ids
            .iter()
            .filter_map(|id| state.bots.rows.get(id).cloned())
            .collect())
    }

    async fn bot_by_key(&self, key_hash: &str) -> StoreResult<Option<Bot>> {
        let state = self.state.lock();
        let id = state.bots.by_key.get(key_hash);
        let bot = id.and_then(|id| state.bots.rows.get(id));
        Ok(bot.filter(|b| b.disabled_reason.is_none()).cloned())
    }

    async fn incoming_webhook(&self, id: &HookId) -> StoreResult<Option<(Bot, String)>> {
        let state = self.state.lock();
        let Some((bot, secret)) = state.bots.hooks.get(id) else {
            return Ok(None);
        };
        Ok(state
            .bots
            .rows
            .get(bot)
            .map(|b| (b.clone(), secret.clone())))
    }

    async fn change_bot(
        &self,
        id: &BotId,
        actor: &UserId,
        change: &BotChange,
        now: Timestamp,
    ) -> StoreResult<Recorded<Bot>> {
        let mut state = self.state.lock();
        let decision = state.change_bot(id, actor, change, now)?;
        if let Some(entry) = decision.log_entry(actor, now) {
            state.log.append(&entry);
        }
        let events = DomainEvent::of_bot_decision(&decision, now);
        Ok(state.record(decision.bot, events))
    }

    async fn mark_bot_used(&self, id: &BotId, now: Timestamp) -> StoreResult<()> {
        let mut state = self.state.lock();
        if let Some(bot) = state.bots.rows.get_mut(id) {
            if bot.due_for_use_mark(now) {
                bot.last_used_at = Some(now);
            }
        }
        Ok(())
    }
}
