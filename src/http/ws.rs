//! GraphQL subscriptions over WebSocket (`graphql-transport-ws`, and the
//! legacy `graphql-ws` for old clients). Credentials come in the
//! `connection_init` payload: `{"authorization": "Bearer <token>"}` or
//! `{"token": "<token>"}`; a bad one closes the socket with 4403.

use super::AppState;
use crate::graphql::errors::ApiError;
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::Data;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::ws::WebSocketUpgrade;
use axum::response::Response;

pub fn upgrade(state: AppState, protocol: GraphQLProtocol, upgrade: WebSocketUpgrade) -> Response {
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let schema = state.schema.clone();
            GraphQLWebSocket::new(socket, schema, protocol)
                .on_connection_init(move |payload| async move { init(&state, &payload).await })
                .serve()
        })
}

async fn init(state: &AppState, payload: &serde_json::Value) -> async_graphql::Result<Data> {
    let credential = ["authorization", "Authorization", "token"]
        .iter()
        .find_map(|key| payload.get(key).and_then(|v| v.as_str()));
    let viewer = state
        .viewer(credential)
        .await
        .map_err(|e| async_graphql::Error::from(ApiError::from(e)))?;
    let mut data = Data::default();
    data.insert(viewer);
    Ok(data)
}
