use super::context::{broker, service, viewer};
use super::errors::ApiResult;
use super::types::GroupEventObject;
use crate::domain::event::{DomainEvent, EventKind};
use crate::domain::{GroupId, UserId};
use async_graphql::{Context, Subscription, ID};
use futures_util::stream::{self, Stream};
use std::sync::Arc;
use tokio::sync::broadcast::{error::RecvError, Receiver};

#[derive(Default)]
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// Everything that happens in a group, live. Members only; the stream
    /// completes after the event that ends the viewer's membership.
    async fn group_events(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = GroupEventObject>> {
        Ok(open(ctx, &group_id).await?)
    }
}

async fn open(ctx: &Context<'_>, group_id: &ID) -> ApiResult<impl Stream<Item = GroupEventObject>> {
    let viewer = viewer(ctx)?.clone();
    let group = GroupId::parse(group_id)?;
    // Listen before checking, so nothing between check and listen is missed.
    let receiver = broker(ctx)?.subscribe(&group);
    service(ctx)?
        .authorize_subscription(&viewer, &group)
        .await?;
    Ok(events(receiver, viewer))
}

/// Whether `event` ends `viewer`'s membership (the last event they see).
fn ends_membership(event: &DomainEvent, viewer: &UserId) -> bool {
    event.kind == EventKind::MembershipChanged
        && event
            .membership
            .as_ref()
            .is_some_and(|m| &m.user_id == viewer && !m.is_member())
}

fn events(
    receiver: Receiver<Arc<DomainEvent>>,
    viewer: UserId,
) -> impl Stream<Item = GroupEventObject> {
    stream::unfold(Some(receiver), move |receiver| {
        let viewer = viewer.clone();
        async move {
            let mut receiver = receiver?;
            loop {
                match receiver.recv().await {
                    Ok(event) if ends_membership(&event, &viewer) => {
                        return Some((GroupEventObject(event), None));
                    }
                    Ok(event) => return Some((GroupEventObject(event), Some(receiver))),
                    // A slow client skipped events; it catches up by cursor.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                }
            }
        }
    })
}
