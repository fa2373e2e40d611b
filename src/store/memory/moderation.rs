//! The moderation log on the memory store: each group's entries by
//! (time, id), appended under the lock of the write they record.

use super::MemoryStore;
use crate::domain::keyset;
use crate::domain::moderation::ModerationEntry;
use crate::domain::page::{Page, PageRequest};
use crate::domain::GroupId;
use crate::store::{LogKey, Moderation, StoreResult};
use async_trait::async_trait;
use std::collections::{BTreeMap, HashMap};

#[derive(Default)]
pub(super) struct LogTable {
    by_group: HashMap<GroupId, BTreeMap<LogKey, ModerationEntry>>,
}

impl LogTable {
    pub(super) fn append(&mut self, entry: &ModerationEntry) {
        self.by_group
            .entry(entry.group_id.clone())
            .or_default()
            .insert(entry.list_key(), entry.clone());
    }
}

#[async_trait]
impl Moderation for MemoryStore {
    async fn moderation_log(
        &self,
        group: &GroupId,
        page: PageRequest<LogKey>,
    ) -> StoreResult<Page<ModerationEntry>> {
        let state = self.state.lock();
        let Some(entries) = state.log.by_group.get(group) else {
            return Ok(Page::empty());
        };
        Ok(keyset::page(
            entries,
            &page,
            |_, _| true,
            |_, entry| entry.clone(),
        ))
    }
}
