//! The moderation log on Neo4j: `ModerationEntry` nodes, written by the
//! transaction of the action each records, read by group.

use super::queries as q;
use super::rows::{micros, name_of, time};
use super::tx::{self, TxError};
use super::Neo4jStore;
use crate::domain::ids::ModerationEntryId;
use crate::domain::moderation::{ModerationAction, ModerationEntry};
use crate::domain::page::{Page, PageRequest};
use crate::domain::{GroupId, MessageId, UserId};
use crate::store::{LogKey, Moderation, StoreError, StoreResult};
use async_trait::async_trait;
use neo4rs::Txn;
use serde::Deserialize;

/// Appends `entry` inside the caller's transaction.
pub(super) async fn log(txn: &mut Txn, entry: &ModerationEntry) -> Result<(), TxError> {
    let statement = q::MODERATION_LOG_PUT
        .query()
        .param("id", entry.id.as_str())
        .param("groupId", entry.group_id.as_str())
        .param("actorId", entry.actor_id.as_str())
        .param("action", name_of(&entry.action))
        .param(
            "targetUserId",
            entry.target_user.as_ref().map(ToString::to_string),
        )
        .param(
            "targetMessageId",
            entry.target_message.as_ref().map(ToString::to_string),
        )
        .param("reason", entry.reason.clone())
        .param("until", entry.until.map(micros))
        .param("at", micros(entry.at));
    tx::rows::<super::rows::Ignored>(txn, statement).await?;
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct EntryRow {
    id: ModerationEntryId,
    group_id: GroupId,
    actor_id: UserId,
    action: ModerationAction,
    target_user_id: Option<UserId>,
    target_message_id: Option<MessageId>,
    reason: Option<String>,
    until: Option<i64>,
    at: i64,
}

impl TryFrom<EntryRow> for ModerationEntry {
    type Error = StoreError;
    fn try_from(r: EntryRow) -> Result<Self, StoreError> {
        Ok(ModerationEntry {
            id: r.id,
            group_id: r.group_id,
            actor_id: r.actor_id,
            action: r.action,
            target_user: r.target_user_id,
            target_message: r.target_message_id,
            reason: r.reason,
            until: r.until.map(time).transpose()?,
            at: time(r.at)?,
        })
    }
}

#[async_trait]
impl Moderation for Neo4jStore {
    async fn moderation_log(
        &self,
        group: &GroupId,
        page: PageRequest<LogKey>,
    ) -> StoreResult<Page<ModerationEntry>> {
        let fetch = |forward: bool, cursor: Option<&LogKey>, limit: i64| {
            if forward {
                q::MODERATION_LOG_FORWARD
            } else {
                q::MODERATION_LOG_BACKWARD
            }
            .query()
            .param("groupId", group.as_str())
            .param("at", cursor.map(|k| k.0))
            .param("id", cursor.map(|k| k.1.clone()))
            .param("limit", limit)
        };
        let exists = |cursor: &LogKey, up_to: bool| {
            q::MODERATION_LOG_EXISTS
                .query()
                .param("groupId", group.as_str())
                .param("at", cursor.0)
                .param("id", cursor.1.as_str())
                .param("upTo", up_to)
        };
        self.page::<_, EntryRow, ModerationEntry>(&page, fetch, exists)
            .await
    }
}
