//! Live subscriptions over a real `graphql-transport-ws` exchange.

use crate::helpers::spawn_app;
use serde_json::{json, Value};
use std::time::Duration;

pub use crate::ws_client::Ws;

/// The `extensions.code` of an operation's failure, sent as `error` or as a
/// `next` carrying errors.
fn failure_code(message: &Value) -> Option<&str> {
    let errors = match message["type"].as_str() {
        Some("error") => &message["payload"],
        Some("next") => &message["payload"]["errors"],
        _ => return None,
    };
    errors[0]["extensions"]["code"].as_str()
}

#[tokio::test]
async fn a_member_receives_a_posted_message_within_milliseconds() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let bob = app.user("bob");
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    let mut ws = Ws::connect(&app, "bob").await;
    ws.subscribe("s1", &g).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let id = alice.post(&g, "hello bob").await;
    let event = ws.recv().await;
    assert_eq!(event["type"], "next", "{event}");
    assert_eq!(event["id"], "s1");
    let data = &event["payload"]["data"]["groupEvents"];
    assert_eq!(data["type"], "MESSAGE_POSTED");
    assert_eq!(
        data["message"],
        json!({"id": id, "body": "hello bob", "author": {"id": "alice"}})
    );
    assert!(data["cursor"].is_string());
    let edited = alice
        .ok(
            "mutation($m: ID!) { editMessage(id: $m, body: \"edited\") { id } }",
            json!({"m": id}),
        )
        .await;
    assert!(edited["editMessage"].is_object());
    let event = ws.recv().await;
    assert_eq!(
        event["payload"]["data"]["groupEvents"]["type"],
        "MESSAGE_EDITED"
    );
    alice
        .ok(
            "mutation($m: ID!) { deleteMessage(id: $m) { id } }",
            json!({"m": id}),
        )
        .await;
    let event = ws.recv().await;
    assert_eq!(
        event["payload"]["data"]["groupEvents"]["type"],
        "MESSAGE_DELETED"
    );
    assert_eq!(
        event["payload"]["data"]["groupEvents"]["message"]["body"],
        json!(null)
    );
}

#[tokio::test]
async fn the_event_cursor_lets_a_client_catch_up_on_what_came_after() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    let mut ws = Ws::connect(&app, "alice").await;
    ws.subscribe("s", &g).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    alice.post(&g, "seen").await;
    let cursor = ws.recv().await["payload"]["data"]["groupEvents"]["cursor"].clone();
    alice.post(&g, "missed").await;
    let q = "query($g: ID!, $c: String) { group(id: $g) { messages(after: $c) { edges { node { body } } } } }";
    let data = alice.ok(q, json!({"g": g, "c": cursor})).await;
    assert_eq!(
        data["group"]["messages"]["edges"],
        json!([{"node": {"body": "missed"}}])
    );
}

#[tokio::test]
async fn a_non_member_cannot_subscribe() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    app.user("eve").apply(&g).await;
    let mut ws = Ws::connect(&app, "eve").await;
    ws.subscribe("s1", &g).await;
    let reply = ws.recv().await;
    assert_eq!(failure_code(&reply), Some("FORBIDDEN"), "{reply}");
}

#[tokio::test]
async fn an_anonymous_connection_cannot_subscribe() {
    let app = spawn_app().await;
    let g = app.user("alice").create_group("Club").await;
    let mut ws = Ws::open(&app).await;
    ws.send(json!({"type": "connection_init"})).await;
    assert_eq!(ws.recv().await["type"], "connection_ack");
    ws.subscribe("s1", &g).await;
    assert_eq!(failure_code(&ws.recv().await), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn a_bad_token_in_connection_init_closes_the_socket_with_4403() {
    let app = spawn_app().await;
    let mut ws = Ws::open(&app).await;
    ws.send(json!({"type": "connection_init", "payload": {"authorization": "Bearer not-a-token"}}))
        .await;
    let reply = ws.recv().await;
    assert_eq!(reply["close"], 4403, "{reply}");
}

#[tokio::test]
async fn ping_is_answered_with_pong() {
    let app = spawn_app().await;
    let mut ws = Ws::connect(&app, "alice").await;
    ws.send(json!({"type": "ping"})).await;
    assert_eq!(ws.recv().await["type"], "pong");
}

#[tokio::test]
async fn a_removed_member_gets_the_membership_change_and_then_the_stream_completes() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    let mut ws = Ws::connect(&app, "bob").await;
    ws.subscribe("s1", &g).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    alice
        .ok(
            "mutation($g: ID!) { removeMember(groupId: $g, userId: \"bob\") { state } }",
            json!({"g": g}),
        )
        .await;
    let event = ws.recv().await;
    assert_eq!(
        event["payload"]["data"]["groupEvents"]["membership"],
        json!({"state": "LEFT", "user": {"id": "bob"}})
    );
    assert_eq!(ws.recv().await, json!({"id": "s1", "type": "complete"}));
    alice.post(&g, "after bob left").await;
    ws.send(json!({"type": "ping"})).await;
    assert_eq!(
        ws.recv().await["type"],
        "pong",
        "nothing else arrived before the pong"
    );
}

#[tokio::test]
async fn members_see_membership_changes_of_others() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    let mut ws = Ws::connect(&app, "alice").await;
    ws.subscribe("s1", &g).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    app.user("carol").apply(&g).await;
    let event = ws.recv().await;
    let data = &event["payload"]["data"]["groupEvents"];
    assert_eq!(data["type"], "MEMBERSHIP_CHANGED");
    assert_eq!(
        data["membership"],
        json!({"state": "APPLIED", "user": {"id": "carol"}})
    );
}

#[tokio::test]
async fn protocol_violations_close_with_the_protocols_codes() {
    let app = spawn_app().await;
    let g = app.user("alice").create_group("Club").await;
    let mut early = Ws::open(&app).await;
    early.subscribe("s1", &g).await;
    assert_eq!(
        early.recv().await["close"],
        4401,
        "subscribe before connection_ack"
    );
    let mut junk = Ws::open(&app).await;
    junk.send(json!({"type": "start", "id": "1"})).await;
    assert_eq!(junk.recv().await["close"], 4400, "unknown message type");
    let mut twice = Ws::connect(&app, "alice").await;
    twice.send(json!({"type": "connection_init"})).await;
    assert_eq!(twice.recv().await["close"], 4429, "second connection_init");
    let mut duplicate = Ws::connect(&app, "alice").await;
    duplicate.subscribe("same", &g).await;
    duplicate.subscribe("same", &g).await;
    assert_eq!(
        duplicate.recv().await["close"],
        4409,
        "subscription id reused while live"
    );
}

#[tokio::test]
async fn a_completed_subscription_stops_receiving_events() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    let mut ws = Ws::connect(&app, "alice").await;
    ws.subscribe("a", &g).await;
    ws.subscribe("b", &g).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    ws.send(json!({"id": "a", "type": "complete"})).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    alice.post(&g, "only b hears this").await;
    let event = ws.recv().await;
    assert_eq!(event["id"], "b");
    ws.send(json!({"type": "ping"})).await;
    assert_eq!(
        ws.recv().await["type"],
        "pong",
        "no event for the completed subscription"
    );
}

#[tokio::test]
async fn queries_also_run_over_the_socket() {
    let app = spawn_app().await;
    let mut ws = Ws::connect(&app, "alice").await;
    ws.send(json!({"id": "q", "type": "subscribe", "payload": {"query": "{ me { id } }"}}))
        .await;
    assert_eq!(
        ws.recv().await,
        json!({"id": "q", "type": "next", "payload": {"data": {"me": {"id": "alice"}}}})
    );
    assert_eq!(ws.recv().await, json!({"id": "q", "type": "complete"}));
}

/// A `subscribe` of `selection` on `group`'s events under `id`.
fn subscribe_to(id: &str, group: &str, selection: &str) -> Value {
    let query = format!("subscription($g: ID!) {{ groupEvents(groupId: $g) {{ {selection} }} }}");
    json!({"id": id, "type": "subscribe", "payload": {"query": query, "variables": {"g": group}}})
}

#[tokio::test]
async fn shared_answers_keep_each_subscriptions_id_and_private_fields_stay_per_viewer() {
    // The same result for every member is made once per event and sent to
    // each socket under its own id; a field only admins may read (an
    // applicant's note) is still returned for each viewer.
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    let shared = "type membership { state user { id } }";
    let private = "membership { state note }";
    let mut sockets = Vec::new();
    for (user, id) in [("alice", "a-1"), ("bob", "b-7")] {
        let mut ws = Ws::connect(&app, user).await;
        ws.send(subscribe_to(id, &g, shared)).await;
        ws.send(subscribe_to(&format!("{id}-private"), &g, private))
            .await;
        sockets.push((ws, id));
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let apply =
        "mutation($g: ID!) { applyToGroup(groupId: $g, note: \"I run the bar\") { state } }";
    app.user("carol").ok(apply, json!({"g": g})).await;
    let applied = json!({"data": {"groupEvents": {"type": "MEMBERSHIP_CHANGED",
        "membership": {"state": "APPLIED", "user": {"id": "carol"}}}}});
    let mut notes = Vec::new();
    for (ws, id) in &mut sockets {
        let mut frames = vec![ws.recv().await, ws.recv().await];
        frames.sort_by_key(|f| f["id"].as_str().map(str::len));
        assert_eq!(frames[0]["id"], *id, "{frames:?}");
        assert_eq!(frames[0]["payload"], applied);
        assert_eq!(frames[1]["id"], format!("{id}-private"));
        notes.push(frames[1]["payload"]["data"]["groupEvents"]["membership"]["note"].clone());
    }
    assert_eq!(
        notes,
        [json!("I run the bar"), json!(null)],
        "alice (admin) reads the note, bob does not"
    );
}

#[tokio::test]
async fn a_subscription_must_name_its_group_at_the_root() {
    // As on AWS: the group is read from the document without running it.
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    let mut ws = Ws::connect(&app, "alice").await;
    let query = "subscription($g: ID!) { ...F } fragment F on Subscription { groupEvents(groupId: $g) { type } }";
    ws.send(json!({"id": "s1", "type": "subscribe", "payload": {"query": query, "variables": {"g": g}}}))
        .await;
    let refused = ws.recv().await;
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(failure_code(&refused), Some("BAD_USER_INPUT"));
    ws.subscribe("s1", &g).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    alice.post(&g, "the id is free again").await;
    assert_eq!(ws.recv().await["id"], "s1");
}
