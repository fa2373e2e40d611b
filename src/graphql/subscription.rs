use super::context::{service, viewer};
use super::errors::{ApiError, ApiResult};
use super::types::GroupEventObject;
use crate::domain::event::DomainEvent;
use crate::domain::{DomainError, GroupId};
use async_graphql::{Context, Subscription, ID};
use futures_util::stream::{self, BoxStream, Stream, StreamExt};
use std::sync::Arc;

/// Where `groupEvents` takes its events from. A subscription is checked
/// once when it starts (`Check`), then executed once per event of its group
/// (`Replay`), on the local server and on AWS alike (see
/// `graphql::ws::replay`); a request without a source is refused.
#[derive(Clone)]
pub enum EventSource {
    /// One event being delivered to a subscription (yielded if it belongs
    /// to the subscribed group). `known_member`: the caller knows the viewer as
    /// a member (the subscription was checked and its membership has not
    /// ended, or the group's audience says so), so the store is not asked
    /// again for every recipient.
    Replay {
        event: Arc<DomainEvent>,
        known_member: bool,
    },
    /// At `subscribe`: validates and authorizes the subscription, yielding
    /// nothing (its group comes from the document, see
    /// [`subscribed_group`]).
    Check,
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
        EventSource::Replay {
            event,
            known_member,
        } => {
            // The member who just left still hears of it.
            if !known_member && !event.ends_membership_of(&viewer) {
                service.authorize_subscription(&viewer, &group).await?;
            }
            let matching = (event.group_id == group).then(|| GroupEventObject(event.clone()));
            Ok(stream::iter(matching).boxed())
        }
        EventSource::Check => {
            service.authorize_subscription(&viewer, &group).await?;
            Ok(stream::empty().boxed())
        }
    }
}

/// What a request asks of `groupEvents`, read from its document without
/// running it (the parse is kept in the request for its execution): `None`
/// when the operation is not a subscription (or does not parse);
/// `Some(None)` when it is but names no group directly (as written or
/// through a variable) on a root `groupEvents` field.
pub fn subscribed_group(request: &mut async_graphql::Request) -> Option<Option<GroupId>> {
    use async_graphql::parser::types::{OperationType, Selection};
    let operation_name = request.operation_name.clone();
    let variables = request.variables.clone();
    let doc = request.parsed_query().ok()?;
    let operation = super::selected_operation(doc, operation_name.as_deref())?;
    if operation.ty != OperationType::Subscription {
        return None;
    }
    let group = operation
        .selection_set
        .node
        .items
        .iter()
        .find_map(|item| match &item.node {
            Selection::Field(field) if field.node.name.node == "groupEvents" => {
                field.node.get_argument("groupId").cloned()
            }
            _ => None,
        })
        .and_then(|value| {
            let value = value
                .node
                .into_const_with(|name| variables.get(&name).cloned().ok_or(()));
            match value {
                Ok(async_graphql::Value::String(id)) => Some(id),
                _ => None,
            }
        })
        .and_then(|id| GroupId::parse(&id).ok());
    Some(group)
}

#[cfg(test)]
mod tests {
    use super::subscribed_group;
    use async_graphql::{Request, Variables};
    use serde_json::json;

    fn group_of(
        query: &str,
        name: Option<&str>,
        vars: serde_json::Value,
    ) -> Option<Option<String>> {
        let mut request = Request::new(query).variables(Variables::from_json(vars));
        if let Some(name) = name {
            request = request.operation_name(name);
        }
        subscribed_group(&mut request).map(|g| g.map(|id| id.to_string()))
    }

    #[test]
    fn the_group_is_read_from_the_document_as_written_or_through_a_variable() {
        let g = "g_0190f5a0-0000-7000-8000-000000000000";
        let by_variable = "subscription S($g: ID!) { groupEvents(groupId: $g) { type } }";
        assert_eq!(
            group_of(by_variable, None, json!({ "g": g })),
            Some(Some(g.into()))
        );
        let literal = format!("subscription {{ groupEvents(groupId: \"{g}\") {{ type }} }}");
        assert_eq!(group_of(&literal, None, json!({})), Some(Some(g.into())));
        assert_eq!(group_of("{ me { id } }", None, json!({})), None);
        assert_eq!(group_of(by_variable, None, json!({})), Some(None));
        let named = format!("query Q {{ me {{ id }} }} {literal}");
        assert_eq!(group_of(&named, Some("Q"), json!({})), None);
    }
}
