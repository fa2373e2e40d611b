use super::context::{service, viewer};
use super::errors::ApiError;
use super::errors::ApiResult;
use super::node::Node;
use super::pagination::Args;
use super::pagination::PageInfo;
use super::types::{
    DeviceObject, GroupObject, MembershipObject, MessageObject, PushSubscriptionObject,
    UnreadSummaryObject, UserObject,
};
use super::types::{GroupConnection, MessageConnection};
use super::types::{MessageSearchConnectionObject, MessageSearchEdgeObject};
use crate::domain::page::Page;
use crate::domain::Timestamp;
use crate::domain::UserId;
use crate::domain::{cursor, GroupId, MessageId};
use crate::service::SearchRequest;
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct Query;

#[Object]
impl Query {
    /// The signed-in user.
    async fn me(&self, ctx: &Context<'_>) -> ApiResult<UserObject> {
        Ok(UserObject(service(ctx)?.user(viewer(ctx)?).await?))
    }

    /// Unread messages and mentions over the viewer's groups (the badge).
    async fn unread_summary(&self, ctx: &Context<'_>) -> ApiResult<UnreadSummaryObject> {
        let summary = service(ctx)?.unread_summary(viewer(ctx)?).await?;
        Ok(summary.into())
    }

    /// The top-level messages the viewer wrote or replied under (at any
    /// depth), in one group or all they can read, ordered by last activity
    /// (the last reply's time, or the message's own when it has none),
    /// oldest first: `last: 20` is the 20 most active.
    #[graphql(complexity = "super::types::page_cost(first, last, child_complexity)")]
    async fn my_threads(
        &self,
        ctx: &Context<'_>,
        group_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<MessageConnection> {
        let (service, viewer) = (service(ctx)?, viewer(ctx)?);
        let group = group_id.map(|id| GroupId::parse(&id)).transpose()?;
        let scope = group.as_ref().map_or("", GroupId::as_str).to_owned();
        Args::new(first, after, last, before)
            .page(
                cursor::THREADS,
                &scope,
                |request| service.my_threads(viewer, group.as_ref(), request),
                |(key, _)| key.clone(),
                |(_, message)| MessageObject(message),
            )
            .await
    }

    /// A group's public face; its content is for members.
    async fn group(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<GroupObject>> {
        let viewer = viewer(ctx)?;
        let Ok(id) = GroupId::parse(&id) else {
            return Ok(None);
        };
        Ok(service(ctx)?.group(viewer, &id).await?.map(GroupObject))
    }

    /// Groups the viewer is a member of, in the order they joined.
    #[graphql(complexity = "super::types::page_cost(first, last, child_complexity)")]
    async fn my_groups(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<GroupConnection> {
        let (service, viewer) = (service(ctx)?, viewer(ctx)?);
        let loader = super::context::loader(ctx)?;
        // Each membership with its group, read in one batch.
        let fetch = |request| async move {
            let page = service.my_groups(viewer, request).await?;
            let groups = loader
                .load_many(page.items.iter().map(|m| m.group_id.clone()))
                .await?;
            Ok::<_, ApiError>(Page {
                items: page
                    .items
                    .into_iter()
                    .filter_map(|m| groups.get(&m.group_id).cloned().map(|g| (m, g)))
                    .collect(),
                has_previous: page.has_previous,
                has_next: page.has_next,
            })
        };
        Args::new(first, after, last, before)
            .page(
                cursor::MY_GROUPS,
                viewer.as_str(),
                fetch,
                |(m, _)| (m.since.timestamp_micros(), m.group_id.clone()),
                |(_, g)| GroupObject(g),
            )
            .await
    }

    /// Finds messages of the viewer's groups (or of `groupId`): words,
    /// `"exact phrases"`, `-excluded` words, `prefix*`; best first, then
    /// newest; at most 500 hits.
    #[graphql(complexity = "super::types::list_cost(50, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn search_messages(
        &self,
        ctx: &Context<'_>,
        #[graphql(secret)] query: String,
        group_id: Option<ID>,
        author_id: Option<ID>,
        since: Option<Timestamp>,
        until: Option<Timestamp>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<MessageSearchConnectionObject> {
        let (service, viewer) = (service(ctx)?, viewer(ctx)?);
        let (scope, offset) = search_cursor(
            cursor::MESSAGE_SEARCH,
            &format!("{query}\n{group_id:?}\n{author_id:?}\n{since:?}\n{until:?}"),
            after.as_deref(),
        )?;
        let request = SearchRequest {
            query,
            group: group_id.as_ref().map(|id| GroupId::parse(id)).transpose()?,
            author: author_id.as_ref().map(|id| UserId::parse(id)).transpose()?,
            since,
            until,
            offset,
            first: search_first(first),
        };
        let page = service.search_messages(viewer, request).await?;
        let edges: Vec<MessageSearchEdgeObject> = page
            .hits
            .into_iter()
            .map(|hit| MessageSearchEdgeObject {
                cursor: cursor::encode(cursor::MESSAGE_SEARCH, &scope, &hit.offset),
                node: MessageObject(hit.message),
                snippet: hit.snippet.text,
                highlights: hit.snippet.highlights.into_iter().map(Into::into).collect(),
            })
            .collect();
        let page_info = PageInfo::of(
            edges.iter().map(|e| &e.cursor),
            page.has_next,
            page.has_previous,
        );
        Ok(MessageSearchConnectionObject { edges, page_info })
    }

    /// Finds groups to apply to by the words of their name and description,
    /// in the language of `searchMessages`; best first, then by name; at
    /// most 500 hits.
    #[graphql(complexity = "super::types::list_cost(50, child_complexity)")]
    async fn search_groups(
        &self,
        ctx: &Context<'_>,
        #[graphql(secret)] query: String,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<GroupConnection> {
        let (service, viewer) = (service(ctx)?, viewer(ctx)?);
        let (scope, offset) = search_cursor(cursor::SEARCH, &query, after.as_deref())?;
        let page = service
            .search_groups(viewer, &query, offset, search_first(first))
            .await?;
        let edges: Vec<(String, GroupObject)> = page
            .hits
            .into_iter()
            .map(|hit| {
                let cursor = cursor::encode(cursor::SEARCH, &scope, &hit.offset);
                (cursor, GroupObject(hit.group))
            })
            .collect();
        let page_info = PageInfo::of(
            edges.iter().map(|(c, _)| c),
            page.has_next,
            page.has_previous,
        );
        Ok(GroupConnection::from((edges, page_info)))
    }

    /// A message, for those who may read its group (FORBIDDEN otherwise).
    async fn message(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<MessageObject>> {
        let viewer = viewer(ctx)?;
        let Ok(id) = MessageId::parse(&id) else {
            return Ok(None);
        };
        Ok(service(ctx)?.message(viewer, &id).await?.map(MessageObject))
    }

    /// One of the viewer's data exports (`requestDataExport`); null for an
    /// unknown id or someone else's.
    async fn data_export(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> ApiResult<Option<super::types::DataExportObject>> {
        let viewer = viewer(ctx)?;
        let Ok(id) = crate::domain::ids::ExportId::parse(&id) else {
            return Ok(None);
        };
        let found = service(ctx)?.data_export(viewer, &id).await?;
        Ok(found.map(super::types::DataExportObject))
    }

    /// The viewer's Web Push subscriptions (at most 20).
    #[graphql(complexity = "super::types::list_cost(20, child_complexity)")]
    async fn my_push_subscriptions(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Vec<PushSubscriptionObject>> {
        let mut subs = service(ctx)?.push_subscriptions(viewer(ctx)?).await?;
        subs.retain(|s| s.device.is_none());
        Ok(subs.into_iter().map(PushSubscriptionObject).collect())
    }

    /// The viewer's native devices (`registerDevice`).
    #[graphql(complexity = "super::types::list_cost(20, child_complexity)")]
    async fn my_devices(&self, ctx: &Context<'_>) -> ApiResult<Vec<DeviceObject>> {
        let devices = service(ctx)?.devices(viewer(ctx)?).await?;
        Ok(devices.into_iter().filter_map(DeviceObject::of).collect())
    }

    /// The object with this id (Relay's `Node`); null when absent or not
    /// visible to the viewer.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Node>> {
        super::node::node(ctx, &id).await
    }

    /// `node` for each id, in order (at most 100).
    #[graphql(complexity = "super::types::list_cost(ids.len() as i32, child_complexity)")]
    async fn nodes(&self, ctx: &Context<'_>, ids: Vec<ID>) -> ApiResult<Vec<Option<Node>>> {
        super::node::nodes(ctx, &ids).await
    }

    /// The viewer's membership of one group (null if none).
    async fn membership(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
    ) -> ApiResult<Option<MembershipObject>> {
        let viewer = viewer(ctx)?;
        let Ok(id) = GroupId::parse(&group_id) else {
            return Ok(None);
        };
        Ok(service(ctx)?
            .membership_of(&id, viewer)
            .await?
            .map(MembershipObject))
    }
}

/// A search's cursor scope and the offset its `after` starts from. A
/// cursor belongs to its query and filters (`key`): a digest of them, so a
/// cursor carries none of the searched text and stays short whatever the
/// query's script.
fn search_cursor(kind: &str, key: &str, after: Option<&str>) -> ApiResult<(String, usize)> {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(key.as_bytes());
    let scope: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    let offset = match after {
        Some(c) => cursor::decode::<usize>(c, kind, &scope)? + 1,
        None => 0,
    };
    Ok((scope, offset))
}

/// A search page's size: `first`, or the default.
fn search_first(first: Option<i32>) -> usize {
    match first {
        Some(n) => usize::try_from(n).unwrap_or(0),
        None => crate::domain::search::DEFAULT_PAGE,
    }
}
