//! Reports on Neo4j: `Report` nodes, one per reporter and message
//! (`reporterKey`), created under the message's lock with their event, and
//! resolved under the report's lock with their log entry.

use super::queries as q;
use super::rows::{self, micros, name_of, time, MembershipRow};
use super::tx::{self, write_txn};
use super::Neo4jStore;
use crate::domain::event::DomainEvent;
use crate::domain::ids::ReportId;
use crate::domain::membership::Membership;
use crate::domain::page::{Page, PageRequest};
use crate::domain::report::{Report, ReportAction, ReportReason, ReportState};
use crate::domain::{GroupId, MessageId, Timestamp, UserId};
use crate::store::{Recorded, ReportKey, Reports, StoreError, StoreResult};
use async_trait::async_trait;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReportRow {
    id: ReportId,
    group_id: GroupId,
    message_id: MessageId,
    author_id: UserId,
    reporter_id: UserId,
    reason: ReportReason,
    note: Option<String>,
    state: ReportState,
    action: Option<ReportAction>,
    resolved_by: Option<UserId>,
    created_at: i64,
    resolved_at: Option<i64>,
}

impl TryFrom<ReportRow> for Report {
    type Error = StoreError;
    fn try_from(r: ReportRow) -> Result<Self, StoreError> {
        Ok(Report {
            id: r.id,
            group_id: r.group_id,
            message_id: r.message_id,
            author_id: r.author_id,
            reporter_id: r.reporter_id,
            reason: r.reason,
            note: r.note,
            state: r.state,
            action: r.action,
            resolved_by: r.resolved_by,
            created_at: time(r.created_at)?,
            resolved_at: r.resolved_at.map(time).transpose()?,
        })
    }
}

fn reporter_key(report: &Report) -> String {
    format!("{}\n{}", report.reporter_id, report.message_id)
}

#[async_trait]
impl Reports for Neo4jStore {
    async fn create_report(&self, report: &Report) -> StoreResult<Recorded<Report>> {
        write_txn!(self.graph, |txn| {
            let locked = q::MESSAGE_LOCK
                .query()
                .param("id", report.message_id.as_str());
            if tx::rows::<rows::Ignored>(txn, locked).await?.is_empty() {
                return Err(StoreError::NotFound("message").into());
            }
            let find = q::REPORT_BY_REPORTER
                .query()
                .param("reporterKey", reporter_key(report));
            if let Some(first) = tx::first::<ReportRow>(txn, find).await? {
                return Ok(Recorded {
                    value: first.try_into()?,
                    events: Vec::new(),
                });
            }
            let create = q::REPORT_CREATE
                .query()
                .param("id", report.id.as_str())
                .param("groupId", report.group_id.as_str())
                .param("messageId", report.message_id.as_str())
                .param("authorId", report.author_id.as_str())
                .param("reporterId", report.reporter_id.as_str())
                .param("reporterKey", reporter_key(report))
                .param("reason", name_of(&report.reason))
                .param("note", report.note.clone())
                .param("createdAt", micros(report.created_at));
            let created: Report = tx::first::<ReportRow>(txn, create)
                .await?
                .ok_or(StoreError::NotFound("report"))?
                .try_into()?;
            let events = vec![DomainEvent::report_created(&created)];
            super::outbox::record(txn, &events).await?;
            Ok(Recorded {
                value: created,
                events,
            })
        })
    }

    async fn reports(&self, ids: &[ReportId]) -> StoreResult<Vec<Report>> {
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        let statement = q::REPORTS_BY_IDS.query().param("ids", ids);
        rows::convert(tx::read::<ReportRow>(&self.graph, statement).await?)
    }

    async fn group_reports(
        &self,
        group: &GroupId,
        state: ReportState,
        page: PageRequest<ReportKey>,
    ) -> StoreResult<Page<Report>> {
        let state = name_of(&state);
        let fetch = |forward: bool, cursor: Option<&ReportKey>, limit: i64| {
            if forward {
                q::GROUP_REPORTS_FORWARD
            } else {
                q::GROUP_REPORTS_BACKWARD
            }
            .query()
            .param("groupId", group.as_str())
            .param("state", state.as_str())
            .param("createdAt", cursor.map(|k| k.0))
            .param("id", cursor.map(|k| k.1.clone()))
            .param("limit", limit)
        };
        let exists = |cursor: &ReportKey, up_to: bool| {
            q::GROUP_REPORTS_EXISTS
                .query()
                .param("groupId", group.as_str())
                .param("state", state.as_str())
                .param("createdAt", cursor.0)
                .param("id", cursor.1.as_str())
                .param("upTo", up_to)
        };
        self.page::<_, ReportRow, Report>(&page, fetch, exists)
            .await
    }

    async fn resolve_report(
        &self,
        id: &ReportId,
        resolver: &UserId,
        action: ReportAction,
        now: Timestamp,
    ) -> StoreResult<Report> {
        write_txn!(self.graph, |txn| {
            let locked = q::REPORT_LOCK.query().param("id", id.as_str());
            let report: Report = tx::first::<ReportRow>(txn, locked)
                .await?
                .ok_or(StoreError::NotFound("report"))?
                .try_into()?;
            let read = q::MEMBERSHIPS_OF_USERS
                .query()
                .param("groupId", report.group_id.as_str())
                .param("userIds", vec![resolver.to_string()]);
            let membership: Option<Membership> =
                rows::convert(tx::rows::<MembershipRow>(txn, read).await?)?
                    .pop()
                    .map(|m: Membership| m.at(now));
            let resolved = report
                .resolved(resolver, membership.as_ref(), action, now)
                .map_err(StoreError::rejected)?;
            let write = q::REPORT_RESOLVE
                .query()
                .param("id", id.as_str())
                .param("action", name_of(&action))
                .param("resolvedBy", resolver.as_str())
                .param("resolvedAt", micros(now));
            tx::rows::<rows::Ignored>(txn, write).await?;
            if let Some(entry) = resolved.log_entry() {
                super::moderation::log(txn, &entry).await?;
            }
            Ok(resolved)
        })
    }
}
