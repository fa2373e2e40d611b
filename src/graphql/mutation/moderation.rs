use crate::domain::ids::ReportId;
use crate::domain::Timestamp;
use crate::graphql::context::{service, viewer};
use crate::graphql::errors::ApiResult;
use crate::graphql::types::{ReportActionGql, ReportObject, ReportReasonGql};
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct ModerationMutation;

#[Object]
impl ModerationMutation {
    /// Reports a message to its group's owners and admins (never to the
    /// members). A repeat returns the first report; your own message is
    /// BAD_USER_INPUT; at most 10 an hour; `note` at most 500 characters.
    async fn report_message(
        &self,
        ctx: &Context<'_>,
        message_id: ID,
        reason: ReportReasonGql,
        #[graphql(secret)] note: Option<String>,
    ) -> ApiResult<ReportObject> {
        let viewer = viewer(ctx)?;
        let id = super::message_id(&message_id)?;
        let report = service(ctx)?
            .report_message(viewer, &id, reason.into(), note.as_deref())
            .await?;
        Ok(ReportObject(report))
    }

    /// Resolves an open report (owners and admins): DISMISS, DELETE_MESSAGE,
    /// MUTE_AUTHOR or BAN_AUTHOR (`until` for these two; `note` is the
    /// reason the moderation log keeps).
    async fn resolve_report(
        &self,
        ctx: &Context<'_>,
        id: ID,
        action: ReportActionGql,
        until: Option<Timestamp>,
        #[graphql(secret)] note: Option<String>,
    ) -> ApiResult<ReportObject> {
        let viewer = viewer(ctx)?;
        let id = ReportId::parse(&id)?;
        let report = service(ctx)?
            .resolve_report(viewer, &id, action.into(), until, note.as_deref())
            .await?;
        Ok(ReportObject(report))
    }
}
