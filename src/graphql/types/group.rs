use super::{BotObject, IncomingWebhookObject, MembershipObject, MessageObject, VisibilityGql};
use super::{MembershipConnection, MessageConnection};
use crate::domain::cursor;
use crate::domain::group::Group;
use crate::domain::membership::Membership;
use crate::domain::reading::ReadState;
use crate::graphql::context::{loader, service, viewer};
use crate::graphql::errors::ApiResult;
use crate::graphql::loaders::ReadKey;
use crate::graphql::pagination::{connection_type, Args};
use async_graphql::{Context, Object, ID};

pub struct GroupObject(pub Group);

connection_type!(GroupConnection, GroupEdge, GroupObject);

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl GroupObject {
    /// The viewer's read state here (nothing unread if not a member).
    async fn viewer_read(&self, ctx: &Context<'_>) -> ApiResult<ReadState> {
        let key = ReadKey(self.0.id.clone(), viewer(ctx)?.clone());
        let membership = (self.0.id.clone(), viewer(ctx)?.clone());
        let (state, membership) = futures_util::try_join!(
            loader(ctx)?.load_one(key),
            loader(ctx)?.load_one(membership)
        )?;
        Ok(match membership {
            Some(m) if m.is_member() => state.unwrap_or_default(),
            _ => ReadState::default(),
        })
    }
}

/// The most entries the integration lists hold, as their cost counts them.
const WEBHOOKS_LISTED: i32 = crate::domain::bot::MAX_PER_GROUP as i32;
const BOTS_LISTED: i32 = 3 * WEBHOOKS_LISTED;

#[Object(name = "Group")]
impl GroupObject {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    async fn visibility(&self) -> VisibilityGql {
        self.0.visibility.into()
    }

    async fn created_at(&self) -> crate::domain::Timestamp {
        self.0.created_at
    }

    async fn member_count(&self) -> i64 {
        i64::try_from(self.0.member_count).unwrap_or(i64::MAX)
    }

    /// Messages (top-level and replies) after the viewer's read marker not
    /// written by the viewer; 0 for non-members. O(1) per group.
    async fn unread_count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        Ok(count(self.viewer_read(ctx).await?.unread))
    }

    /// Of the unread messages, those that mention the viewer.
    async fn unread_mention_count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        Ok(count(self.viewer_read(ctx).await?.mentions))
    }

    /// The viewer's own membership; null when the viewer never applied.
    /// Slow mode: a plain member posts or replies at most once this many
    /// seconds (0: off).
    async fn slow_mode_seconds(&self) -> i32 {
        i32::try_from(self.0.slow_mode_seconds).unwrap_or(i32::MAX)
    }

    /// When slow mode lets the viewer post again; null: now.
    async fn viewer_next_post_at(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Option<crate::domain::Timestamp>> {
        let key = (self.0.id.clone(), viewer(ctx)?.clone());
        let Some(own) = loader(ctx)?.load_one(key).await? else {
            return Ok(None);
        };
        let next = crate::domain::moderation::next_post_at(self.0.slow_mode_seconds, &own);
        Ok(next.filter(|t| *t > crate::domain::now()))
    }

    async fn viewer_membership(&self, ctx: &Context<'_>) -> ApiResult<Option<MembershipObject>> {
        let key = (self.0.id.clone(), viewer(ctx)?.clone());
        Ok(loader(ctx)?.load_one(key).await?.map(MembershipObject))
    }

    /// Top-level messages, oldest first. Members only (any signed-in user
    /// for PUBLIC groups).
    #[graphql(complexity = "super::page_cost(first, last, child_complexity)")]
    async fn messages(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<MessageConnection> {
        let (service, viewer) = (service(ctx)?, viewer(ctx)?);
        let group = &self.0.id;
        Args::new(first, after, last, before)
            .page(
                cursor::MESSAGES,
                group.as_str(),
                |request| service.group_messages(viewer, group, request),
                |m| m.seq,
                MessageObject,
            )
            .await
    }

    /// Pinned messages, in pin order (at most 50). Members only.
    #[graphql(complexity = "super::page_cost(first, last, child_complexity)")]
    async fn pinned_messages(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<MessageConnection> {
        let (service, viewer) = (service(ctx)?, viewer(ctx)?);
        let group = &self.0.id;
        Args::new(first, after, last, before)
            .page(
                cursor::PINS,
                group.as_str(),
                |request| service.pinned_messages(viewer, group, request),
                crate::domain::pin::pin_key,
                MessageObject,
            )
            .await
    }

    /// Members, longest-standing first.
    #[graphql(complexity = "super::page_cost(first, last, child_complexity)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<MembershipConnection> {
        let (service, viewer) = (service(ctx)?, viewer(ctx)?);
        let group = &self.0.id;
        Args::new(first, after, last, before)
            .page(
                cursor::MEMBERS,
                group.as_str(),
                |request| service.members(viewer, group, request),
                Membership::list_key,
                MembershipObject,
            )
            .await
    }

    /// The group's bots, oldest first: the live ones (at most 20 bots and
    /// 20 incoming webhooks' bots) and the 20 revoked most recently. Owner
    /// and admins only.
    #[graphql(complexity = "super::list_cost(BOTS_LISTED, child_complexity)")]
    async fn bots(&self, ctx: &Context<'_>) -> ApiResult<Vec<BotObject>> {
        let bots = service(ctx)?.group_bots(viewer(ctx)?, &self.0.id).await?;
        Ok(bots.into_iter().map(BotObject).collect())
    }

    /// The group's outgoing webhooks (at most 20). Owner and admins only.
    #[graphql(complexity = "super::list_cost(WEBHOOKS_LISTED, child_complexity)")]
    async fn webhooks(&self, ctx: &Context<'_>) -> ApiResult<Vec<super::WebhookObject>> {
        let hooks = service(ctx)?
            .group_webhooks(viewer(ctx)?, &self.0.id)
            .await?;
        Ok(hooks.into_iter().map(super::WebhookObject).collect())
    }

    /// The group's live incoming webhooks (at most 20). Owner and admins
    /// only.
    #[graphql(complexity = "super::list_cost(WEBHOOKS_LISTED, child_complexity)")]
    async fn incoming_webhooks(&self, ctx: &Context<'_>) -> ApiResult<Vec<IncomingWebhookObject>> {
        let hooks = service(ctx)?
            .group_incoming_webhooks(viewer(ctx)?, &self.0.id)
            .await?;
        Ok(hooks.into_iter().map(IncomingWebhookObject).collect())
    }

    /// Pending applications, oldest first. Owner and admins only.
    #[graphql(complexity = "super::page_cost(first, last, child_complexity)")]
    async fn applications(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<MembershipConnection> {
        let (service, viewer) = (service(ctx)?, viewer(ctx)?);
        let group = &self.0.id;
        Args::new(first, after, last, before)
            .page(
                cursor::APPLICATIONS,
                group.as_str(),
                |request| service.applications(viewer, group, request),
                Membership::list_key,
                MembershipObject,
            )
            .await
    }

    /// The group's moderation log, oldest first. Owner and admins only.
    #[graphql(complexity = "super::page_cost(first, last, child_complexity)")]
    async fn moderation_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<super::ModerationEntryConnection> {
        let (service, viewer) = (service(ctx)?, viewer(ctx)?);
        let group = &self.0.id;
        Args::new(first, after, last, before)
            .page(
                cursor::MODERATION_LOG,
                group.as_str(),
                |request| service.moderation_log(viewer, group, request),
                crate::domain::moderation::ModerationEntry::list_key,
                super::ModerationEntryObject,
            )
            .await
    }

    /// Members' reports of the group's messages, oldest first (OPEN by
    /// default). Owner and admins only.
    #[graphql(complexity = "super::page_cost(first, last, child_complexity)")]
    async fn reports(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Some(super::ReportStateGql::Open)")] state: Option<
            super::ReportStateGql,
        >,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<super::ReportConnection> {
        let (service, viewer) = (service(ctx)?, viewer(ctx)?);
        let group = &self.0.id;
        let state: crate::domain::report::ReportState =
            state.unwrap_or(super::ReportStateGql::Open).into();
        let scope = format!("{group}:{state:?}");
        Args::new(first, after, last, before)
            .page(
                cursor::REPORTS,
                &scope,
                |request| service.reports(viewer, group, state, request),
                crate::domain::report::Report::list_key,
                super::ReportObject,
            )
            .await
    }
}
