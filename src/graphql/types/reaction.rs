use super::{load_related, MessageObject, UserObject};
use crate::domain::reaction::{Reaction, ReactionCount};
use crate::domain::Timestamp;
use crate::graphql::context::{loader, viewer};
use crate::graphql::errors::ApiResult;
use crate::graphql::loaders::HeldKey;
use crate::graphql::pagination::connection_type;
use async_graphql::{Context, Object, ID};

pub struct ReactionObject(pub Reaction);

connection_type!(ReactionConnection, ReactionEdge, ReactionObject);

/// One user's reaction to a message.
#[Object(name = "Reaction")]
impl ReactionObject {
    pub async fn id(&self) -> ID {
        ID(self.0.id())
    }

    async fn key(&self) -> &str {
        &self.0.key
    }

    async fn user(&self, ctx: &Context<'_>) -> ApiResult<UserObject> {
        load_related(ctx, self.0.user_id.clone(), "user")
            .await
            .map(UserObject)
    }

    async fn message(&self, ctx: &Context<'_>) -> ApiResult<MessageObject> {
        load_related(ctx, self.0.message_id.clone(), "message")
            .await
            .map(MessageObject)
    }

    /// When it was added (for `REACTION_REMOVED`, when the removed reaction
    /// had been added).
    async fn created_at(&self) -> Timestamp {
        self.0.created_at
    }
}

/// How many hold one key on a message, and whether the viewer does.
pub struct ReactionSummaryObject {
    pub count: ReactionCount,
    pub message: crate::domain::MessageId,
}

#[Object(name = "ReactionSummary")]
impl ReactionSummaryObject {
    /// One emoji or a `:shortcode:`.
    async fn key(&self) -> &str {
        &self.count.key
    }

    async fn count(&self) -> i32 {
        i32::try_from(self.count.count).unwrap_or(i32::MAX)
    }

    /// Read for a whole page of messages at once.
    async fn viewer_reacted(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let key = HeldKey(viewer(ctx)?.clone(), self.message.clone());
        let held = loader(ctx)?.load_one(key).await?;
        Ok(held.is_some_and(|keys| keys.contains(&self.count.key)))
    }
}
