use super::uploads::Claim;
use super::Service;
use crate::domain::message::MAX_ANCESTORS;
use crate::domain::message::{Message, MessageChange, NewMessage, Parent};
use crate::domain::page::{Page, PageRequest};
use crate::domain::text::MessageBody;
use crate::domain::{AttachmentId, DomainError, DomainResult, GroupId, MessageId, UserId};

impl Service {
    pub(super) async fn load_message(&self, id: &MessageId) -> DomainResult<Message> {
        let found = self.store.messages(std::slice::from_ref(id)).await?;
        found
            .into_iter()
            .next()
            .ok_or(DomainError::NotFound("message"))
    }

    /// A message, if the viewer may read its group; `None` if it does not exist.
    #[tracing::instrument(skip(self))]
    pub async fn message(&self, viewer: &UserId, id: &MessageId) -> DomainResult<Option<Message>> {
        let Some((message, group, membership)) = self.store.message_access(id, viewer).await?
        else {
            return Ok(None);
        };
        let access = (group, membership);
        self.keep(&message.group_id, viewer, &access);
        crate::domain::access::confine(viewer, access.1.as_ref())?;
        Self::readable(access.0, access.1.as_ref())?;
        Ok(Some(message))
    }

    /// Top-level messages of a group (replies hang off their message:
    /// `replies`).
    #[tracing::instrument(skip(self))]
    pub async fn group_messages(
        &self,
        viewer: &UserId,
        group: &GroupId,
        page: PageRequest<u64>,
    ) -> DomainResult<Page<Message>> {
        self.readable_group(viewer, group).await?;
        Ok(self
            .store
            .children(&Parent::Group(group.clone()), page)
            .await?)
    }

    /// Replies to a message the caller already holds (saves reloading it).
    #[tracing::instrument(skip(self, message), fields(message = %message.id))]
    pub async fn replies(
        &self,
        viewer: &UserId,
        message: &Message,
        page: PageRequest<u64>,
    ) -> DomainResult<Page<Message>> {
        self.readable_group(viewer, &message.group_id).await?;
        Ok(self.store.replies_of(message, page).await?)
    }

    #[tracing::instrument(skip(self, message))]
    pub async fn ancestors(
        &self,
        viewer: &UserId,
        message: &Message,
        last: usize,
    ) -> DomainResult<Vec<Message>> {
        if !(1..=MAX_ANCESTORS).contains(&last) {
            return Err(DomainError::invalid(format!(
                "last must be between 1 and {MAX_ANCESTORS}"
            )));
        }
        if message.parent_id.is_none() {
            return Ok(Vec::new());
        }
        self.readable_group(viewer, &message.group_id).await?;
        Ok(self.store.ancestors(&message.id, last).await?)
    }

    #[tracing::instrument(skip(self, body, client_message_id, files))]
    pub async fn post_message(
        &self,
        viewer: &UserId,
        group: &GroupId,
        body: MessageBody,
        client_message_id: Option<String>,
        files: &[AttachmentId],
    ) -> DomainResult<Message> {
        let to = Parent::Group(group.clone());
        self.send(viewer, to, body, client_message_id, files).await
    }

    #[tracing::instrument(skip(self, body, client_message_id, files))]
    pub async fn reply(
        &self,
        viewer: &UserId,
        parent: &MessageId,
        body: MessageBody,
        client_message_id: Option<String>,
        files: &[AttachmentId],
    ) -> DomainResult<Message> {
        let to = Parent::Message(parent.clone());
        self.send(viewer, to, body, client_message_id, files).await
    }

    /// The store checks the send (membership, parent) in the write itself;
    /// the files it names are checked and claimed first, and released if
    /// the write does not go through.
    async fn send(
        &self,
        viewer: &UserId,
        to: Parent,
        body: MessageBody,
        client_message_id: Option<String>,
        files: &[AttachmentId],
    ) -> DomainResult<Message> {
        self.throttle(viewer).await?;
        if body.as_str().is_empty() && files.is_empty() {
            return Err(DomainError::invalid(
                "message body must not be empty (it has no visible character)",
            ));
        }
        let id = MessageId::generate();
        let attachments = if files.is_empty() {
            Vec::new()
        } else {
            let cid = client_message_id.as_deref();
            match self.claim_files(viewer, &to, files, &id, cid).await? {
                Claim::Files(claimed) => claimed,
                Claim::Retry(earlier) => return Ok(*earlier),
            }
        };
        let new = NewMessage {
            id: id.clone(),
            to,
            author_id: viewer.clone(),
            body,
            client_message_id,
            now: Self::now(),
            attachments,
        };
        let recorded = match self.store.post_message(&new).await {
            Ok(recorded) => recorded,
            Err(err) => {
                self.release_files(files, &id).await;
                return Err(err.into());
            }
        };
        if !files.is_empty() && recorded.value.message.id != id {
            // An earlier run of this send answered: it holds no claim of ours.
            self.release_files(files, &id).await;
        }
        self.announce(recorded.events).await;
        Ok(recorded.value.message)
    }

    /// Authors edit their own messages while they are members.
    #[tracing::instrument(skip(self, body))]
    pub async fn edit_message(
        &self,
        viewer: &UserId,
        id: &MessageId,
        body: MessageBody,
    ) -> DomainResult<Message> {
        self.throttle(viewer).await?;
        let message = self.load_message(id).await?;
        self.require_member(viewer, &message.group_id).await?;
        if &message.author_id != viewer {
            return Err(DomainError::forbidden("only the author can edit a message"));
        }
        let now = Self::now();
        let recorded = self
            .store
            .change_message(id, &MessageChange::Edit { body, at: now })
            .await?;
        self.announce(recorded.events).await;
        Ok(recorded.value)
    }

    /// The author (while a member) or a group admin deletes a message; its
    /// tombstone keeps the thread intact. Deleting twice is harmless.
    #[tracing::instrument(skip(self))]
    pub async fn delete_message(&self, viewer: &UserId, id: &MessageId) -> DomainResult<Message> {
        self.throttle(viewer).await?;
        let message = self.load_message(id).await?;
        let membership = self.require_member(viewer, &message.group_id).await?;
        if &message.author_id != viewer && !membership.is_admin() {
            return Err(DomainError::forbidden(
                "only the author or an admin can delete a message",
            ));
        }
        if message.is_deleted() {
            return Ok(message);
        }
        let now = Self::now();
        let log = message.moderated_delete(viewer, now);
        let recorded = self
            .store
            .change_message_logged(id, &MessageChange::Delete { at: now }, log.as_ref())
            .await?;
        self.announce(recorded.events).await;
        self.forget_files(&message.attachments).await;
        Ok(recorded.value)
    }
}
