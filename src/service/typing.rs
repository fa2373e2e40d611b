use super::Service;
use crate::domain::event::DomainEvent;
use crate::domain::typing::{self, Typing};
use crate::domain::{DomainError, DomainResult, GroupId, MessageId, UserId};
use std::time::Instant;

impl Service {
    /// Tells the group the viewer is typing (or stopped), in a reply to
    /// `parent` or at the top. Forwarded at once, skipping the outbox: it
    /// is never stored, pushed or sent to webhooks. A `true` within 3 s of
    /// the last forwarded one (for this user, group and parent, through
    /// this process) returns `true` and reads and sends nothing.
    #[tracing::instrument(skip(self))]
    pub async fn set_typing(
        &self,
        viewer: &UserId,
        group: &GroupId,
        parent: Option<MessageId>,
        is_typing: bool,
    ) -> DomainResult<bool> {
        let key = (viewer.clone(), group.clone(), parent.clone());
        let now = Instant::now();
        {
            let mut sent = self.typing.lock();
            if !typing::forwards(is_typing, sent.peek(&key).copied(), now) {
                return Ok(true);
            }
            if is_typing {
                sent.put(key.clone(), now);
            }
        }
        let members = match self.check_typing(viewer, group, parent.as_ref()).await {
            Ok(members) => members,
            Err(err) => {
                self.typing.lock().pop(&key);
                return Err(err);
            }
        };
        let at = Self::now();
        let lasts = chrono::Duration::from_std(typing::LASTS).unwrap_or_default();
        let indicator = Typing {
            user_id: viewer.clone(),
            group_id: group.clone(),
            parent_id: parent,
            typing: is_typing,
            expires_at: at + lasts,
        };
        // With the group's member count, as a send's event: fan-out need
        // not read it.
        let event = DomainEvent::of_typing(indicator, at).with_member_count(Some(members));
        if let Err(err) = self.events.publish(&event).await {
            // Never retried: a late indicator is worse than none.
            tracing::warn!(error = %err, "typing indicator not published");
        }
        Ok(true)
    }

    /// Members type, in their group, replying to one of its messages.
    /// Returns the group's member count.
    async fn check_typing(
        &self,
        viewer: &UserId,
        group: &GroupId,
        parent: Option<&MessageId>,
    ) -> DomainResult<u64> {
        let member_count = self.member_of(viewer, group).await?.0.member_count;
        if let Some(parent) = parent {
            let found = self.store.messages(std::slice::from_ref(parent)).await?;
            if !found.iter().any(|m| &m.group_id == group) {
                return Err(DomainError::invalid(
                    "parentId must be a message of the group",
                ));
            }
        }
        Ok(member_count)
    }
}
