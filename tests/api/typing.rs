//! Typing indicators: throttled per user, group and parent, `false` at
//! once, live only (never in the outbox, a push or a webhook).

use crate::helpers::spawn_app;
use crate::ws_client::Ws;
use serde_json::{json, Value};
use std::time::Duration;

pub const TYPING: &str = "mutation($g: ID!, $p: ID, $t: Boolean!) {
    setTyping(groupId: $g, parentId: $p, typing: $t) }";
const LIVE: &str = "subscription($g: ID!) { groupEvents(groupId: $g) { type
    typing { user { id } typing parentId expiresAt } message { id } } }";

#[tokio::test]
async fn ten_calls_in_three_seconds_send_one_indicator_and_false_goes_at_once() {
    let app = spawn_app().await;
    let (alice, bob, eve) = (app.user("alice"), app.user("bob"), app.user("eve"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    let m = alice.post(&g, "thoughts?").await;
    let mut ws = Ws::connect(&app, "alice").await;
    ws.send(
        json!({"id": "t", "type": "subscribe", "payload": {"query": LIVE, "variables": {"g": g}}}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    for _ in 0..10 {
        let sent = bob.ok(TYPING, json!({"g": g, "t": true})).await;
        assert_eq!(sent["setTyping"], true);
    }
    bob.ok(TYPING, json!({"g": g, "p": m, "t": true})).await;
    bob.ok(TYPING, json!({"g": g, "t": false})).await;
    alice.post(&g, "after").await;
    let mut heard: Vec<Value> = Vec::new();
    loop {
        let frame = ws.recv().await;
        let event = frame["payload"]["data"]["groupEvents"].clone();
        let done = event["type"] == "MESSAGE_POSTED";
        heard.push(event);
        if done {
            break;
        }
    }
    let typing: Vec<&Value> = heard.iter().filter(|e| e["type"] == "TYPING").collect();
    assert_eq!(
        typing.len(),
        3,
        "one for the group, one for the reply, the stop: {heard:?}"
    );
    assert_eq!(typing[0]["typing"]["user"]["id"], "bob");
    assert_eq!(typing[0]["typing"]["typing"], true);
    assert_eq!(typing[0]["typing"]["parentId"], Value::Null);
    assert!(typing[0]["typing"]["expiresAt"].is_string());
    assert_eq!(typing[1]["typing"]["parentId"], m.as_str());
    assert_eq!(typing[2]["typing"]["typing"], false);
    // Members only; a parent of another group is bad input.
    assert_eq!(
        eve.err(TYPING, json!({"g": g, "t": true})).await,
        "FORBIDDEN"
    );
    let other = bob.create_group("Other").await;
    let code = bob
        .err(TYPING, json!({"g": other, "p": m, "t": true}))
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
}

#[tokio::test]
async fn typing_never_reaches_the_outbox() {
    let (store, _keep) = crate::helpers::test_store().await;
    let config = chorus::config::Config::from_lookup(|k| match k {
        "CHORUS_DEV_SECRET" => Some("typing-secret".into()),
        _ => None,
    })
    .unwrap();
    let parts = chorus::app::local_service_and_schema(&config, store.clone()).unwrap();
    let ann = chorus::domain::UserId::parse("ann").unwrap();
    let now = chorus::domain::now();
    let profile = chorus::domain::user::Profile {
        id: ann.clone(),
        name: "Ann".into(),
        email: None,
        picture_url: None,
    };
    store.upsert_user(&profile, now).await.unwrap();
    let g = crate::conformance::group(&store, &ann, "Club").await;
    let later = now + chrono::Duration::hours(1);
    let before = store.pending_events(later, 100).await.unwrap().len();
    let sent = parts
        .service
        .set_typing(&ann, &g.id, None, true)
        .await
        .unwrap();
    assert!(sent);
    parts
        .service
        .set_typing(&ann, &g.id, None, false)
        .await
        .unwrap();
    assert_eq!(
        store.pending_events(later, 100).await.unwrap().len(),
        before
    );
}

#[tokio::test]
async fn a_webhook_of_every_type_hears_no_typing() {
    crate::skip::skip_without!(without_python);
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Ops").await;
    alice.admit(&g, &bob).await;
    let every = json!([
        "MESSAGE_POSTED",
        "MESSAGE_EDITED",
        "MESSAGE_DELETED",
        "MEMBERSHIP_CHANGED",
        "REACTION_ADDED",
        "REACTION_REMOVED",
        "MESSAGE_PINNED",
        "MESSAGE_UNPINNED"
    ]);
    let (_child, mut heard) = crate::webhook_sender::registered(&alice, &g, every).await;
    bob.ok(TYPING, json!({"g": g, "t": true})).await;
    bob.ok(TYPING, json!({"g": g, "t": false})).await;
    let m = bob.post(&g, "typed it").await;
    let got = crate::webhook_sender::next(&mut heard).await;
    assert_eq!(
        got["body"]["type"], "message.posted",
        "no typing before it: {got}"
    );
    assert_eq!(got["body"]["data"]["message"]["id"], m.as_str());
}
