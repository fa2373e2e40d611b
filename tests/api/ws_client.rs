//! A `graphql-transport-ws` client for the tests, over a real socket.

use crate::helpers::{token, TestApp};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message as Frame;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub struct Ws(Socket);

pub const EVENTS: &str =
    "subscription($g: ID!) { groupEvents(groupId: $g) { id occurredAt type groupId cursor
    message { id body author { id } } membership { state user { id } } } }";

impl Ws {
    /// The upgrade request asking for `graphql-transport-ws`.
    fn request(app: &TestApp) -> tokio_tungstenite::tungstenite::handshake::client::Request {
        let mut request = format!("ws://{}/graphql", app.addr)
            .into_client_request()
            .unwrap();
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        request
    }

    /// Opens a socket speaking `graphql-transport-ws`, without initialising.
    pub async fn open(app: &TestApp) -> Self {
        let (socket, response) = tokio_tungstenite::connect_async(Self::request(app))
            .await
            .unwrap();
        assert_eq!(
            response.headers()["sec-websocket-protocol"],
            "graphql-transport-ws"
        );
        Self(socket)
    }

    /// Opens a socket over an already connected stream.
    pub async fn over(app: &TestApp, stream: tokio::net::TcpStream) -> Self {
        let stream = tokio_tungstenite::MaybeTlsStream::Plain(stream);
        let (socket, _) = tokio_tungstenite::client_async(Self::request(app), stream)
            .await
            .unwrap();
        Self(socket)
    }

    /// The socket itself, to send frames the protocol would not.
    pub fn raw(&mut self) -> &mut Socket {
        &mut self.0
    }

    /// Opens and initialises a connection as `user`.
    pub async fn connect(app: &TestApp, user: &str) -> Self {
        let mut ws = Self::open(app).await;
        ws.send(json!({"type": "connection_init", "payload": {"authorization": format!("Bearer {}", token(user))}})).await;
        assert_eq!(ws.recv().await["type"], "connection_ack");
        ws
    }

    pub async fn send(&mut self, message: Value) {
        self.0.send(Frame::text(message.to_string())).await.unwrap();
    }

    /// The next protocol message (or a `{"close": code}` marker).
    pub async fn recv(&mut self) -> Value {
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(5), self.0.next())
                .await
                .expect("no message within 5 s")
                .expect("socket ended");
            match frame {
                Ok(Frame::Text(text)) => return serde_json::from_str(&text).unwrap(),
                Ok(Frame::Close(close)) => {
                    return json!({ "close": close.map(|c| u16::from(c.code)) })
                }
                Err(err) => return json!({ "close": null, "error": err.to_string() }),
                Ok(_) => continue,
            }
        }
    }

    pub async fn subscribe(&mut self, id: &str, group: &str) {
        self.send(json!({"id": id, "type": "subscribe", "payload": {"query": EVENTS, "variables": {"g": group}}})).await;
    }
}
