//! Account deletion and data exports in the memory store.

use super::MemoryStore;
use crate::domain::account::{DataExport, Deletion, DELETED_NAME};
use crate::domain::attachment::Attachment;
use crate::domain::bot::Bot;
use crate::domain::ids::ExportId;
use crate::domain::membership::Membership;
use crate::domain::message::Message;
use crate::domain::reaction::Reaction;
use crate::domain::{MessageId, Timestamp, UserId};
use crate::store::{Accounts, StoreResult};
use async_trait::async_trait;
use std::collections::{BTreeMap, HashMap};

#[derive(Default)]
pub(super) struct AccountTable {
    /// Deletions under way: user -> the ghost their messages move to.
    deletions: BTreeMap<UserId, UserId>,
    exports: HashMap<ExportId, DataExport>,
}

#[async_trait]
impl Accounts for MemoryStore {
    async fn begin_deletion(&self, user: &UserId, ghost: &UserId) -> StoreResult<UserId> {
        let mut state = self.state.lock();
        if let Some(found) = state.users.get_mut(user) {
            found.name = DELETED_NAME.to_owned();
            found.email = None;
            found.picture_url = None;
            found.last_seen_at = None;
            found.presence_hidden = true;
        }
        let ghost = (state.accounts.deletions)
            .entry(user.clone())
            .or_insert_with(|| ghost.clone());
        Ok(ghost.clone())
    }

    async fn deletion(&self, user: &UserId) -> StoreResult<Option<Deletion>> {
        let state = self.state.lock();
        Ok(state.accounts.deletions.get(user).map(|ghost| Deletion {
            user_id: user.clone(),
            ghost: ghost.clone(),
        }))
    }

    async fn pending_deletions(&self, limit: usize) -> StoreResult<Vec<Deletion>> {
        let state = self.state.lock();
        Ok((state.accounts.deletions.iter())
            .take(limit)
            .map(|(user, ghost)| Deletion {
                user_id: user.clone(),
                ghost: ghost.clone(),
            })
            .collect())
    }

    async fn finish_deletion(&self, deletion: &Deletion) -> StoreResult<()> {
        let mut state = self.state.lock();
        let (user, ghost) = (&deletion.user_id, &deletion.ghost);
        state.threads.forget(user, ghost);
        state.reports.forget(user, ghost);
        state.accounts.deletions.remove(user);
        Ok(())
    }

    async fn memberships_of(&self, user: &UserId) -> StoreResult<Vec<Membership>> {
        let state = self.state.lock();
        let mut found: Vec<Membership> = (state.memberships.iter())
            .filter(|((_, holder), _)| holder == user)
            .map(|(_, m)| m.clone())
            .collect();
        found.sort_by(|a, b| a.group_id.cmp(&b.group_id));
        Ok(found)
    }

    async fn authored(
        &self,
        author: &UserId,
        after: Option<&MessageId>,
        limit: usize,
    ) -> StoreResult<Vec<Message>> {
        let state = self.state.lock();
        let mut found: Vec<&Message> = (state.messages.values())
            .map(|row| &row.message)
            .filter(|m| &m.author_id == author && after.is_none_or(|after| &m.id > after))
            .collect();
        found.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(found.into_iter().take(limit).cloned().collect())
    }

    async fn reactions_by(
        &self,
        user: &UserId,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<Reaction>> {
        let state = self.state.lock();
        Ok((state.reactions.of_user(user).into_iter())
            .filter(|r| after.is_none_or(|after| r.id().as_str() > after))
            .take(limit)
            .collect())
    }

    async fn uploads_of(&self, owner: &UserId, limit: usize) -> StoreResult<Vec<Attachment>> {
        let state = self.state.lock();
        let mut found: Vec<Attachment> = (state.attachments.values())
            .map(|(a, _)| a)
            .filter(|a| &a.owner_id == owner && a.message_id.is_none())
            .cloned()
            .collect();
        found.sort_by(|a, b| a.id.cmp(&b.id));
        found.truncate(limit);
        Ok(found)
    }

    async fn bots_created_by(&self, user: &UserId) -> StoreResult<Vec<Bot>> {
        Ok(self.state.lock().bots.created_by(user))
    }

    async fn begin_export(&self, export: &DataExport, now: Timestamp) -> StoreResult<DataExport> {
        let mut state = self.state.lock();
        let exports = &mut state.accounts.exports;
        let reusable = (exports.values())
            .filter(|e| e.user_id == export.user_id && e.reusable(now))
            .max_by_key(|e| e.created_at);
        if let Some(found) = reusable {
            return Ok(found.clone());
        }
        exports.insert(export.id.clone(), export.clone());
        Ok(export.clone())
    }

    async fn save_export(&self, export: &DataExport) -> StoreResult<()> {
        let mut state = self.state.lock();
        state
            .accounts
            .exports
            .insert(export.id.clone(), export.clone());
        Ok(())
    }

    async fn data_export(&self, id: &ExportId) -> StoreResult<Option<DataExport>> {
        Ok(self.state.lock().accounts.exports.get(id).cloned())
    }

    async fn pending_exports(&self, limit: usize) -> StoreResult<Vec<DataExport>> {
        let state = self.state.lock();
        let mut pending: Vec<DataExport> = (state.accounts.exports.values())
            .filter(|e| e.state == crate::domain::account::ExportState::Pending)
            .cloned()
            .collect();
        pending.sort_by_key(|e| e.created_at);
        pending.truncate(limit);
        Ok(pending)
    }
}
