//! Reports on the memory store, under the store's lock.

use super::MemoryStore;
use crate::domain::event::DomainEvent;
use crate::domain::ids::ReportId;
use crate::domain::keyset;
use crate::domain::page::{Page, PageRequest};
use crate::domain::report::{Report, ReportAction, ReportState};
use crate::domain::{GroupId, MessageId, Timestamp, UserId};
use crate::store::memory::pages::FilterSome;
use crate::store::{Recorded, ReportKey, Reports, StoreError, StoreResult};
use async_trait::async_trait;
use std::collections::{BTreeMap, HashMap};

#[derive(Default)]
pub(super) struct ReportTable {
    by_id: HashMap<ReportId, Report>,
    /// One report per reporter and message.
    by_reporter: HashMap<(UserId, MessageId), ReportId>,
    /// A group's reports by state, in list order.
    lists: HashMap<(GroupId, ReportState), BTreeMap<ReportKey, ReportId>>,
}

impl ReportTable {
    /// A deleted account leaves: its reports' notes go, and it is named
    /// as `ghost` wherever it reported or was reported.
    pub(super) fn forget(&mut self, user: &UserId, ghost: &UserId) {
        self.by_reporter.retain(|(reporter, _), _| reporter != user);
        for report in self.by_id.values_mut() {
            if &report.reporter_id == user {
                report.reporter_id = ghost.clone();
                report.note = None;
            }
            if &report.author_id == user {
                report.author_id = ghost.clone();
            }
        }
    }

    fn put(&mut self, report: Report) {
        if let Some(old) = self.by_id.get(&report.id) {
            if let Some(list) = self.lists.get_mut(&(old.group_id.clone(), old.state)) {
                list.remove(&old.list_key());
            }
        }
        self.lists
            .entry((report.group_id.clone(), report.state))
            .or_default()
            .insert(report.list_key(), report.id.clone());
        self.by_id.insert(report.id.clone(), report);
    }
}

#[async_trait]
impl Reports for MemoryStore {
    async fn create_report(&self, report: &Report) -> StoreResult<Recorded<Report>> {
        let mut state = self.state.lock();
        let key = (report.reporter_id.clone(), report.message_id.clone());
        if let Some(first) = state.reports.by_reporter.get(&key) {
            let first = state.reports.by_id.get(first).cloned();
            let first = first.ok_or(StoreError::NotFound("report"))?;
            return Ok(Recorded {
                value: first,
                events: Vec::new(),
            });
        }
        state.reports.by_reporter.insert(key, report.id.clone());
        state.reports.put(report.clone());
        let event = DomainEvent::report_created(report);
        Ok(state.record(report.clone(), vec![event]))
    }

    async fn reports(&self, ids: &[ReportId]) -> StoreResult<Vec<Report>> {
        let state = self.state.lock();
        Ok(ids
            .iter()
            .filter_map(|id| state.reports.by_id.get(id).cloned())
            .collect())
    }

    async fn group_reports(
        &self,
        group: &GroupId,
        wanted: ReportState,
        page: PageRequest<ReportKey>,
    ) -> StoreResult<Page<Report>> {
        let state = self.state.lock();
        let Some(list) = state.reports.lists.get(&(group.clone(), wanted)) else {
            return Ok(Page::empty());
        };
        let page = keyset::page(
            list,
            &page,
            |_, _| true,
            |_, id| state.reports.by_id.get(id).cloned(),
        );
        Ok(page.filter_some())
    }

    async fn resolve_report(
        &self,
        id: &ReportId,
        resolver: &UserId,
        action: ReportAction,
        now: Timestamp,
    ) -> StoreResult<Report> {
        let mut state = self.state.lock();
        let report = state
            .reports
            .by_id
            .get(id)
            .cloned()
            .ok_or(StoreError::NotFound("report"))?;
        let membership = state
            .memberships
            .get(&(report.group_id.clone(), resolver.clone()))
            .map(|m| m.at(now));
        let resolved = report
            .resolved(resolver, membership.as_ref(), action, now)
            .map_err(StoreError::rejected)?;
        state.reports.put(resolved.clone());
        if let Some(entry) = resolved.log_entry() {
            state.log.append(&entry);
        }
        Ok(resolved)
    }
}
