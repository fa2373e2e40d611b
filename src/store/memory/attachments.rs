//! Attachments of the memory store.

use super::MemoryStore;
use crate::domain::attachment::Attachment;
use crate::domain::{AttachmentId, MessageId, Timestamp, UserId};
use crate::store::{Attachments, StoreError, StoreResult};
use async_trait::async_trait;

#[async_trait]
impl Attachments for MemoryStore {
    async fn put_attachment(&self, attachment: &Attachment) -> StoreResult<()> {
        let mut state = self.state.lock();
        state
            .attachments
            .insert(attachment.id.clone(), (attachment.clone(), false));
        Ok(())
    }

    async fn attachments(&self, ids: &[AttachmentId]) -> StoreResult<Vec<Attachment>> {
        let state = self.state.lock();
        Ok(ids
            .iter()
            .filter_map(|id| state.attachments.get(id).map(|(a, _)| a.clone()))
            .collect())
    }

    async fn claim_attachments(
        &self,
        ids: &[AttachmentId],
        owner: &UserId,
        message: &MessageId,
    ) -> StoreResult<()> {
        let mut state = self.state.lock();
        let free = ids.iter().all(|id| {
            state.attachments.get(id).is_some_and(|(a, _)| {
                // Its own claim again (a send retried) is free.
                &a.owner_id == owner && a.message_id.as_ref().is_none_or(|m| m == message)
            })
        });
        if !free {
            return Err(StoreError::Conflict(
                "the attachment is already part of a message".into(),
            ));
        }
        for id in ids {
            if let Some((a, _)) = state.attachments.get_mut(id) {
                a.message_id = Some(message.clone());
            }
        }
        Ok(())
    }

    async fn release_attachments(
        &self,
        ids: &[AttachmentId],
        message: &MessageId,
    ) -> StoreResult<()> {
        let mut state = self.state.lock();
        for id in ids {
            if let Some((a, _)) = state.attachments.get_mut(id) {
                if a.message_id.as_ref() == Some(message) {
                    a.message_id = None;
                }
            }
        }
        Ok(())
    }

    async fn unswept_attachments(
        &self,
        before: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<Attachment>> {
        let state = self.state.lock();
        let mut stale: Vec<Attachment> = state
            .attachments
            .values()
            .filter(|(a, kept)| !kept && a.created_at < before)
            .map(|(a, _)| a.clone())
            .collect();
        stale.sort_by_key(|a| a.created_at);
        stale.truncate(limit);
        Ok(stale)
    }

    async fn keep_attachments(&self, ids: &[AttachmentId]) -> StoreResult<()> {
        let mut state = self.state.lock();
        for id in ids {
            if let Some((_, kept)) = state.attachments.get_mut(id) {
                *kept = true;
            }
        }
        Ok(())
    }

    async fn delete_attachments(&self, ids: &[AttachmentId]) -> StoreResult<()> {
        let mut state = self.state.lock();
        for id in ids {
            state.attachments.remove(id);
        }
        Ok(())
    }
}
