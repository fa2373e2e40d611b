//! How a subscription is served, on both paths: [`check`]ed once at
//! `subscribe` (the `Check` source), then, for each event, its document
//! executed against the event (the `Replay` source) and sent under the
//! subscription's id. The local socket and the `ws` Lambda check this way;
//! the local socket and `deliver` replay this way. A document whose answer is the same for every
//! member (`member_view`) runs once per event, not once per subscription:
//! [`SharedAnswers`] keeps that one answer for the others.

use super::protocol::{ServerMessage, SubscribePayload};
use super::{operation, ChorusSchema};
use crate::domain::event::DomainEvent;
use crate::domain::ids::EventId;
use crate::domain::{GroupId, UserId};
use crate::graphql::{EventSource, Viewer};
use async_graphql::parser::types::ExecutableDocument;
use futures_util::StreamExt;
use lru::LruCache;
use parking_lot::Mutex;
use std::num::NonZeroUsize;
use std::sync::Arc;
use tokio::sync::OnceCell;

/// Checks a `subscribe` whose operation is a subscription: runs it once
/// with [`EventSource::Check`] (validation and authorization, for the
/// viewer in `request`'s data). `Ok` with the group it names at its root
/// (`group`, read from the document by `subscribed_group`) when it is
/// allowed; otherwise the frames to send instead (its `error`, or the
/// refusal of a group not named at the root).
pub async fn check(
    schema: &ChorusSchema,
    id: &str,
    request: async_graphql::Request,
    group: Option<GroupId>,
) -> Result<GroupId, Vec<ServerMessage>> {
    let request = request.data(EventSource::Check);
    let frames: Vec<ServerMessage> = operation(schema, id.to_owned(), request).collect().await;
    if !matches!(frames.as_slice(), [ServerMessage::Complete { .. }]) {
        return Err(frames);
    }
    group.ok_or_else(|| vec![ServerMessage::group_not_named(id.to_owned())])
}

/// What a subscription's document makes of an event: a result (`next`) or
/// a refusal (`error`: the subscription is no longer allowed), each as the
/// JSON of its payload, made once and copied into every frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Next(Arc<str>),
    Error(Arc<str>),
}

/// Executes `payload` for `user` against `event`: `None` when the event is
/// not the subscribed group's. `known_member`: the caller knows the user is a
/// member (the store is not asked again). `document`: the payload's query,
/// parsed once by the caller.
pub async fn answer(
    schema: &ChorusSchema,
    event: &Arc<DomainEvent>,
    user: &UserId,
    payload: &SubscribePayload,
    known_member: bool,
    document: Option<&ExecutableDocument>,
) -> Option<Answer> {
    let source = EventSource::Replay {
        event: event.clone(),
        known_member,
    };
    let mut request = payload
        .to_request()
        .data(Viewer(Some(user.clone())))
        .data(source);
    if let Some(document) = document {
        request.set_parsed_query(document.clone());
    }
    let json = |payload: &serde_json::Value| Arc::from(payload.to_string());
    match operation(schema, String::new(), request).next().await {
        Some(ServerMessage::Next { payload, .. }) => Some(Answer::Next(json(&payload))),
        Some(ServerMessage::Error { payload, .. }) => Some(Answer::Error(json(&payload))),
        _ => None,
    }
}

/// The frames subscription `id` of `user` is sent for an event, as JSON:
/// its answer, then `complete` when the event ends the user's membership.
/// `true` when the subscription is over.
pub fn frames(
    answer: Option<&Answer>,
    event: &DomainEvent,
    user: &UserId,
    id: &str,
) -> (Vec<String>, bool) {
    let quoted = serde_json::to_string(id).unwrap_or_default();
    let frame = |kind: &str, payload: &str| {
        format!(r#"{{"type":"{kind}","id":{quoted},"payload":{payload}}}"#)
    };
    match answer {
        Some(Answer::Next(payload)) if event.ends_membership_of(user) => {
            let complete = ServerMessage::Complete { id: id.into() };
            (vec![frame("next", payload), complete.to_json()], true)
        }
        Some(Answer::Next(payload)) => (vec![frame("next", payload)], false),
        Some(Answer::Error(payload)) => (vec![frame("error", payload)], true),
        None => (Vec::new(), false),
    }
}

/// What makes two subscriptions' results one (for documents the same for
/// every member, held by members): document, operation, variables.
pub type ShareKey = (String, Option<String>, String);

pub fn share_key(payload: &SubscribePayload) -> ShareKey {
    let variables = payload.variables.as_ref().map(ToString::to_string);
    (
        payload.query.clone(),
        payload.operation_name.clone(),
        variables.unwrap_or_default(),
    )
}

type Cell = Arc<OnceCell<Option<Answer>>>;

/// The answers of recent events to shared documents: the first
/// subscription to need one executes it, the others wait for it and copy
/// it. Bounded (least recently used goes first): a subscription that finds
/// its answer gone executes its own, which is only slower.
pub struct SharedAnswers {
    cells: Mutex<LruCache<(EventId, ShareKey), Cell>>,
}

impl SharedAnswers {
    pub fn new(capacity: usize) -> Self {
        let capacity = NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN);
        Self {
            cells: Mutex::new(LruCache::new(capacity)),
        }
    }

    /// The answer of `event` under `key`, running `run` if no one has.
    pub async fn get_or_run(
        &self,
        event: &EventId,
        key: ShareKey,
        run: impl std::future::Future<Output = Option<Answer>>,
    ) -> Option<Answer> {
        let cell = self
            .cells
            .lock()
            .get_or_insert((event.clone(), key), Cell::default)
            .clone();
        cell.get_or_init(|| run).await.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_shared_answer_runs_once_per_event_and_key() {
        let answers = SharedAnswers::new(8);
        let runs = std::sync::atomic::AtomicUsize::new(0);
        let run = || async {
            runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Some(Answer::Next(Arc::from("{}")))
        };
        let key = |q: &str| (q.to_owned(), None, String::new());
        let (one, two) = (EventId::generate(), EventId::generate());
        for _ in 0..3 {
            answers.get_or_run(&one, key("a"), run()).await;
        }
        answers.get_or_run(&one, key("b"), run()).await;
        answers.get_or_run(&two, key("a"), run()).await;
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 3);
    }

    #[test]
    fn a_shared_answer_is_sent_under_each_subscriptions_own_id() {
        let event: DomainEvent = serde_json::from_value(serde_json::json!({
            "id": EventId::generate(),
            "type": "MESSAGE_POSTED",
            "groupId": "g_a",
            "occurredAt": "2026-01-01T00:00:00Z",
        }))
        .unwrap();
        let user = UserId::parse("ann").unwrap();
        let next = Answer::Next(Arc::from(r#"{"data":{}}"#));
        assert_eq!(
            frames(Some(&next), &event, &user, "sub-2"),
            (
                vec![r#"{"type":"next","id":"sub-2","payload":{"data":{}}}"#.to_owned()],
                false
            )
        );
        let error = Answer::Error(Arc::from(r#"[{"message":"no"}]"#));
        assert_eq!(
            frames(Some(&error), &event, &user, "x\""),
            (
                vec![r#"{"type":"error","id":"x\"","payload":[{"message":"no"}]}"#.to_owned()],
                true
            )
        );
        assert_eq!(frames(None, &event, &user, "x"), (Vec::new(), false));
    }
}
