use super::context::{service, viewer};
use super::errors::{ApiError, ApiResult};
use super::types::GroupEventObject;
use crate::delivery::broker::Broker;
use crate::domain::event::{DomainEvent, EventKind};
use crate::domain::{DomainError, GroupId, UserId};
use async_graphql::{Context, Subscription, ID};
use futures_util::stream::{self, BoxStream, Stream, StreamExt};
use parking_lot::Mutex;
use std::sync::Arc;
use tokio::sync::broadcast::{error::RecvError, Receiver};

/// Where `groupEvents` takes its events from. One resolver serves the
/// local server and the Lambdas; only the source differs.
#[derive(Clone)]
pub enum EventSource {
    /// The local server: live events from the in-process broker.
    Live(Arc<Broker>),
    /// A delivery Lambda: the one event being delivered to a stored
    /// subscription (yielded if it belongs to the subscribed group).
    Replay(Arc<DomainEvent>),
    /// The WebSocket Lambda at `subscribe`: checks the subscription and
    /// records its group, yielding nothing.
    Probe(Arc<Mutex<Option<GroupId>>>),
}

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

async fn open(ctx: &Context<'_>, group_id: &ID) -> ApiResult<BoxStream<'static, GroupEventObject>> {
    let viewer = viewer(ctx)?.clone();
    let group = GroupId::parse(group_id)?;
    let service = service(ctx)?;
    let source = ctx.data_opt::<EventSource>().ok_or_else(|| {
        ApiError::from(DomainError::invalid(
            "subscriptions are served over WebSocket",
        ))
    })?;
    match source {
        EventSource::Live(broker) => {
            // Listen before checking, so nothing between check and listen is missed.
            let receiver = broker.subscribe(&group);
            service.authorize_subscription(&viewer, &group).await?;
            Ok(events(receiver, viewer).boxed())
        }
        EventSource::Replay(event) => {
            // The member who just left still hears of it, as locally.
            if !ends_membership(event, &viewer) {
                service.authorize_subscription(&viewer, &group).await?;
            }
            let matching = (event.group_id == group).then(|| GroupEventObject(event.clone()));
            Ok(stream::iter(matching).boxed())
        }
        EventSource::Probe(slot) => {
            service.authorize_subscription(&viewer, &group).await?;
            *slot.lock() = Some(group);
            Ok(stream::empty().boxed())
        }
    }
}

/// Whether `event` ends `viewer`'s membership (the last event they see).
pub fn ends_membership(event: &DomainEvent, viewer: &UserId) -> bool {
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
