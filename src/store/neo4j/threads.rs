//! Thread summaries on Neo4j: kept on the root by the reply's statement
//! (`message_send_reply`), one `Participation` node per (user, thread).

use super::queries as q;
use super::rows::{self, count, time};
use super::tx;
use super::Neo4jStore;
use crate::domain::page::{Page, PageRequest};
use crate::domain::thread::{participation_id, Thread, ThreadKey};
use crate::domain::{GroupId, MessageId, UserId};
use crate::store::{StoreError, StoreResult, Threads};
use async_trait::async_trait;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ThreadRow {
    root_id: MessageId,
    group_id: GroupId,
    reply_count: i64,
    participant_count: i64,
    recent: Vec<UserId>,
    last_reply_id: Option<MessageId>,
    last_reply_at: Option<i64>,
    last_reply_pos: Option<i64>,
    last_reply_author: Option<UserId>,
    other_reply_pos: Option<i64>,
    activity_at: i64,
}

impl TryFrom<ThreadRow> for Thread {
    type Error = StoreError;
    fn try_from(r: ThreadRow) -> Result<Self, StoreError> {
        Ok(Thread {
            root_id: r.root_id,
            group_id: r.group_id,
            reply_count: count(r.reply_count),
            participant_count: count(r.participant_count),
            recent: r.recent,
            last_reply_id: r.last_reply_id,
            last_reply_at: r.last_reply_at.map(time).transpose()?,
            last_reply_pos: r.last_reply_pos.map(count),
            last_reply_author: r.last_reply_author,
            other_reply_pos: r.other_reply_pos.map(count),
            activity_at: time(r.activity_at)?,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RootRow {
    root_id: MessageId,
}

/// A row of a `myThreads` page: the thread's root and its activity.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Listed {
    root_id: MessageId,
    activity_at: i64,
}

impl TryFrom<Listed> for ThreadKey {
    type Error = StoreError;
    fn try_from(r: Listed) -> Result<Self, StoreError> {
        Ok((r.activity_at, r.root_id))
    }
}

#[async_trait]
impl Threads for Neo4jStore {
    async fn threads(&self, roots: &[MessageId]) -> StoreResult<Vec<Thread>> {
        if roots.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = roots.iter().map(ToString::to_string).collect();
        let read = q::THREADS_BY_IDS.query().param("ids", ids);
        rows::convert(tx::read::<ThreadRow>(&self.graph, read).await?)
    }

    async fn participated(
        &self,
        user: &UserId,
        roots: &[MessageId],
    ) -> StoreResult<Vec<MessageId>> {
        if roots.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = roots.iter().map(|r| participation_id(user, r)).collect();
        let read = q::PARTICIPATIONS_BY_IDS.query().param("ids", ids);
        let found = tx::read::<RootRow>(&self.graph, read).await?;
        Ok(found.into_iter().map(|r| r.root_id).collect())
    }

    async fn my_threads(
        &self,
        user: &UserId,
        group: Option<&GroupId>,
        page: PageRequest<ThreadKey>,
    ) -> StoreResult<Page<Thread>> {
        let group = group.map(ToString::to_string);
        let fetch = |forward: bool, cursor: Option<&ThreadKey>, limit: i64| {
            if forward {
                q::MY_THREADS_FORWARD
            } else {
                q::MY_THREADS_BACKWARD
            }
            .query()
            .param("userId", user.as_str())
            .param("groupId", group.clone())
            .param("activityAt", cursor.map(|k| k.0))
            .param("rootId", cursor.map(|k| k.1.to_string()))
            .param("limit", limit)
        };
        let exists = |cursor: &ThreadKey, up_to: bool| {
            q::MY_THREADS_EXISTS
                .query()
                .param("userId", user.as_str())
                .param("groupId", group.clone())
                .param("activityAt", cursor.0)
                .param("rootId", cursor.1.as_str())
                .param("upTo", up_to)
        };
        let keys = self
            .page::<_, Listed, ThreadKey>(&page, fetch, exists)
            .await?;
        let roots: Vec<MessageId> = keys.items.iter().map(|k| k.1.clone()).collect();
        let threads = self.threads(&roots).await?;
        let items = roots
            .iter()
            .filter_map(|id| threads.iter().find(|t| &t.root_id == id).cloned())
            .collect();
        Ok(Page {
            items,
            has_previous: keys.has_previous,
            has_next: keys.has_next,
        })
    }
}
