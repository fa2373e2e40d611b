//! The local server's WebSocket endpoint: `graphql-transport-ws` over an
//! axum socket, with subscriptions executed by the schema in process.

use super::AppState;
use crate::delivery::websocket::protocol::{
    self, ClientMessage, Close, ServerMessage, SubscribePayload, MAX_MESSAGE_BYTES, SUBPROTOCOL,
};
use crate::graphql::errors::fill_codes;
use crate::graphql::Viewer;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

/// How long a client may take to send `connection_init`.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);

pub fn upgrade(state: AppState, upgrade: WebSocketUpgrade) -> Response {
    upgrade
        .protocols([SUBPROTOCOL])
        .max_message_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| serve(state, socket))
}

/// What subscription tasks hand back to the socket loop.
enum Outgoing {
    Send(ServerMessage),
    Finished(String),
}

struct Connection {
    state: AppState,
    init_seen: bool,
    viewer: Option<Viewer>,
    subscriptions: HashMap<String, AbortHandle>,
    outgoing: mpsc::Sender<Outgoing>,
}

async fn serve(state: AppState, socket: WebSocket) {
    let (mut sink, mut incoming) = socket.split();
    let (outgoing, mut results) = mpsc::channel(256);
    let mut conn = Connection {
        state,
        init_seen: false,
        viewer: None,
        subscriptions: HashMap::new(),
        outgoing,
    };
    let deadline = tokio::time::sleep(INIT_TIMEOUT);
    tokio::pin!(deadline);
    let close = loop {
        let step = tokio::select! {
            () = &mut deadline, if !conn.init_seen => Err(Close::InitTimeout),
            Some(out) = results.recv() => match out {
                Outgoing::Send(message) => Ok(Some(message)),
                Outgoing::Finished(id) => {
                    conn.subscriptions.remove(&id);
                    Ok(None)
                }
            },
            frame = incoming.next() => match frame {
                Some(Ok(Message::Text(text))) => conn.handle(text.as_str()).await,
                Some(Ok(Message::Binary(_))) => Err(Close::BadRequest("Binary frames are not supported".into())),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => Ok(None),
                Some(Ok(Message::Close(_)) | Err(_)) | None => break None,
            },
        };
        match step {
            Ok(Some(message)) => {
                if sink.send(Message::text(message.to_json())).await.is_err() {
                    break None;
                }
            }
            Ok(None) => {}
            Err(close) => break Some(close),
        }
    };
    for handle in conn.subscriptions.values() {
        handle.abort();
    }
    if let Some(close) = close {
        let frame = CloseFrame {
            code: close.code(),
            reason: close.reason().into(),
        };
        let _ = sink.send(Message::Close(Some(frame))).await;
    }
}

impl Connection {
    async fn handle(&mut self, text: &str) -> Result<Option<ServerMessage>, Close> {
        match protocol::parse(text)? {
            ClientMessage::ConnectionInit { payload } => {
                if std::mem::replace(&mut self.init_seen, true) {
                    return Err(Close::TooManyInit);
                }
                let credential = protocol::credential(payload.as_ref());
                let viewer = self
                    .state
                    .viewer(credential)
                    .await
                    .map_err(|_| Close::Forbidden)?;
                self.viewer = Some(viewer);
                Ok(Some(ServerMessage::ConnectionAck))
            }
            ClientMessage::Ping { .. } => Ok(Some(ServerMessage::Pong { payload: None })),
            ClientMessage::Pong { .. } => Ok(None),
            ClientMessage::Subscribe { id, payload } => {
                let viewer = self.viewer.clone().ok_or(Close::Unauthorized)?;
                if self.subscriptions.contains_key(&id) {
                    return Err(Close::SubscriberExists(id));
                }
                let handle = self.start(id.clone(), payload, viewer);
                self.subscriptions.insert(id, handle);
                Ok(None)
            }
            ClientMessage::Complete { id } => {
                if let Some(handle) = self.subscriptions.remove(&id) {
                    handle.abort();
                }
                Ok(None)
            }
        }
    }

    /// Runs one operation, forwarding its results until it ends.
    fn start(&self, id: String, payload: SubscribePayload, viewer: Viewer) -> AbortHandle {
        let mut request = async_graphql::Request::new(payload.query).data(viewer);
        if let Some(name) = payload.operation_name {
            request = request.operation_name(name);
        }
        if let Some(variables) = payload.variables {
            request = request.variables(async_graphql::Variables::from_json(variables));
        }
        let mut results = self.state.schema.execute_stream(request);
        let out = self.outgoing.clone();
        let task = tokio::spawn(async move {
            let mut first = true;
            while let Some(mut response) = results.next().await {
                fill_codes(&mut response.errors);
                let failed_at_start =
                    first && response.data == async_graphql::Value::Null && response.is_err();
                let message = if failed_at_start {
                    let payload = serde_json::to_value(&response.errors).unwrap_or_default();
                    ServerMessage::Error {
                        id: id.clone(),
                        payload,
                    }
                } else {
                    let payload = serde_json::to_value(&response).unwrap_or_default();
                    ServerMessage::Next {
                        id: id.clone(),
                        payload,
                    }
                };
                first = false;
                if out.send(Outgoing::Send(message)).await.is_err() || failed_at_start {
                    let _ = out.send(Outgoing::Finished(id)).await;
                    return;
                }
            }
            let _ = out
                .send(Outgoing::Send(ServerMessage::Complete { id: id.clone() }))
                .await;
            let _ = out.send(Outgoing::Finished(id)).await;
        });
        task.abort_handle()
    }
}
