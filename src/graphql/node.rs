//! Relay's object identification: `interface Node`, `node(id:)` and
//! `nodes(ids:)`. Every id already says what it names by its prefix (`g_`
//! groups, `m_` messages, `ms_` memberships, `b_` bots, `ih_`
//! incoming webhooks, `wh_` webhooks, `rx_` reactions, `at_` attachments, `rp_` reports); anything else
//! is a user id,
//! which comes from the identity provider's `sub`. An id that names nothing
//! the viewer may see is `null`, never an error, so a client cannot tell a
//! hidden object from an absent one.

use super::context::{loader, service, viewer};
use super::errors::ApiResult;
use super::types::{
    AttachmentObject, BotObject, GroupObject, IncomingWebhookObject, MembershipObject,
    MessageObject, ReactionObject, ReportObject, UserObject, WebhookObject,
};
use crate::domain::ids::{parse_membership_id, BotId, HookId, ReportId, WebhookId};
use crate::domain::{AttachmentId, DomainError, DomainResult, GroupId, MessageId, UserId};
use async_graphql::{Context, Interface, ID};

/// Most ids one `nodes` call takes.
pub const MAX_NODES: usize = 100;

/// An object with a globally unique id, refetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    User(UserObject),
    Group(GroupObject),
    Message(MessageObject),
    Membership(MembershipObject),
    Bot(BotObject),
    IncomingWebhook(IncomingWebhookObject),
    Webhook(WebhookObject),
    Reaction(ReactionObject),
    Attachment(AttachmentObject),
    Report(ReportObject),
}

/// The object `raw` names, if the viewer may see it.
pub async fn node(ctx: &Context<'_>, raw: &str) -> ApiResult<Option<Node>> {
    let viewer = viewer(ctx)?;
    let service = service(ctx)?;
    if let Some((group, user)) = parse_membership_id(raw) {
        let found = hidden_as_absent(service.membership(viewer, &group, &user).await)?;
        return Ok(found.map(|m| Node::Membership(MembershipObject(m))));
    }
    let found = if raw.starts_with("g_") {
        let id = GroupId::parse(raw)?;
        hidden_as_absent(service.group(viewer, &id).await)?.map(|g| Node::Group(GroupObject(g)))
    } else if raw.starts_with("m_") {
        let id = MessageId::parse(raw)?;
        hidden_as_absent(service.message(viewer, &id).await)?
            .map(|m| Node::Message(MessageObject(m)))
    } else if raw.starts_with("ih_") {
        let id = HookId::parse(raw)?;
        let found = service.incoming_webhook(viewer, &id).await?;
        found.map(|b| Node::IncomingWebhook(IncomingWebhookObject(b)))
    } else if raw.starts_with("wh_") {
        let id = WebhookId::parse(raw)?;
        let found = service.webhook(viewer, &id).await?;
        found.map(|w| Node::Webhook(WebhookObject(w)))
    } else if raw.starts_with("rx_") {
        let found = hidden_as_absent(service.reaction(viewer, raw).await)?;
        found.map(|r| Node::Reaction(ReactionObject(r)))
    } else if raw.starts_with("at_") {
        let id = AttachmentId::parse(raw)?;
        let found = service.attachment(viewer, &id).await?;
        found.map(|a| Node::Attachment(AttachmentObject(a)))
    } else if raw.starts_with("rp_") {
        let id = ReportId::parse(raw)?;
        let found = hidden_as_absent(service.report(viewer, &id).await)?;
        found.map(|r| Node::Report(ReportObject(r)))
    } else if raw.starts_with("b_") {
        let id = BotId::parse(raw)?;
        service
            .bot(viewer, &id)
            .await?
            .map(|b| Node::Bot(BotObject(b)))
    } else {
        None
    };
    if found.is_some() {
        return Ok(found);
    }
    // Users are visible to every signed-in user: authors and members are
    // shown by name wherever they appear.
    let Ok(user) = UserId::parse(raw) else {
        return Ok(None);
    };
    let user = loader(ctx)?.load_one(user).await?;
    Ok(user.map(|u| Node::User(UserObject(u))))
}

/// `None` for what the viewer may not read, as for what does not exist.
fn hidden_as_absent<T>(result: DomainResult<Option<T>>) -> DomainResult<Option<T>> {
    match result {
        Err(DomainError::Forbidden(_) | DomainError::NotFound(_)) => Ok(None),
        other => other,
    }
}

/// `nodes(ids:)`: one entry per id, in order.
pub async fn nodes(ctx: &Context<'_>, ids: &[ID]) -> ApiResult<Vec<Option<Node>>> {
    if ids.len() > MAX_NODES {
        let msg = format!("`ids` takes at most {MAX_NODES} ids");
        return Err(DomainError::invalid(msg).into());
    }
    let lookups = ids.iter().map(|id| node(ctx, id.as_str()));
    futures_util::future::try_join_all(lookups).await
}
