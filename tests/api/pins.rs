//! Pins through the API: who pins, the group's list in pin order, the
//! events, and a deleted message leaving the list.

use crate::helpers::spawn_app;
use crate::ws_client::Ws;
use serde_json::json;
use std::time::Duration;

const PIN: &str = "mutation($m: ID!) { pinMessage(id: $m) { id pinnedAt pinnedBy { id } } }";
const UNPIN: &str = "mutation($m: ID!) { unpinMessage(id: $m) { id pinnedAt pinnedBy { id } } }";
const PINS: &str =
    "query($g: ID!, $after: String) { group(id: $g) { pinnedMessages(first: 2, after: $after) {
    edges { cursor node { id body pinnedBy { id } } } pageInfo { hasNextPage endCursor } } } }";

#[tokio::test]
async fn admins_pin_members_read_the_list_in_pin_order() {
    let app = spawn_app().await;
    let (alice, bob, eve) = (app.user("alice"), app.user("bob"), app.user("eve"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    let ids: Vec<String> = post_three(&bob, &g).await;
    assert_eq!(bob.err(PIN, json!({"m": ids[0]})).await, "FORBIDDEN");
    for id in [&ids[2], &ids[0], &ids[1]] {
        let pinned = alice.ok(PIN, json!({"m": id})).await;
        assert_eq!(pinned["pinMessage"]["pinnedBy"]["id"], "alice");
    }
    let first = bob.ok(PINS, json!({"g": g})).await;
    let page = &first["group"]["pinnedMessages"];
    let bodies: Vec<&str> = page["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, vec!["m2", "m0"]);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let next = bob
        .ok(
            PINS,
            json!({"g": g, "after": page["pageInfo"]["endCursor"]}),
        )
        .await;
    assert_eq!(
        next["group"]["pinnedMessages"]["edges"][0]["node"]["body"],
        "m1"
    );
    assert_eq!(eve.err(PINS, json!({"g": g})).await, "FORBIDDEN");
    // Deleting a pinned message unpins it.
    alice
        .ok(
            "mutation($m: ID!) { deleteMessage(id: $m) { id } }",
            json!({"m": ids[2]}),
        )
        .await;
    let after = bob.ok(PINS, json!({"g": g})).await;
    assert_eq!(
        after["group"]["pinnedMessages"]["edges"][0]["node"]["body"],
        "m0"
    );
    assert_eq!(alice.err(PIN, json!({"m": ids[2]})).await, "CONFLICT");
    let unpinned = alice.ok(UNPIN, json!({"m": ids[0]})).await;
    assert_eq!(
        unpinned["unpinMessage"]["pinnedAt"],
        serde_json::Value::Null
    );
}

async fn post_three(author: &crate::helpers::Client<'_>, group: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(author.post(group, &format!("m{i}")).await);
    }
    ids
}

#[tokio::test]
async fn a_socket_hears_a_pin_and_an_unpin_once_each() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    let m = bob.post(&g, "rules").await;
    let mut ws = Ws::connect(&app, "bob").await;
    let query = "subscription($g: ID!) { groupEvents(groupId: $g) { type message { id pinnedAt pinnedBy { id } } } }";
    ws.send(
        json!({"id": "p", "type": "subscribe", "payload": {"query": query, "variables": {"g": g}}}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    alice.ok(PIN, json!({"m": m})).await;
    alice.ok(PIN, json!({"m": m})).await;
    alice.ok(UNPIN, json!({"m": m})).await;
    let pinned = ws.recv().await;
    let data = &pinned["payload"]["data"]["groupEvents"];
    assert_eq!(data["type"], "MESSAGE_PINNED", "{pinned}");
    assert_eq!(data["message"]["pinnedBy"]["id"], "alice");
    assert!(data["message"]["pinnedAt"].is_string());
    let unpinned = ws.recv().await;
    let data = &unpinned["payload"]["data"]["groupEvents"];
    assert_eq!(
        data["type"], "MESSAGE_UNPINNED",
        "the repeat announced nothing: {unpinned}"
    );
    assert_eq!(data["message"]["pinnedAt"], serde_json::Value::Null);
}
