use super::Service;
use crate::domain::message::MAX_ANCESTORS;
use crate::domain::message::{Message, MessageChange, NewMessage, Parent};
use crate::domain::page::{Page, PageRequest};
use crate::domain::text::MessageBody;
use crate::domain::{DomainError, DomainResult, GroupId, MessageId, UserId};

impl Service {
    async fn load_message(&self, id: &MessageId) -> DomainResult<Message> {
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

    #[tracing::instrument(skip(self, body, client_message_id))]
    pub async fn post_message(
        &self,
        viewer: &UserId,
        group: &GroupId,
        body: MessageBody,
        client_message_id: Option<String>,
    ) -> DomainResult<Message> {
        self.send(
            viewer,
            Parent::Group(group.clone()),
            body,
            client_message_id,
        )
        .await
    }

    #[tracing::instrument(skip(self, body, client_message_id))]
    pub async fn reply(
        &self,
        viewer: &UserId,
        parent: &MessageId,
        body: MessageBody,
        client_message_id: Option<String>,
    ) -> DomainResult<Message> {
        self.send(
            viewer,
            Parent::Message(parent.clone()),
            body,
            client_message_id,
        )
        .await
    }

    /// The store checks the send (membership, parent) in the write itself.
    async fn send(
        &self,
        viewer: &UserId,
        to: Parent,
        body: MessageBody,
        client_message_id: Option<String>,
    ) -> DomainResult<Message> {
        self.throttle(viewer).await?;
        let new = NewMessage {
            to,
            author_id: viewer.clone(),
            body,
            client_message_id,
            now: Self::now(),
        };
        let recorded = self.store.post_message(&new).await?;
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
        let recorded = self
            .store
            .change_message(id, &MessageChange::Delete { at: now })
            .await?;
        self.announce(recorded.events).await;
        Ok(recorded.value)
    }
}
