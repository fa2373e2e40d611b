//! GraphQL wrappers of domain values (the domain stays free of GraphQL).

mod account;
mod attachment;
mod bot;
mod enums;
mod event;
mod group;
mod hook;
mod membership;
mod message;
mod moderation;
mod reaction;
mod reading;
mod report;
mod search;
mod thread;
mod user;
mod webhook;

pub use account::DataExportObject;
pub use attachment::{AttachmentObject, UploadTicketObject};
pub use bot::{BotObject, BotWithKeyObject};
pub use enums::{
    DevicePlatformGql, GroupEventType, MembershipStateGql, NotificationLevelGql, RoleGql,
    VisibilityGql,
};
pub use event::GroupEventObject;
pub use group::{GroupConnection, GroupObject};
pub use hook::{BaseUrl, IncomingWebhookObject, IncomingWebhookWithUrlObject};
pub use membership::{MembershipConnection, MembershipObject};
pub use message::{MessageConnection, MessageObject};
pub use moderation::{ModerationEntryConnection, ModerationEntryObject};
pub use reaction::{ReactionConnection, ReactionObject, ReactionSummaryObject};
pub use reading::UnreadSummaryObject;
pub use report::{
    ReportActionGql, ReportConnection, ReportObject, ReportReasonGql, ReportStateGql,
};
pub use search::{MessageSearchConnectionObject, MessageSearchEdgeObject};
pub use thread::ThreadSummaryObject;
pub use user::{DeviceObject, PushSubscriptionObject, UserObject};
pub use webhook::{
    WebhookDeliveryConnection, WebhookDeliveryObject, WebhookEventTypeGql, WebhookObject,
    WebhookWithSecretObject,
};

use super::context::loader;
use super::errors::ApiResult;
use crate::domain::DomainError;
use async_graphql::Context;

/// Loads a related object that must exist (a dangling reference is an
/// internal error, not a client's problem).
async fn load_related<K, V>(ctx: &Context<'_>, key: K, what: &'static str) -> ApiResult<V>
where
    K: Send + Sync + Clone + Eq + std::hash::Hash + 'static,
    V: Send + Sync + Clone + 'static,
    super::loaders::StoreLoader:
        async_graphql::dataloader::Loader<K, Value = V, Error = std::sync::Arc<DomainError>>,
{
    loader(ctx)?.load_one(key).await?.ok_or_else(|| {
        DomainError::Internal(format!("dangling reference to a {what}").into()).into()
    })
}

/// The users of `ids`, in that order (one batched load; a dangling id is
/// left out).
async fn users_in_order(
    ctx: &Context<'_>,
    ids: &[crate::domain::UserId],
) -> ApiResult<Vec<UserObject>> {
    let mut users = loader(ctx)?.load_many(ids.iter().cloned()).await?;
    Ok(ids
        .iter()
        .filter_map(|id| users.remove(id))
        .map(UserObject)
        .collect())
}

/// Query complexity of a connection field: its page size times the cost of
/// one node, so `first: 100` nested three deep is refused, not executed.
pub fn page_cost(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    let size = first
        .or(last)
        .map_or(crate::domain::page::DEFAULT_PAGE_SIZE, |n| {
            n.clamp(1, 100) as usize
        });
    size.saturating_mul(child_complexity).saturating_add(1)
}

/// Query complexity of a plain list field of at most `size` items.
pub fn list_cost(size: i32, child_complexity: usize) -> usize {
    (size.clamp(1, 100) as usize)
        .saturating_mul(child_complexity)
        .saturating_add(1)
}
