//! Reports: members flag messages to the group's owners and admins, who
//! list and resolve them.

use super::Service;
use crate::domain::ids::ReportId;
use crate::domain::membership::Action;
use crate::domain::page::{Page, PageRequest};
use crate::domain::report::{self, Report, ReportAction, ReportReason, ReportState};
use crate::domain::{DomainError, DomainResult, GroupId, MessageId, Timestamp, UserId};
use crate::store::ReportKey;

impl Service {
    /// Reports a message the viewer can read and did not write. A repeat
    /// returns the first report; at most `report::PER_HOUR` an hour.
    #[tracing::instrument(skip(self, note))]
    pub async fn report_message(
        &self,
        viewer: &UserId,
        message: &MessageId,
        reason: ReportReason,
        note: Option<&str>,
    ) -> DomainResult<Report> {
        let note = report::note(note)?;
        let message = self.load_message(message).await?;
        let (group, membership) = self.access(viewer, &message.group_id).await?;
        let now = Self::now();
        let membership = membership.map(|m| m.at(now));
        let report = Report::open(
            &message,
            group.visibility,
            viewer,
            membership.as_ref(),
            reason,
            note,
            now,
        )?;
        // Refused reports cost nothing of the budget.
        self.report_limiter.check(viewer).await?;
        let recorded = self.store.create_report(&report).await?;
        self.announce(recorded.events).await;
        Ok(recorded.value)
    }

    /// A group's reports in `state`, for its owner and admins.
    #[tracing::instrument(skip(self))]
    pub async fn reports(
        &self,
        viewer: &UserId,
        group: &GroupId,
        state: ReportState,
        page: PageRequest<ReportKey>,
    ) -> DomainResult<Page<Report>> {
        let (_, membership) = self.access(viewer, group).await?;
        report::may_handle(membership.as_ref())?;
        Ok(self.store.group_reports(group, state, page).await?)
    }

    /// A report, for its group's owner and admins (none for anyone else).
    pub async fn report(&self, viewer: &UserId, id: &ReportId) -> DomainResult<Option<Report>> {
        let Some(found) = self.store.reports(std::slice::from_ref(id)).await?.pop() else {
            return Ok(None);
        };
        let (_, membership) = self.access(viewer, &found.group_id).await?;
        Ok(report::may_handle(membership.as_ref())
            .is_ok()
            .then_some(found))
    }

    /// Resolves a report: takes its action (deletes the message, mutes or
    /// bans its author, each logged as itself, `note` as the reason), then
    /// marks it resolved with a `REPORT_RESOLVED` entry. `until` is for
    /// mutes and bans only.
    #[tracing::instrument(skip(self, note))]
    pub async fn resolve_report(
        &self,
        viewer: &UserId,
        id: &ReportId,
        action: ReportAction,
        until: Option<Timestamp>,
        note: Option<&str>,
    ) -> DomainResult<Report> {
        self.throttle(viewer).await?;
        let reason = report::note(note)?;
        if until.is_some() && !matches!(action, ReportAction::MuteAuthor | ReportAction::BanAuthor)
        {
            return Err(DomainError::invalid(
                "`until` is for MUTE_AUTHOR and BAN_AUTHOR",
            ));
        }
        let found = self
            .report(viewer, id)
            .await?
            .ok_or(DomainError::NotFound("report"))?;
        if found.state == ReportState::Resolved {
            return Err(DomainError::conflict("the report is already resolved"));
        }
        let (group, author) = (&found.group_id, &found.author_id);
        let taken = match action {
            ReportAction::Dismiss => Ok(()),
            ReportAction::DeleteMessage => self
                .delete_message(viewer, &found.message_id)
                .await
                .map(|_| ()),
            ReportAction::MuteAuthor => {
                let mute = Action::Mute { until, reason };
                self.change_membership(viewer, group, author, mute)
                    .await
                    .map(|_| ())
            }
            ReportAction::BanAuthor => {
                let ban = Action::Ban { until, reason };
                match self.change_membership(viewer, group, author, ban).await {
                    // Banned already (by another admin, or a retry).
                    Err(DomainError::Conflict(_)) => Ok(()),
                    other => other.map(|_| ()),
                }
            }
        };
        taken?;
        let now = Self::now();
        Ok(self.store.resolve_report(id, viewer, action, now).await?)
    }
}
