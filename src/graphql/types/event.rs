use super::{GroupEventType, MembershipObject, MessageObject, ReactionObject};
use crate::domain::event::DomainEvent;
use async_graphql::{Object, ID};
use std::sync::Arc;

pub struct GroupEventObject(pub Arc<DomainEvent>);

#[Object(name = "GroupEvent")]
impl GroupEventObject {
    /// One id per event: the same for every recipient and every
    /// redelivery (socket, push, webhook), so clients can drop duplicates.
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    #[graphql(name = "type")]
    async fn kind(&self) -> GroupEventType {
        self.0.kind.into()
    }

    async fn group_id(&self) -> ID {
        ID(self.0.group_id.to_string())
    }

    async fn message(&self) -> Option<MessageObject> {
        self.0.message.clone().map(MessageObject)
    }

    async fn membership(&self) -> Option<MembershipObject> {
        self.0.membership.clone().map(MembershipObject)
    }

    /// For `REACTION_ADDED` and `REACTION_REMOVED`: the reaction (its
    /// `message` field, and this event's, carry the new counts).
    async fn reaction(&self) -> Option<ReactionObject> {
        self.0.reaction.clone().map(ReactionObject)
    }

    /// The message's cursor in its parent's connection.
    async fn cursor(&self) -> Option<&str> {
        self.0.cursor.as_deref()
    }

    async fn occurred_at(&self) -> crate::domain::Timestamp {
        self.0.occurred_at
    }
}
