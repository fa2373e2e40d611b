use super::{load_related, MessageObject, UserObject};
use crate::domain::thread::{Thread, RECENT_PARTICIPANTS};
use crate::domain::{DomainError, Timestamp};
use crate::graphql::context::{loader, viewer};
use crate::graphql::errors::ApiResult;
use crate::graphql::loaders::{ReadKey, TookPart};
use async_graphql::{Context, Object};

/// What a top-level message shows of the tree under it. Every field reads
/// what each reply keeps on the root (no walk of the tree).
pub struct ThreadSummaryObject(pub Thread);

#[Object(name = "ThreadSummary")]
impl ThreadSummaryObject {
    /// Every descendant, at any depth, deleted ones included
    /// (`Message.replyCount` stays direct replies).
    async fn reply_count(&self) -> i64 {
        i64::try_from(self.0.reply_count).unwrap_or(i64::MAX)
    }

    /// Distinct authors of the root and its descendants.
    async fn participant_count(&self) -> i32 {
        i32::try_from(self.0.participant_count).unwrap_or(i32::MAX)
    }

    /// The most recent participants, most recent first; `first` at most 20.
    async fn participants(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 5)] first: Option<i32>,
    ) -> ApiResult<Vec<UserObject>> {
        let wanted = usize::try_from(first.unwrap_or(5)).unwrap_or(usize::MAX);
        if !(1..=RECENT_PARTICIPANTS).contains(&wanted) {
            return Err(DomainError::invalid(format!(
                "first must be between 1 and {RECENT_PARTICIPANTS}"
            ))
            .into());
        }
        let shown = &self.0.recent[..wanted.min(self.0.recent.len())];
        super::users_in_order(ctx, shown).await
    }

    /// When the latest reply was posted; null while there is none.
    async fn last_reply_at(&self) -> Option<Timestamp> {
        self.0.last_reply_at
    }

    /// The latest reply at any depth. A reply deleted since stays the
    /// latest (its `body` is null, `deletedAt` set): the tree keeps it.
    async fn last_reply(&self, ctx: &Context<'_>) -> ApiResult<Option<MessageObject>> {
        match &self.0.last_reply_id {
            None => Ok(None),
            Some(id) => load_related(ctx, id.clone(), "message")
                .await
                .map(|m| Some(MessageObject(m))),
        }
    }

    /// Whether the viewer wrote the root or replied under it.
    async fn viewer_participated(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let key = TookPart(viewer(ctx)?.clone(), self.0.root_id.clone());
        Ok(loader(ctx)?.load_one(key).await?.is_some())
    }

    /// Whether a descendant after the viewer's read marker was written by
    /// someone else (false for a viewer who is not a member).
    async fn viewer_has_unread(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let viewer = viewer(ctx)?;
        let key = ReadKey(self.0.group_id.clone(), viewer.clone());
        let Some(state) = loader(ctx)?.load_one(key).await? else {
            return Ok(false);
        };
        Ok(self.0.unread_for(viewer, state.read_pos))
    }
}
