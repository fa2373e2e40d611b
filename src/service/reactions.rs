use super::Service;
use crate::domain::message::Message;
use crate::domain::page::{Page, PageRequest};
use crate::domain::reaction::{Reaction, ReactionChange, ReactionKey, ReactorKey};
use crate::domain::{DomainResult, MessageId, UserId};

impl Service {
    /// Adds (`add`) or removes the viewer's reaction `key` on a message;
    /// the store checks it (`ReactionChange::decide`) under the message's
    /// lock. A repeat returns the message and announces nothing.
    #[tracing::instrument(skip(self, key))]
    pub async fn react(
        &self,
        viewer: &UserId,
        message: &MessageId,
        key: &str,
        add: bool,
    ) -> DomainResult<Message> {
        let key = ReactionKey::parse(key)?;
        self.throttle(viewer).await?;
        let change = ReactionChange {
            message_id: message.clone(),
            user_id: viewer.clone(),
            key,
            add,
            now: Self::now(),
            erasure: false,
        };
        let recorded = self.store.change_reaction(&change).await?;
        self.announce(recorded.events).await;
        Ok(recorded.value)
    }

    /// Who reacted to a message with `key`: nobody once it is deleted.
    #[tracing::instrument(skip(self, message, key), fields(message = %message.id))]
    pub async fn reactors(
        &self,
        viewer: &UserId,
        message: &Message,
        key: &str,
        page: PageRequest<ReactorKey>,
    ) -> DomainResult<Page<Reaction>> {
        self.readable_group(viewer, &message.group_id).await?;
        if message.is_deleted() {
            return Ok(Page::empty());
        }
        Ok(self.store.reactors(&message.id, key, page).await?)
    }

    /// The reaction a global id names, if the viewer may read its message.
    pub async fn reaction(&self, viewer: &UserId, id: &str) -> DomainResult<Option<Reaction>> {
        let Some((message, user, key)) = Reaction::parse_id(id) else {
            return Ok(None);
        };
        let Some(message) = self.message(viewer, &message).await? else {
            return Ok(None);
        };
        if message.is_deleted() {
            return Ok(None);
        }
        let held = self.store.reactions_of(&user, &[message.id]).await?;
        Ok(held.into_iter().find(|r| r.key == key))
    }
}
