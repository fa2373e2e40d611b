//! GraphQL over WebSocket: the `graphql-transport-ws` protocol
//! ([`protocol`]) and the one rule for turning an operation's results into
//! its frames, used by the local socket, the `ws` Lambda and `deliver`.

pub mod protocol;
pub mod replay;

use super::errors::fill_codes;
use super::ChorusSchema;
use futures_util::stream::{self, BoxStream, StreamExt};
use protocol::ServerMessage;

/// The frames of one operation: a `next` per result and `complete` at the
/// end; or a lone `error` when the operation fails before producing any
/// data (syntax, validation, authorization of a subscription).
pub fn operation(
    schema: &ChorusSchema,
    id: String,
    request: async_graphql::Request,
) -> BoxStream<'static, ServerMessage> {
    let results = schema.execute_stream(request);
    let state = (results, id, true);
    stream::unfold(Some(state), |state| async move {
        let (mut results, id, first) = state?;
        let Some(mut response) = results.next().await else {
            return Some((ServerMessage::Complete { id }, None));
        };
        fill_codes(&mut response.errors);
        if first && response.data == async_graphql::Value::Null && response.is_err() {
            let payload = serde_json::to_value(&response.errors).unwrap_or_default();
            return Some((ServerMessage::Error { id, payload }, None));
        }
        let payload = serde_json::to_value(&response).unwrap_or_default();
        let next = ServerMessage::Next {
            id: id.clone(),
            payload,
        };
        Some((next, Some((results, id, false))))
    })
    .boxed()
}
