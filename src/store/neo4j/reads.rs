//! Read markers, levels and unread counts on Neo4j: the group's counter
//! against each member's marker, kept on the `MEMBERSHIP` relationship
//! (`readPos`, `ownUnread`, `mentionUnread`, `lastReadAt`, `level`), each
//! read O(1) per group in Cypher.

use super::queries as q;
use super::rows::MembershipRow;
use super::rows::{name_of, time};
use super::tx::{self, write_txn};
use super::Neo4jStore;
use crate::domain::ids::BOT_USER_PREFIX;
use crate::domain::membership::Membership;
use crate::domain::page::{Page, PageRequest};
use crate::domain::reading::{NotificationLevel, ReadState, SeenKey, UnreadSummary};
use crate::domain::{DomainError, GroupId, MessageId, UserId};
use crate::store::{Reads, StoreError, StoreResult};
use async_trait::async_trait;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReadRow {
    level: NotificationLevel,
    last_read_at: Option<i64>,
    unread: i64,
    mentions: i64,
    read_pos: i64,
}

/// The read columns every statement of this file returns.
fn read_state(
    level: NotificationLevel,
    last_read_at: Option<i64>,
    unread: i64,
    mentions: i64,
    read_pos: i64,
) -> StoreResult<ReadState> {
    Ok(ReadState {
        level,
        last_read_at: last_read_at.map(time).transpose()?,
        unread: u64::try_from(unread).unwrap_or(0),
        mentions: u64::try_from(mentions).unwrap_or(0),
        read_pos: u64::try_from(read_pos).unwrap_or(0),
    })
}

impl TryFrom<ReadRow> for ReadState {
    type Error = StoreError;
    fn try_from(r: ReadRow) -> Result<Self, StoreError> {
        read_state(r.level, r.last_read_at, r.unread, r.mentions, r.read_pos)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MarkRow {
    message_group: GroupId,
    member: bool,
    level: NotificationLevel,
    last_read_at: Option<i64>,
    unread: i64,
    mentions: i64,
    read_pos: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyedRow {
    group_id: GroupId,
    user_id: UserId,
    level: NotificationLevel,
    last_read_at: Option<i64>,
    unread: i64,
    mentions: i64,
    read_pos: i64,
}

#[derive(Deserialize)]
struct SummaryRow {
    #[serde(rename = "userId")]
    user_id: UserId,
    groups: i64,
    messages: i64,
    mentions: i64,
}

/// A member's marker as the one ordered property the index keeps: the
/// group, a colon, the position in 12 digits (as the statements that move
/// a marker write it).
fn read_key(group: &str, pos: u64) -> String {
    format!("{group}:{pos:012}")
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reach {
    group_id: GroupId,
    pos: i64,
    author_id: UserId,
}

/// A member who read a message, and how far.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReaderRow {
    read_pos: i64,
    #[serde(flatten)]
    membership: MembershipRow,
}

impl TryFrom<ReaderRow> for (SeenKey, Membership) {
    type Error = StoreError;
    fn try_from(r: ReaderRow) -> Result<Self, StoreError> {
        let membership = Membership::try_from(r.membership)?;
        let key = (
            u64::try_from(r.read_pos).unwrap_or(0),
            membership.user_id.clone(),
        );
        Ok((key, membership))
    }
}

#[derive(Deserialize)]
struct Members {
    members: Vec<UserId>,
}

fn not_member() -> StoreError {
    StoreError::Rejected(crate::domain::reading::not_member())
}

impl Neo4jStore {
    /// The users of `ids` who are members of the group (none asked: none).
    pub(super) async fn members_among(
        &self,
        group: &GroupId,
        ids: &[UserId],
    ) -> StoreResult<Vec<UserId>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        let statement = q::MEMBERS_AMONG
            .query()
            .param("groupId", group.as_str())
            .param("ids", ids);
        let found = tx::read::<Members>(&self.graph, statement).await?;
        Ok(found
            .into_iter()
            .next()
            .map(|m| m.members)
            .unwrap_or_default())
    }
}

#[async_trait]
impl Reads for Neo4jStore {
    async fn seen_by(
        &self,
        message: &MessageId,
        after: Option<SeenKey>,
        limit: usize,
    ) -> StoreResult<Page<(SeenKey, Membership)>> {
        let read = q::MESSAGE_REACH.query().param("id", message.as_str());
        let reach = tx::read::<Reach>(&self.graph, read)
            .await?
            .pop()
            .ok_or(StoreError::NotFound("message"))?;
        let pos = u64::try_from(reach.pos).unwrap_or(0);
        let group = reach.group_id.as_str();
        // A cursor before the message's position starts from it.
        let after = after.filter(|(at, _)| *at >= pos);
        let (floor, to) = (read_key(group, pos), format!("{group};"));
        // Forward only: `seenBy` takes `first`/`after`.
        let fetch = |_forward: bool, cursor: Option<&SeenKey>, limit: i64| {
            q::SEEN_BY_FORWARD
                .query()
                .param(
                    "from",
                    cursor.map_or(floor.clone(), |k| read_key(group, k.0)),
                )
                .param("to", to.clone())
                .param("authorId", reach.author_id.as_str())
                .param("botPrefix", BOT_USER_PREFIX)
                .param("userId", cursor.map(|k| k.1.to_string()))
                .param("limit", limit)
        };
        let exists = |cursor: &SeenKey, _up_to: bool| {
            q::SEEN_BY_EXISTS
                .query()
                .param("floor", floor.clone())
                .param("at", read_key(group, cursor.0))
                .param("authorId", reach.author_id.as_str())
                .param("botPrefix", BOT_USER_PREFIX)
                .param("userId", cursor.1.as_str())
        };
        let request = PageRequest::Forward { after, limit };
        self.page::<_, ReaderRow, (SeenKey, Membership)>(&request, fetch, exists)
            .await
    }

    async fn mark_read(
        &self,
        group: &GroupId,
        user: &UserId,
        up_to: &MessageId,
    ) -> StoreResult<ReadState> {
        let row = write_txn!(self.graph, |txn| {
            let statement = q::MEMBERSHIP_MARK_READ
                .query()
                .param("groupId", group.as_str())
                .param("userId", user.as_str())
                .param("upTo", up_to.as_str());
            tx::first::<MarkRow>(txn, statement).await
        })?;
        let row = row.ok_or(StoreError::NotFound("message"))?;
        if &row.message_group != group {
            return Err(StoreError::Rejected(DomainError::invalid(
                "upTo must be a message of the group",
            )));
        }
        if !row.member {
            return Err(not_member());
        }
        read_state(
            row.level,
            row.last_read_at,
            row.unread,
            row.mentions,
            row.read_pos,
        )
    }

    async fn set_level(
        &self,
        group: &GroupId,
        user: &UserId,
        level: NotificationLevel,
    ) -> StoreResult<ReadState> {
        let row = write_txn!(self.graph, |txn| {
            let statement = q::MEMBERSHIP_SET_LEVEL
                .query()
                .param("groupId", group.as_str())
                .param("userId", user.as_str())
                .param("level", name_of(&level));
            tx::first::<ReadRow>(txn, statement).await
        })?;
        row.ok_or_else(not_member)?.try_into()
    }

    async fn read_states(
        &self,
        keys: &[(GroupId, UserId)],
    ) -> StoreResult<Vec<((GroupId, UserId), ReadState)>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let pairs: Vec<Vec<String>> = keys
            .iter()
            .map(|(g, u)| vec![g.to_string(), u.to_string()])
            .collect();
        let statement = q::READ_STATES_BY_KEYS.query().param("keys", pairs);
        let rows = tx::read::<KeyedRow>(&self.graph, statement).await?;
        rows.into_iter()
            .map(|r| {
                let state = read_state(r.level, r.last_read_at, r.unread, r.mentions, r.read_pos)?;
                Ok(((r.group_id, r.user_id), state))
            })
            .collect()
    }

    async fn unread_summaries(&self, users: &[UserId]) -> StoreResult<Vec<UnreadSummary>> {
        if users.is_empty() {
            return Ok(Vec::new());
        }
        // Each id once: a repeated one would be summed twice.
        let mut ids: Vec<&str> = users.iter().map(UserId::as_str).collect();
        ids.sort_unstable();
        ids.dedup();
        let statement = q::UNREAD_SUMMARIES.query().param("userIds", ids);
        let rows = tx::read::<SummaryRow>(&self.graph, statement).await?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        let found: HashMap<UserId, UnreadSummary> = rows
            .into_iter()
            .map(|r| {
                let summary = UnreadSummary {
                    groups: count(r.groups),
                    messages: count(r.messages),
                    mentions: count(r.mentions),
                };
                (r.user_id, summary)
            })
            .collect();
        Ok(users
            .iter()
            .map(|u| found.get(u).copied().unwrap_or_default())
            .collect())
    }
}
