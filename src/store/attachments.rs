//! The storage port of attachments: the record of each upload, from its
//! ticket until it is swept or its message is deleted.

use super::StoreResult;
use crate::domain::attachment::Attachment;
use crate::domain::{AttachmentId, MessageId, Timestamp, UserId};
use async_trait::async_trait;

#[async_trait]
pub trait Attachments: Send + Sync {
    /// Records a new upload (not attached to anything yet).
    async fn put_attachment(&self, attachment: &Attachment) -> StoreResult<()>;
    /// The attachments among `ids` that exist, in any order.
    async fn attachments(&self, ids: &[AttachmentId]) -> StoreResult<Vec<Attachment>>;
    /// Claims every one of `ids` (uploads of `owner`) for `message`, or
    /// none: `StoreError::Conflict` when one is already claimed (by a
    /// concurrent send too).
    async fn claim_attachments(
        &self,
        ids: &[AttachmentId],
        owner: &UserId,
        message: &MessageId,
    ) -> StoreResult<()>;
    /// Undoes a claim whose send failed (only the claims `message` holds).
    async fn release_attachments(
        &self,
        ids: &[AttachmentId],
        message: &MessageId,
    ) -> StoreResult<()>;
    /// At most `limit` attachments created before `before` that no sweep
    /// has kept yet: never attached, or claimed for a message (which may
    /// not exist, when a send stopped half way).
    async fn unswept_attachments(
        &self,
        before: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<Attachment>>;
    /// Marks attachments whose message exists, so sweeps skip them.
    async fn keep_attachments(&self, ids: &[AttachmentId]) -> StoreResult<()>;
    /// Forgets the records (their bytes are the caller's to delete).
    async fn delete_attachments(&self, ids: &[AttachmentId]) -> StoreResult<()>;
}
