//! Rows as Cypher returns them (aliases = field names) and their domain
//! values. Times travel as integer microseconds since the epoch.

use crate::domain::attachment::Attachment;
use crate::domain::group::{Group, Visibility};
use crate::domain::membership::{Membership, MembershipState, Role};
use crate::domain::message::Message;
use crate::domain::reaction::ReactionCount;
use crate::domain::user::User;
use crate::domain::{GroupId, MessageId, Timestamp, UserId};
use crate::store::StoreError;
use serde::Deserialize;

pub fn micros(t: Timestamp) -> i64 {
    t.timestamp_micros()
}

pub fn time(us: i64) -> Result<Timestamp, StoreError> {
    chrono::DateTime::from_timestamp_micros(us)
        .ok_or_else(|| StoreError::Internal(format!("bad time {us}").into()))
}

pub(super) fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserRow {
    id: UserId,
    name: String,
    email: Option<String>,
    picture_url: Option<String>,
    created_at: i64,
    last_seen_at: Option<i64>,
    presence_hidden: Option<bool>,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<Self, StoreError> {
        Ok(User {
            id: r.id,
            name: r.name,
            email: r.email,
            picture_url: r.picture_url,
            created_at: time(r.created_at)?,
            last_seen_at: r.last_seen_at.map(time).transpose()?,
            presence_hidden: r.presence_hidden.unwrap_or(false),
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupRow {
    id: GroupId,
    name: String,
    description: Option<String>,
    visibility: Visibility,
    created_at: i64,
    member_count: i64,
    #[serde(default)]
    slow_mode_seconds: Option<i64>,
}

impl TryFrom<GroupRow> for Group {
    type Error = StoreError;
    fn try_from(r: GroupRow) -> Result<Self, StoreError> {
        Ok(Group {
            id: r.id,
            name: r.name,
            description: r.description,
            visibility: r.visibility,
            created_at: time(r.created_at)?,
            slow_mode_seconds: r
                .slow_mode_seconds
                .and_then(|s| u32::try_from(s).ok())
                .unwrap_or(0),
            member_count: count(r.member_count),
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MembershipRow {
    group_id: GroupId,
    user_id: UserId,
    state: MembershipState,
    role: Option<Role>,
    note: Option<String>,
    reason: Option<String>,
    since: i64,
    updated_at: i64,
    #[serde(default)]
    muted_until: Option<i64>,
    #[serde(default)]
    banned_until: Option<i64>,
    #[serde(default)]
    last_post_at: Option<i64>,
}

impl TryFrom<MembershipRow> for Membership {
    type Error = StoreError;
    fn try_from(r: MembershipRow) -> Result<Self, StoreError> {
        Ok(Membership {
            group_id: r.group_id,
            user_id: r.user_id,
            state: r.state,
            role: r.role,
            note: r.note,
            reason: r.reason,
            since: time(r.since)?,
            updated_at: time(r.updated_at)?,
            muted_until: r.muted_until.map(time).transpose()?,
            banned_until: r.banned_until.map(time).transpose()?,
            last_post_at: r.last_post_at.map(time).transpose()?,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageRow {
    id: MessageId,
    group_id: GroupId,
    author_id: UserId,
    body: Option<String>,
    parent_id: Option<MessageId>,
    root_id: MessageId,
    depth: i64,
    seq: i64,
    reply_count: i64,
    client_message_id: Option<String>,
    created_at: i64,
    edited_at: Option<i64>,
    deleted_at: Option<i64>,
    #[serde(default)]
    mentions: Vec<UserId>,
    /// Reaction counts as two lists of one length, in order of first use
    /// (absent where a statement reads a message only to check it).
    #[serde(default)]
    reaction_keys: Vec<String>,
    #[serde(default)]
    reaction_counts: Vec<i64>,
    #[serde(default)]
    pinned_at: Option<i64>,
    #[serde(default)]
    pinned_by: Option<UserId>,
    /// Its files, as JSON (null for none).
    #[serde(default)]
    attachments: Option<String>,
    /// The group's member count: only a send returns it (for its event).
    #[serde(default)]
    member_count: Option<i64>,
}

impl MessageRow {
    /// The group's member count a send's write saw (`None` for reads).
    pub(super) fn member_count(&self) -> Option<u64> {
        self.member_count.map(count)
    }
}

impl TryFrom<MessageRow> for Message {
    type Error = StoreError;
    fn try_from(r: MessageRow) -> Result<Self, StoreError> {
        Ok(Message {
            id: r.id,
            group_id: r.group_id,
            author_id: r.author_id,
            body: r.body,
            parent_id: r.parent_id,
            root_id: r.root_id,
            depth: u32::try_from(r.depth).unwrap_or(0),
            seq: count(r.seq),
            reply_count: count(r.reply_count),
            client_message_id: r.client_message_id,
            created_at: time(r.created_at)?,
            edited_at: r.edited_at.map(time).transpose()?,
            deleted_at: r.deleted_at.map(time).transpose()?,
            mentions: r.mentions,
            reactions: r
                .reaction_keys
                .into_iter()
                .zip(r.reaction_counts)
                .map(|(key, n)| ReactionCount {
                    key,
                    count: count(n),
                })
                .collect(),
            pinned_at: r.pinned_at.map(time).transpose()?,
            pinned_by: r.pinned_by,
            attachments: attachments_from_json(r.attachments.as_deref())?,
        })
    }
}

/// `true AS found LIMIT 1`: a row means found.
#[derive(Deserialize)]
pub struct Found {
    #[allow(dead_code)]
    pub found: bool,
}

/// How many children a parent has.
#[derive(Deserialize)]
pub struct Size {
    pub size: i64,
}

/// Converts rows into domain values, failing on the first bad row.
pub fn convert<R, T: TryFrom<R, Error = StoreError>>(rows: Vec<R>) -> Result<Vec<T>, StoreError> {
    rows.into_iter().map(T::try_from).collect()
}

/// The string a domain enum is stored as (its serde name).
pub fn name_of<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A row whose columns do not matter (only that there was one).
#[derive(Deserialize)]
pub struct Ignored {}

/// A message's files as the message node keeps them (null for none).
pub(super) fn attachments_json(attachments: &[Attachment]) -> Result<Option<String>, StoreError> {
    if attachments.is_empty() {
        return Ok(None);
    }
    serde_json::to_string(attachments)
        .map(Some)
        .map_err(|e| StoreError::Internal(e.into()))
}

/// The files a message node keeps.
pub(super) fn attachments_from_json(json: Option<&str>) -> Result<Vec<Attachment>, StoreError> {
    json.map_or(Ok(Vec::new()), |json| {
        serde_json::from_str(json).map_err(|e| StoreError::Internal(e.into()))
    })
}
