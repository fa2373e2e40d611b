//! Attachments: upload tickets, the check and claim a send makes of the
//! files it names, download URLs, and the sweep of stray uploads.

use super::ports::{SignedRequest, StorageError};
use super::Service;
use crate::domain::attachment::{self, Attachment, Declared};
use crate::domain::message::{Message, Parent};
use crate::domain::UserId;
use crate::domain::{AttachmentId, DomainError, DomainResult, GroupId, MessageId, Timestamp};

/// Stray uploads looked at per sweep.
const SWEEP_UPLOADS: usize = 500;

fn storage(err: StorageError) -> DomainError {
    DomainError::Internal(Box::new(err))
}

/// An upload ticket: the attachment as recorded and the signed PUT.
pub struct Ticket {
    pub attachment: Attachment,
    pub request: SignedRequest,
    pub expires_at: Timestamp,
}

/// What a send's attachments came to.
pub(super) enum Claim {
    /// The files, claimed for the new message.
    Files(Vec<Attachment>),
    /// The send is a retry of one that already holds them.
    Retry(Box<Message>),
}

impl Service {
    /// Records an upload the viewer is about to make to `group` and signs
    /// the PUT for it (members only; draws on the rate budget).
    #[tracing::instrument(skip(self, declared))]
    pub async fn create_upload(
        &self,
        viewer: &UserId,
        group: &GroupId,
        declared: Declared,
    ) -> DomainResult<Ticket> {
        self.throttle(viewer).await?;
        self.require_member(viewer, group).await?;
        let now = Self::now();
        let attachment = self
            .upload_rules
            .admit(declared, group.clone(), viewer.clone(), now)?;
        let request = self
            .files
            .upload_request(&attachment, attachment::UPLOAD_FOR)
            .await
            .map_err(storage)?;
        self.store.put_attachment(&attachment).await?;
        let valid = chrono::Duration::from_std(attachment::UPLOAD_FOR).unwrap_or_default();
        Ok(Ticket {
            attachment,
            request,
            expires_at: now + valid,
        })
    }

    /// A signed GET of an attachment's bytes, once a message holds it
    /// (before that, `None`: they may not be there yet).
    pub async fn download_url(&self, attachment: &Attachment) -> DomainResult<Option<String>> {
        if attachment.message_id.is_none() {
            return Ok(None);
        }
        self.files
            .download_url(attachment, attachment::DOWNLOAD_FOR)
            .await
            .map(Some)
            .map_err(storage)
    }

    /// An attachment the viewer may see: their own upload, or one a message
    /// of a group they read holds.
    pub async fn attachment(
        &self,
        viewer: &UserId,
        id: &AttachmentId,
    ) -> DomainResult<Option<Attachment>> {
        let Some(found) = self
            .store
            .attachments(std::slice::from_ref(id))
            .await?
            .pop()
        else {
            return Ok(None);
        };
        if &found.owner_id == viewer {
            return Ok(Some(found));
        }
        let Some(message) = &found.message_id else {
            return Ok(None);
        };
        // A message the viewer may not read hides its files too.
        let readable = match self.message(viewer, message).await {
            Ok(found) => found,
            Err(DomainError::Forbidden(_)) => None,
            Err(err) => return Err(err),
        };
        Ok(readable.filter(|m| !m.is_deleted()).map(|_| found))
    }

    /// Checks and claims the files a new message `id` names: each the
    /// author's upload for the message's group, free, and stored with the
    /// declared size and type. A send retried with its client id finds the
    /// message that already holds them.
    pub(super) async fn claim_files(
        &self,
        viewer: &UserId,
        to: &Parent,
        named: &[AttachmentId],
        id: &MessageId,
        client_message_id: Option<&str>,
    ) -> DomainResult<Claim> {
        let found = self.store.attachments(named).await?;
        if let Some(earlier) = self.earlier_send(viewer, &found, client_message_id).await? {
            return Ok(Claim::Retry(Box::new(earlier)));
        }
        let group = match to {
            Parent::Group(group) => group.clone(),
            Parent::Message(parent) => self.load_message(parent).await?.group_id,
        };
        let mut files = attachment::claim(viewer, &group, named, found)?;
        let stored =
            futures_util::future::join_all(files.iter().map(|a| self.files.stored(a))).await;
        for (file, stored) in files.iter().zip(stored) {
            match stored.map_err(storage)? {
                None => {
                    return Err(DomainError::invalid(format!(
                        "attachment {} has not been uploaded",
                        file.id
                    )))
                }
                Some(object) if !file.matches(&object) => {
                    return Err(DomainError::invalid(format!(
                        "attachment {} does not match its declared size and type",
                        file.id
                    )))
                }
                Some(_) => {}
            }
        }
        self.store.claim_attachments(named, viewer, id).await?;
        let kept = futures_util::future::join_all(files.iter().map(|a| self.files.keep(a))).await;
        if let Some(Err(err)) = kept.into_iter().find(Result::is_err) {
            self.release_files(named, id).await;
            return Err(storage(err));
        }
        for file in &mut files {
            file.message_id = Some(id.clone());
        }
        Ok(Claim::Files(files))
    }

    /// The message an earlier run of this send made, when the files are
    /// already held by the viewer's message with the same client id.
    async fn earlier_send(
        &self,
        viewer: &UserId,
        found: &[Attachment],
        client_message_id: Option<&str>,
    ) -> DomainResult<Option<Message>> {
        let (Some(client_id), Some(held)) = (
            client_message_id,
            found.iter().find_map(|a| a.message_id.clone()),
        ) else {
            return Ok(None);
        };
        let earlier = self
            .store
            .messages(std::slice::from_ref(&held))
            .await?
            .pop();
        Ok(earlier.filter(|m| {
            &m.author_id == viewer && m.client_message_id.as_deref() == Some(client_id)
        }))
    }

    /// Undoes a claim whose send did not go through.
    pub(super) async fn release_files(&self, named: &[AttachmentId], id: &MessageId) {
        if let Err(err) = self.store.release_attachments(named, id).await {
            tracing::warn!(error = %err, "attachments not released");
        }
    }

    /// Deletes the files of a deleted message (their records and bytes).
    pub(super) async fn forget_files(&self, files: &[Attachment]) {
        if files.is_empty() {
            return;
        }
        if let Err(err) = self.files.delete(files).await {
            tracing::warn!(error = %err, "attachment bytes not deleted");
            return;
        }
        let ids: Vec<AttachmentId> = files.iter().map(|a| a.id.clone()).collect();
        if let Err(err) = self.store.delete_attachments(&ids).await {
            tracing::warn!(error = %err, "attachment records not deleted");
        }
    }

    /// Deletes uploads no message holds 24 hours after their ticket (their
    /// bytes too, unless storage expires them itself), and marks the ones
    /// a message holds so later sweeps skip them. Returns how many went.
    #[tracing::instrument(skip(self))]
    pub async fn sweep_uploads(&self, now: Timestamp) -> DomainResult<usize> {
        let age = chrono::Duration::from_std(attachment::UNATTACHED_FOR).unwrap_or_default();
        let page = self
            .store
            .unswept_attachments(now - age, SWEEP_UPLOADS)
            .await?;
        let held: Vec<MessageId> = page.iter().filter_map(|a| a.message_id.clone()).collect();
        let messages = self.store.messages(&held).await?;
        let (kept, strays): (Vec<Attachment>, Vec<Attachment>) = page.into_iter().partition(|a| {
            a.message_id
                .as_ref()
                .is_some_and(|m| messages.iter().any(|found| &found.id == m))
        });
        let kept: Vec<AttachmentId> = kept.into_iter().map(|a| a.id).collect();
        if !kept.is_empty() {
            self.store.keep_attachments(&kept).await?;
        }
        if strays.is_empty() {
            return Ok(0);
        }
        if !self.files.expires_strays() {
            self.files.delete(&strays).await.map_err(storage)?;
        }
        let ids: Vec<AttachmentId> = strays.iter().map(|a| a.id.clone()).collect();
        self.store.delete_attachments(&ids).await?;
        tracing::info!(deleted = ids.len(), "stray uploads swept");
        Ok(ids.len())
    }
}
