//! API Gateway's WebSocket API, played locally: it accepts real WebSockets,
//! turns each into `$connect` / `$default` / `$disconnect` events for the
//! `ws` handler, and serves the Management API (`POST` and `DELETE
//! /prod/@connections/{id}`) back onto those sockets, 410 for a socket
//! that is gone. What runs behind it is the Lambda code, unchanged.

use super::fixture;
use axum::body::Bytes;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chorus::lambda::ws::WsHandler;
use futures_util::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

#[derive(Clone)]
struct Gateway {
    handler: Arc<WsHandler>,
    sockets: Arc<Mutex<HashMap<String, mpsc::UnboundedSender<Message>>>>,
    next: Arc<AtomicUsize>,
}

/// A running emulator: the WebSocket URL clients use, and the Management
/// API endpoint the Lambdas are configured with.
pub struct ApiGateway {
    pub addr: SocketAddr,
}

impl ApiGateway {
    /// Binds first, so the Lambdas can be configured with the address
    /// before the handler exists.
    pub async fn bind() -> (tokio::net::TcpListener, String) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}/prod", listener.local_addr().unwrap());
        (listener, endpoint)
    }

    pub fn serve(listener: tokio::net::TcpListener, handler: WsHandler) -> Self {
        let addr = listener.local_addr().unwrap();
        let state = Gateway {
            handler: Arc::new(handler),
            sockets: Arc::default(),
            next: Arc::default(),
        };
        let router = axum::Router::new()
            .route("/", get(upgrade))
            .fallback(management)
            .with_state(state);
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Self { addr }
    }

    pub fn url(&self) -> String {
        format!("ws://{}/", self.addr)
    }
}

async fn event(state: &Gateway, name: &str, replacements: &[(&str, &str)]) -> u16 {
    let event = serde_json::from_value(fixture(name, replacements)).unwrap();
    state.handler.handle(event).await.status_code as u16
}

async fn upgrade(
    State(state): State<Gateway>,
    Query(query): Query<HashMap<String, String>>,
    ws: WebSocketUpgrade,
) -> Response {
    let id = format!("gw{}=", state.next.fetch_add(1, Ordering::Relaxed));
    // The token as a stock client sends it: `?token=` on the URL.
    let token = query.get("token").cloned().unwrap_or_default();
    let mut connect = fixture(
        "ws_connect.json",
        &[("CONNECTION", &id), ("TOKEN", "unused")],
    );
    connect["headers"]["Sec-WebSocket-Protocol"] = "graphql-transport-ws".into();
    connect["multiValueHeaders"]["Sec-WebSocket-Protocol"] =
        serde_json::json!(["graphql-transport-ws"]);
    connect["queryStringParameters"] = serde_json::json!({ "token": token });
    let connect = serde_json::from_value(connect).unwrap();
    let status = state.handler.handle(connect).await.status_code;
    if status != 200 {
        return StatusCode::from_u16(status as u16)
            .unwrap_or(StatusCode::FORBIDDEN)
            .into_response();
    }
    ws.protocols(["graphql-transport-ws"])
        .on_upgrade(move |socket| run(state, id, socket))
}

async fn run(state: Gateway, id: String, socket: WebSocket) {
    let (mut sink, mut stream) = socket.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<Message>();
    state.sockets.lock().unwrap().insert(id.clone(), tx);
    let writer = tokio::spawn(async move {
        while let Some(message) = rx.recv().await {
            let close = matches!(message, Message::Close(_));
            if sink.send(message).await.is_err() || close {
                break;
            }
        }
    });
    while let Some(Ok(message)) = stream.next().await {
        match message {
            Message::Text(body) => {
                let body = body.to_string();
                event(
                    &state,
                    "ws_message.json",
                    &[("CONNECTION", &id), ("BODY", &body)],
                )
                .await;
            }
            Message::Close(_) => break,
            _ => {}
        }
    }
    state.sockets.lock().unwrap().remove(&id);
    writer.abort();
    event(&state, "ws_disconnect.json", &[("CONNECTION", &id)]).await;
}

/// `POST` (a frame) or `DELETE` (a close) on `/prod/@connections/{id}`,
/// the path as the SDK encodes it.
async fn management(
    State(state): State<Gateway>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    let path = uri.path().replace("%40", "@").replace("%3D", "=");
    let Some(id) = path.strip_prefix("/prod/@connections/") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut sockets = state.sockets.lock().unwrap();
    let done = if method == Method::DELETE {
        sockets
            .remove(id)
            .map(|tx| tx.send(Message::Close(None)).is_ok())
    } else {
        let text = String::from_utf8_lossy(&body).into_owned();
        sockets
            .get(id)
            .map(|tx| tx.send(Message::Text(text.into())).is_ok())
    };
    gone_unless(done == Some(true))
}

fn gone_unless(ok: bool) -> Response {
    if ok {
        return StatusCode::OK.into_response();
    }
    let mut headers = HeaderMap::new();
    headers.insert("x-amzn-errortype", "GoneException".parse().unwrap());
    (StatusCode::GONE, headers, r#"{"message":"Gone"}"#).into_response()
}
