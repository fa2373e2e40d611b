use super::{load_related, MessageObject, UserObject};
use crate::domain::report::Report;
use crate::domain::Timestamp;
use crate::graphql::context::loader;
use crate::graphql::errors::ApiResult;
use crate::graphql::pagination::connection_type;
use async_graphql::{Context, Enum, Object, ID};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "ReportReason", remote = "crate::domain::report::ReportReason")]
pub enum ReportReasonGql {
    Spam,
    Harassment,
    Inappropriate,
    Other,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "ReportState", remote = "crate::domain::report::ReportState")]
pub enum ReportStateGql {
    Open,
    Resolved,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "ReportAction", remote = "crate::domain::report::ReportAction")]
pub enum ReportActionGql {
    Dismiss,
    DeleteMessage,
    MuteAuthor,
    BanAuthor,
}

pub struct ReportObject(pub Report);

connection_type!(ReportConnection, ReportEdge, ReportObject);

/// A member's report of a message, for the group's owners and admins.
#[Object(name = "Report")]
impl ReportObject {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The reported message (a tombstone once deleted).
    async fn message(&self, ctx: &Context<'_>) -> ApiResult<MessageObject> {
        load_related(ctx, self.0.message_id.clone(), "message")
            .await
            .map(MessageObject)
    }

    async fn reporter(&self, ctx: &Context<'_>) -> ApiResult<UserObject> {
        load_related(ctx, self.0.reporter_id.clone(), "user")
            .await
            .map(UserObject)
    }

    async fn reason(&self) -> ReportReasonGql {
        self.0.reason.into()
    }

    /// The reporter's words, if any.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    async fn state(&self) -> ReportStateGql {
        self.0.state.into()
    }

    /// How it was resolved.
    async fn action(&self) -> Option<ReportActionGql> {
        self.0.action.map(Into::into)
    }

    async fn resolved_by(&self, ctx: &Context<'_>) -> ApiResult<Option<UserObject>> {
        let Some(user) = &self.0.resolved_by else {
            return Ok(None);
        };
        Ok(loader(ctx)?.load_one(user.clone()).await?.map(UserObject))
    }

    async fn created_at(&self) -> Timestamp {
        self.0.created_at
    }

    async fn resolved_at(&self) -> Option<Timestamp> {
        self.0.resolved_at
    }
}
