//! Attachments on Neo4j: one `Attachment` node per upload; a message keeps
//! its files' metadata on itself (`attachments`, JSON), so reading messages
//! reads no attachment node.

use super::queries::{self as q, Named};
use super::rows::{micros, time};
use super::tx;
use super::Neo4jStore;
use crate::domain::attachment::Attachment;
use crate::domain::{AttachmentId, GroupId, MessageId, Timestamp, UserId};
use crate::store::{Attachments, StoreError, StoreResult};
use async_trait::async_trait;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AttachmentRow {
    id: AttachmentId,
    group_id: GroupId,
    owner_id: UserId,
    filename: String,
    content_type: String,
    size: i64,
    width: Option<i64>,
    height: Option<i64>,
    created_at: i64,
    message_id: Option<MessageId>,
}

impl TryFrom<AttachmentRow> for Attachment {
    type Error = StoreError;
    fn try_from(r: AttachmentRow) -> Result<Self, StoreError> {
        Ok(Attachment {
            id: r.id,
            group_id: r.group_id,
            owner_id: r.owner_id,
            filename: r.filename,
            content_type: r.content_type,
            size: u64::try_from(r.size).unwrap_or(0),
            width: r.width.and_then(|w| u32::try_from(w).ok()),
            height: r.height.and_then(|h| u32::try_from(h).ok()),
            created_at: time(r.created_at)?,
            message_id: r.message_id,
        })
    }
}

fn names(ids: &[AttachmentId]) -> Vec<String> {
    ids.iter().map(ToString::to_string).collect()
}

#[derive(Deserialize)]
struct Claimed {
    claimed: bool,
}

impl Neo4jStore {
    /// Runs a write that is safe to run again, ignoring what it returns.
    async fn write_again(&self, statement: impl Fn() -> Named) -> StoreResult<()> {
        tx::write_retried::<serde_json::Value>(&self.graph, statement).await?;
        Ok(())
    }
}

#[async_trait]
impl Attachments for Neo4jStore {
    async fn put_attachment(&self, a: &Attachment) -> StoreResult<()> {
        // A run again after a lost answer is refused on the id: recorded.
        self.write_again(|| {
            q::ATTACHMENT_PUT
                .query()
                .param("id", a.id.as_str())
                .param("groupId", a.group_id.as_str())
                .param("ownerId", a.owner_id.as_str())
                .param("filename", a.filename.as_str())
                .param("contentType", a.content_type.as_str())
                .param("size", i64::try_from(a.size).unwrap_or(i64::MAX))
                .param("width", a.width.map(i64::from))
                .param("height", a.height.map(i64::from))
                .param("createdAt", micros(a.created_at))
        })
        .await
    }

    async fn attachments(&self, ids: &[AttachmentId]) -> StoreResult<Vec<Attachment>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = tx::read::<AttachmentRow>(
            &self.graph,
            q::ATTACHMENTS_BY_IDS.query().param("ids", names(ids)),
        )
        .await?;
        rows.into_iter().map(Attachment::try_from).collect()
    }

    async fn claim_attachments(
        &self,
        ids: &[AttachmentId],
        owner: &UserId,
        message: &MessageId,
    ) -> StoreResult<()> {
        let statement = || {
            q::ATTACHMENT_CLAIM
                .query()
                .param("ids", names(ids))
                .param("ownerId", owner.as_str())
                .param("messageId", message.as_str())
        };
        let claimed = match tx::write_retried::<Claimed>(&self.graph, statement).await? {
            tx::Wrote::Rows(rows) => rows.first().is_some_and(|r| r.claimed),
            tx::Wrote::Taken => false,
        };
        if claimed {
            Ok(())
        } else {
            Err(StoreError::Conflict(
                "the attachment is already part of a message".into(),
            ))
        }
    }

    async fn release_attachments(
        &self,
        ids: &[AttachmentId],
        message: &MessageId,
    ) -> StoreResult<()> {
        self.write_again(|| {
            q::ATTACHMENT_RELEASE
                .query()
                .param("ids", names(ids))
                .param("messageId", message.as_str())
        })
        .await
    }

    async fn unswept_attachments(
        &self,
        before: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<Attachment>> {
        let rows = tx::read::<AttachmentRow>(
            &self.graph,
            q::ATTACHMENTS_UNSWEPT
                .query()
                .param("before", micros(before))
                .param("limit", i64::try_from(limit).unwrap_or(i64::MAX)),
        )
        .await?;
        rows.into_iter().map(Attachment::try_from).collect()
    }

    async fn keep_attachments(&self, ids: &[AttachmentId]) -> StoreResult<()> {
        self.write_again(|| q::ATTACHMENTS_KEEP.query().param("ids", names(ids)))
            .await
    }

    async fn delete_attachments(&self, ids: &[AttachmentId]) -> StoreResult<()> {
        self.write_again(|| q::ATTACHMENTS_DELETE.query().param("ids", names(ids)))
            .await
    }
}
