//! The storage port of reports.

use super::{Recorded, StoreResult};
use crate::domain::ids::ReportId;
use crate::domain::page::{Page, PageRequest};
use crate::domain::report::{Report, ReportAction, ReportState};
use crate::domain::{GroupId, Timestamp, UserId};
use async_trait::async_trait;

/// Key of a group's report lists: (created in µs, report id).
pub type ReportKey = (i64, String);

#[async_trait]
pub trait Reports: Send + Sync {
    /// Records `report` with its `REPORT_CREATED` event, unless its
    /// reporter already reported its message: then returns that first
    /// report and records nothing (decided under the message's lock, so
    /// concurrent repeats make one report).
    async fn create_report(&self, report: &Report) -> StoreResult<Recorded<Report>>;
    async fn reports(&self, ids: &[ReportId]) -> StoreResult<Vec<Report>>;
    /// A group's reports in `state`, oldest first.
    async fn group_reports(
        &self,
        group: &GroupId,
        state: ReportState,
        page: PageRequest<ReportKey>,
    ) -> StoreResult<Page<Report>>;
    /// Resolves a report by `Report::resolved`, checked on the report and
    /// the resolver's membership read under the report's lock, and appends
    /// `REPORT_RESOLVED` to the moderation log in the same transaction.
    async fn resolve_report(
        &self,
        id: &ReportId,
        resolver: &UserId,
        action: ReportAction,
        now: Timestamp,
    ) -> StoreResult<Report>;
}
