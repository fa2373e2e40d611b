use super::{load_related, GroupObject, MembershipConnection, MembershipObject, UserObject};
use super::{ReactionConnection, ReactionObject, ReactionSummaryObject, ThreadSummaryObject};
use crate::domain::cursor;
use crate::domain::message::Message;
use crate::domain::reaction::Reaction;
use crate::domain::Timestamp;
use crate::graphql::context::{loader, service, viewer};
use crate::graphql::errors::ApiResult;
use crate::graphql::loaders::ThreadOf;
use crate::graphql::pagination::{connection_type, Args};
use async_graphql::{Context, Object, ID};

pub struct MessageObject(pub Message);

connection_type!(MessageConnection, MessageEdge, MessageObject);

#[Object(name = "Message")]
impl MessageObject {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn group(&self, ctx: &Context<'_>) -> ApiResult<GroupObject> {
        load_related(ctx, self.0.group_id.clone(), "group")
            .await
            .map(GroupObject)
    }

    async fn author(&self, ctx: &Context<'_>) -> ApiResult<UserObject> {
        load_related(ctx, self.0.author_id.clone(), "user")
            .await
            .map(UserObject)
    }

    /// Null once deleted.
    async fn body(&self) -> Option<&str> {
        self.0.body.as_deref()
    }

    /// The members the body names as `@<userId>`, in order (none once
    /// deleted).
    async fn mentions(&self, ctx: &Context<'_>) -> ApiResult<Vec<UserObject>> {
        super::users_in_order(ctx, &self.0.mentions).await
    }

    async fn parent(&self, ctx: &Context<'_>) -> ApiResult<Option<MessageObject>> {
        match &self.0.parent_id {
            None => Ok(None),
            Some(id) => Ok(loader(ctx)?.load_one(id.clone()).await?.map(MessageObject)),
        }
    }

    /// The nearest `last` ancestors (1..=100), root-most first, parent
    /// last; empty for top-level messages. The whole chain when `last` is
    /// at least `depth`.
    #[graphql(complexity = "super::list_cost(last, child_complexity)")]
    async fn ancestors(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20)] last: i32,
    ) -> ApiResult<Vec<MessageObject>> {
        let last = usize::try_from(last).unwrap_or(0);
        let chain = service(ctx)?.ancestors(viewer(ctx)?, &self.0, last).await?;
        Ok(chain.into_iter().map(MessageObject).collect())
    }

    /// The top-level message of its thread; null for top-level messages.
    async fn root(&self, ctx: &Context<'_>) -> ApiResult<Option<MessageObject>> {
        if self.0.parent_id.is_none() {
            return Ok(None);
        }
        load_related(ctx, self.0.root_id.clone(), "message")
            .await
            .map(|m| Some(MessageObject(m)))
    }

    /// The summary of the tree under a top-level message; null on replies.
    async fn thread(&self, ctx: &Context<'_>) -> ApiResult<Option<ThreadSummaryObject>> {
        if self.0.parent_id.is_some() {
            return Ok(None);
        }
        let key = ThreadOf(self.0.id.clone());
        Ok(loader(ctx)?.load_one(key).await?.map(ThreadSummaryObject))
    }

    /// 0 for top-level messages.
    async fn depth(&self) -> i32 {
        i32::try_from(self.0.depth).unwrap_or(i32::MAX)
    }

    async fn reply_count(&self) -> i64 {
        i64::try_from(self.0.reply_count).unwrap_or(i64::MAX)
    }

    /// Position among its parent's children (1, 2, ...).
    async fn seq(&self) -> i64 {
        i64::try_from(self.0.seq).unwrap_or(i64::MAX)
    }

    async fn client_message_id(&self) -> Option<&str> {
        self.0.client_message_id.as_deref()
    }

    async fn created_at(&self) -> Timestamp {
        self.0.created_at
    }

    async fn edited_at(&self) -> Option<Timestamp> {
        self.0.edited_at
    }

    async fn deleted_at(&self) -> Option<Timestamp> {
        self.0.deleted_at
    }

    /// When it was pinned; null when it is not (a deleted message is
    /// unpinned).
    async fn pinned_at(&self) -> Option<Timestamp> {
        self.0.pinned_at
    }

    async fn pinned_by(&self, ctx: &Context<'_>) -> ApiResult<Option<UserObject>> {
        match &self.0.pinned_by {
            None => Ok(None),
            Some(id) => load_related(ctx, id.clone(), "user")
                .await
                .map(|u| Some(UserObject(u))),
        }
    }

    /// Its files, in the order posted; empty once deleted.
    async fn attachments(&self) -> Vec<super::AttachmentObject> {
        let files = self.0.attachments.iter().cloned();
        files.map(super::AttachmentObject).collect()
    }

    /// One summary per key, in order of first use; empty once deleted.
    /// Counts are kept on write, so this reads nothing more.
    async fn reactions(&self) -> Vec<ReactionSummaryObject> {
        let counts = self.0.visible_reactions().iter().cloned();
        counts
            .map(|count| ReactionSummaryObject {
                count,
                message: self.0.id.clone(),
            })
            .collect()
    }

    /// Who reacted with `key`, oldest first; empty once deleted.
    #[graphql(complexity = "super::page_cost(first, last, child_complexity)")]
    async fn reactors(
        &self,
        ctx: &Context<'_>,
        key: String,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<ReactionConnection> {
        let (service, viewer) = (service(ctx)?, viewer(ctx)?);
        let scope = format!("{}\n{key}", self.0.id);
        Args::new(first, after, last, before)
            .page(
                cursor::REACTORS,
                &scope,
                |request| service.reactors(viewer, &self.0, &key, request),
                Reaction::page_key,
                ReactionObject,
            )
            .await
    }

    /// The members whose read marker is at or past this message (its
    /// author left out), those who read least far first. Forward only.
    #[graphql(complexity = "super::page_cost(first, None, child_complexity)")]
    async fn seen_by(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<MembershipConnection> {
        let (service, viewer) = (service(ctx)?, viewer(ctx)?);
        Args::forward(first, after)
            .page(
                cursor::SEEN_BY,
                self.0.id.as_str(),
                |request| service.seen_by(viewer, &self.0, request),
                |(key, _)| key.clone(),
                |(_, membership)| MembershipObject(membership),
            )
            .await
    }

    /// Direct replies, oldest first.
    #[graphql(complexity = "super::page_cost(first, last, child_complexity)")]
    async fn replies(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<MessageConnection> {
        let (service, viewer) = (service(ctx)?, viewer(ctx)?);
        Args::new(first, after, last, before)
            .page(
                cursor::MESSAGES,
                self.0.id.as_str(),
                |request| service.replies(viewer, &self.0, request),
                |m| m.seq,
                MessageObject,
            )
            .await
    }
}
