//! WebSockets live no longer than their token and within their limits, and
//! a reader too slow to keep up is told to reconnect rather than left with
//! a silent gap.

use crate::helpers::{spawn_app_with, DEV_SECRET};
use crate::subscriptions::Ws;
use chorus::auth::dev::DevTokens;
use futures_util::SinkExt;
use serde_json::json;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message as Frame;

/// A dev token for `user` that expires `secs` from now (dev tokens live
/// 30 days from `iat`).
fn token_expiring_in(user: &str, secs: i64) -> String {
    let iat = chrono::Utc::now().timestamp() - 30 * 24 * 3600 + secs;
    DevTokens::new(DEV_SECRET.to_owned().into())
        .issue_at(user, user, iat)
        .unwrap()
}

async fn init(ws: &mut Ws, token: &str) -> serde_json::Value {
    ws.send(
        json!({"type": "connection_init", "payload": {"authorization": format!("Bearer {token}")}}),
    )
    .await;
    ws.recv().await
}

#[tokio::test]
async fn a_socket_is_closed_with_4403_when_its_token_expires() {
    let app = spawn_app_with(&[]).await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    let mut ws = Ws::open(&app).await;
    assert_eq!(
        init(&mut ws, &token_expiring_in("alice", 2)).await["type"],
        "connection_ack"
    );
    ws.subscribe("s1", &g).await;
    let closed = tokio::time::timeout(Duration::from_secs(6), async {
        loop {
            let message = ws.recv().await;
            if message.get("close").is_some() {
                return message;
            }
        }
    })
    .await
    .expect("still open 6 s after the token expired");
    assert_eq!(closed["close"], 4403);
}

#[tokio::test]
async fn subscriptions_per_socket_and_sockets_per_user_are_capped() {
    let app = spawn_app_with(&[
        ("CHORUS_MAX_SUBSCRIPTIONS_PER_SOCKET", "2"),
        ("CHORUS_MAX_SOCKETS_PER_USER", "2"),
    ])
    .await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    let mut first = Ws::connect(&app, "alice").await;
    first.subscribe("a", &g).await;
    first.subscribe("b", &g).await;
    first.subscribe("c", &g).await;
    let refused = first.recv().await;
    assert_eq!(
        (refused["type"].as_str(), refused["id"].as_str()),
        (Some("error"), Some("c")),
        "{refused}"
    );
    assert_eq!(
        refused["payload"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
    // The two that run still deliver.
    alice.post(&g, "hello").await;
    let ids: Vec<_> = [first.recv().await, first.recv().await]
        .iter()
        .map(|m| m["id"].clone())
        .collect();
    assert!(
        ids.contains(&json!("a")) && ids.contains(&json!("b")),
        "{ids:?}"
    );

    let _second = Ws::connect(&app, "alice").await;
    let mut third = Ws::open(&app).await;
    assert_eq!(
        init(&mut third, &crate::helpers::token("alice")).await["close"],
        1008
    );
    // Another user is not affected; a closed socket frees its place.
    let _bob = Ws::connect(&app, "bob").await;
    drop(first);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut again = Ws::open(&app).await;
    assert_eq!(
        init(&mut again, &crate::helpers::token("alice")).await["type"],
        "connection_ack"
    );
}

#[tokio::test]
async fn an_oversized_frame_closes_with_1009() {
    let app = spawn_app_with(&[]).await;
    let mut ws = Ws::connect(&app, "alice").await;
    ws.raw()
        .send(Frame::text("x".repeat(300 * 1024)))
        .await
        .unwrap();
    assert_eq!(ws.recv().await["close"], 1009);
}

#[tokio::test]
async fn a_reader_too_slow_to_keep_up_is_closed_with_1013_not_left_with_a_gap() {
    let app = spawn_app_with(&[
        ("CHORUS_WS_SEND_BUFFER", "4"),
        ("CHORUS_RATE_BURST", "100000"),
    ])
    .await;
    let alice = app.user("alice");
    let g = alice.create_group("Busy").await;
    // A client with a tiny receive window, so the server's buffers fill.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = socket.connect(app.addr).await.unwrap();
    let mut ws = Ws::over(&app, stream).await;
    ws.send(
        json!({"type": "connection_init", "payload": {"token": crate::helpers::token("alice")}}),
    )
    .await;
    assert_eq!(ws.recv().await["type"], "connection_ack");
    ws.subscribe("s", &g).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    // The client reads nothing while 600 large events are posted.
    let body = "y".repeat(10_000);
    for _ in 0..600 {
        alice.post(&g, &body).await;
    }
    let mut events = 0;
    let close = loop {
        let message = ws.recv().await;
        if message.get("close").is_some() {
            break message;
        }
        events += 1;
    };
    assert_eq!(close["close"], 1013, "after {events} events");
    assert!(events < 600);
}
