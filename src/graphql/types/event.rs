use super::{
    load_related, GroupEventType, MembershipObject, MessageObject, ReactionObject, UserObject,
};
use crate::domain::event::DomainEvent;
use crate::domain::typing::Typing;
use crate::graphql::errors::ApiResult;
use async_graphql::{Context, Object, ID};
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

    /// For `TYPING`: who types where, until when.
    async fn typing(&self) -> Option<TypingIndicatorObject> {
        self.0.typing.clone().map(TypingIndicatorObject)
    }

    /// The message's cursor in its parent's connection.
    async fn cursor(&self) -> Option<&str> {
        self.0.cursor.as_deref()
    }

    async fn occurred_at(&self) -> crate::domain::Timestamp {
        self.0.occurred_at
    }
}

/// Someone typing (or stopped) in a group. Drop it at `expiresAt` unless
/// another comes.
pub struct TypingIndicatorObject(pub Typing);

#[Object(name = "TypingIndicator")]
impl TypingIndicatorObject {
    async fn user(&self, ctx: &Context<'_>) -> ApiResult<UserObject> {
        load_related(ctx, self.0.user_id.clone(), "user")
            .await
            .map(UserObject)
    }

    async fn typing(&self) -> bool {
        self.0.typing
    }

    /// The message replied to; null at the top of the group.
    async fn parent_id(&self) -> Option<ID> {
        self.0.parent_id.as_ref().map(|id| ID(id.to_string()))
    }

    async fn expires_at(&self) -> crate::domain::Timestamp {
        self.0.expires_at
    }
}
