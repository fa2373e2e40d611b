//! Reactions through the API: the mutations, the message's summaries and
//! reactors, the global id, and the events a socket hears.

use crate::helpers::spawn_app;
use crate::ws_client::Ws;
use serde_json::{json, Value};
use std::time::Duration;

const ADD: &str = "mutation($m: ID!, $k: String!) { addReaction(messageId: $m, key: $k) {
    id reactions { key count viewerReacted } } }";
const REMOVE: &str = "mutation($m: ID!, $k: String!) { removeReaction(messageId: $m, key: $k) {
    id reactions { key count viewerReacted } } }";
const READ: &str = "query($m: ID!) { node(id: $m) { ... on Message {
    reactions { key count viewerReacted }
    reactors(key: \"👍\", first: 10) { edges { cursor node { id key user { id } } } pageInfo { hasNextPage } } } } }";

#[tokio::test]
async fn members_react_and_everyone_sees_counts_with_their_own_mark() {
    let app = spawn_app().await;
    let (alice, bob, eve) = (app.user("alice"), app.user("bob"), app.user("eve"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    let m = alice.post(&g, "lunch?").await;
    let added = bob.ok(ADD, json!({"m": m, "k": "👍"})).await;
    assert_eq!(
        added["addReaction"]["reactions"],
        json!([{"key": "👍", "count": 1, "viewerReacted": true}])
    );
    alice.ok(ADD, json!({"m": m, "k": "👍"})).await;
    alice.ok(ADD, json!({"m": m, "k": ":tada:"})).await;
    let seen = bob.ok(READ, json!({"m": m})).await;
    assert_eq!(
        seen["node"]["reactions"],
        json!([
            {"key": "👍", "count": 2, "viewerReacted": true},
            {"key": ":tada:", "count": 1, "viewerReacted": false},
        ])
    );
    let reactors = &seen["node"]["reactors"]["edges"];
    assert_eq!(reactors[0]["node"]["user"]["id"], "bob");
    assert_eq!(reactors[1]["node"]["user"]["id"], "alice");
    // A reaction is a node, refetchable by its id.
    let id = reactors[0]["node"]["id"].as_str().unwrap();
    let node = bob
        .ok(
            "query($id: ID!) { node(id: $id) { id ... on Reaction { key message { id } } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(node["node"]["key"], "👍");
    assert_eq!(node["node"]["message"]["id"], m);
    // Outsiders may neither react nor read.
    assert_eq!(eve.err(ADD, json!({"m": m, "k": "👍"})).await, "FORBIDDEN");
    let hidden = eve
        .ok(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        hidden["node"],
        Value::Null,
        "hidden as absent, with no error"
    );
    // Removing, twice: the second changes nothing.
    bob.ok(REMOVE, json!({"m": m, "k": "👍"})).await;
    let again = bob.ok(REMOVE, json!({"m": m, "k": "👍"})).await;
    assert_eq!(
        again["removeReaction"]["reactions"][0],
        json!({"key": "👍", "count": 1, "viewerReacted": false})
    );
}

#[tokio::test]
async fn bad_keys_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    let m = alice.post(&g, "hi").await;
    for bad in ["1", "#", "ab", "👍👍", ":Nope:", ":has space:", ""] {
        let code = alice.err(ADD, json!({"m": m, "k": bad})).await;
        assert_eq!(code, "BAD_USER_INPUT", "{bad:?}");
    }
    let missing = alice.err(ADD, json!({"m": "m_missing", "k": "👍"})).await;
    assert_eq!(missing, "NOT_FOUND");
    let seen = alice.ok(READ, json!({"m": m})).await;
    assert_eq!(seen["node"]["reactions"], json!([]));
    alice.ok(ADD, json!({"m": m, "k": "🇫🇷"})).await;
    alice
        .ok(
            "mutation($m: ID!) { deleteMessage(id: $m) { id } }",
            json!({"m": m}),
        )
        .await;
    assert_eq!(alice.err(ADD, json!({"m": m, "k": "👍"})).await, "CONFLICT");
    let seen = alice.ok(READ, json!({"m": m})).await;
    assert_eq!(seen["node"]["reactions"], json!([]), "none once deleted");
}

const EVENTS: &str = "subscription($g: ID!) { groupEvents(groupId: $g) {
    type reaction { key user { id } } message { id reactions { key count viewerReacted } } } }";

#[tokio::test]
async fn a_socket_hears_each_change_once_with_the_new_counts() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    let m = alice.post(&g, "news").await;
    let mut ws = Ws::connect(&app, "alice").await;
    ws.send(json!({"id": "r", "type": "subscribe", "payload": {"query": EVENTS, "variables": {"g": g}}}))
        .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    bob.ok(ADD, json!({"m": m, "k": "🔥"})).await;
    bob.ok(ADD, json!({"m": m, "k": "🔥"})).await;
    bob.ok(REMOVE, json!({"m": m, "k": "👀"})).await;
    bob.ok(REMOVE, json!({"m": m, "k": "🔥"})).await;
    let added = ws.recv().await;
    let data = &added["payload"]["data"]["groupEvents"];
    assert_eq!(data["type"], "REACTION_ADDED", "{added}");
    assert_eq!(
        data["reaction"],
        json!({"key": "🔥", "user": {"id": "bob"}})
    );
    assert_eq!(
        data["message"]["reactions"],
        json!([{"key": "🔥", "count": 1, "viewerReacted": false}]),
        "the event carries the counts, marked for the socket's viewer"
    );
    let removed = ws.recv().await;
    let data = &removed["payload"]["data"]["groupEvents"];
    assert_eq!(
        data["type"], "REACTION_REMOVED",
        "repeats announce nothing: {removed}"
    );
    assert_eq!(data["message"]["reactions"], json!([]));
}
