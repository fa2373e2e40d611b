use super::Service;
use crate::domain::keyset;
use crate::domain::message::Message;
use crate::domain::page::{Page, PageRequest};
use crate::domain::pin::{pin_key, PinChange, PinKey};
use crate::domain::{DomainResult, GroupId, MessageId, UserId};
use std::collections::BTreeMap;

impl Service {
    /// Pins (`pin`) or unpins a message; the store checks it
    /// (`PinChange::decide`) under the message's and the group's locks. A
    /// repeat returns the message and announces nothing.
    #[tracing::instrument(skip(self))]
    pub async fn pin(&self, viewer: &UserId, id: &MessageId, pin: bool) -> DomainResult<Message> {
        self.throttle(viewer).await?;
        let change = PinChange {
            message_id: id.clone(),
            by: viewer.clone(),
            pin,
            now: Self::now(),
        };
        let recorded = self.store.change_pin(&change).await?;
        self.announce(recorded.events).await;
        Ok(recorded.value)
    }

    /// A page of the group's pinned messages, in pin order (a group holds
    /// at most 50, read whole and paged here).
    #[tracing::instrument(skip(self))]
    pub async fn pinned_messages(
        &self,
        viewer: &UserId,
        group: &GroupId,
        page: PageRequest<PinKey>,
    ) -> DomainResult<Page<Message>> {
        self.readable_group(viewer, group).await?;
        let pinned = self.store.pinned_messages(group).await?;
        let list: BTreeMap<PinKey, Message> =
            pinned.into_iter().map(|m| (pin_key(&m), m)).collect();
        Ok(keyset::page(&list, &page, |_, _| true, |_, m| m.clone()))
    }
}
