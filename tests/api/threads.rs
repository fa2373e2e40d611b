//! Thread summaries and `myThreads` through the API, and a reply's event
//! carrying its root's new summary.

use crate::helpers::spawn_app;
use crate::ws_client::Ws;
use serde_json::{json, Value};
use std::time::Duration;

const THREAD: &str = "query($m: ID!) { node(id: $m) { ... on Message { root { id } thread {
    replyCount participantCount participants(first: 5) { id } lastReplyAt lastReply { id body }
    viewerParticipated viewerHasUnread } } } }";

async fn summary(client: &crate::helpers::Client<'_>, id: &str) -> Value {
    client.ok(THREAD, json!({"m": id})).await["node"]["thread"].clone()
}

#[tokio::test]
async fn a_summary_counts_the_whole_tree_and_knows_the_viewer() {
    let app = spawn_app().await;
    let (alice, bob, carol) = (app.user("alice"), app.user("bob"), app.user("carol"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    alice.admit(&g, &carol).await;
    let root = alice.post(&g, "plans?").await;
    let fresh = summary(&alice, &root).await;
    assert_eq!(fresh["replyCount"], 0);
    assert_eq!(fresh["participants"], json!([{"id": "alice"}]));
    assert_eq!(fresh["lastReply"], Value::Null);
    assert_eq!(fresh["viewerHasUnread"], false);
    let r1 = bob.reply(&root, "saturday").await;
    let r2 = carol.reply(&r1, "works for me").await;
    let deep = bob.reply(&r2, "great").await;
    let seen = summary(&alice, &root).await;
    assert_eq!(seen["replyCount"], 3, "every depth counts");
    assert_eq!(seen["participantCount"], 3);
    assert_eq!(
        seen["participants"],
        json!([{"id": "bob"}, {"id": "carol"}, {"id": "alice"}])
    );
    assert_eq!(seen["lastReply"], json!({"id": deep, "body": "great"}));
    assert_eq!(seen["viewerParticipated"], true);
    assert_eq!(
        seen["viewerHasUnread"], true,
        "replies by others after her marker"
    );
    let first = summary(&alice, &root).await;
    assert_eq!(summary(&bob, &root).await["viewerParticipated"], true);
    let mark = "mutation($g: ID!, $m: ID!) { markRead(groupId: $g, upTo: $m) { id } }";
    alice.ok(mark, json!({"g": g, "m": deep})).await;
    assert_eq!(summary(&alice, &root).await["viewerHasUnread"], false);
    alice.reply(&root, "see you").await;
    assert_eq!(
        summary(&alice, &root).await["viewerHasUnread"],
        false,
        "her own reply"
    );
    assert_eq!(summary(&bob, &root).await["viewerHasUnread"], true);
    // A reply has a root and no summary; deleting the last reply keeps it counted.
    let on_reply = alice.ok(THREAD, json!({"m": deep})).await;
    assert_eq!(on_reply["node"]["root"]["id"], root.as_str());
    assert_eq!(on_reply["node"]["thread"], Value::Null);
    assert_eq!(first["replyCount"], 3);
    let last = carol.reply(&deep, "bye").await;
    carol
        .ok(
            "mutation($m: ID!) { deleteMessage(id: $m) { id } }",
            json!({"m": last}),
        )
        .await;
    let after = summary(&carol, &root).await;
    assert_eq!(after["replyCount"], 5);
    assert_eq!(after["lastReply"], json!({"id": last, "body": null}));
}

const MINE: &str = "query($g: ID, $last: Int) { myThreads(groupId: $g, last: $last) {
    edges { cursor node { id body thread { replyCount } } } pageInfo { hasPreviousPage } } }";

#[tokio::test]
async fn my_threads_lists_the_most_active_last() {
    let app = spawn_app().await;
    let (alice, bob, eve) = (app.user("alice"), app.user("bob"), app.user("eve"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    let a = alice.post(&g, "a").await;
    let b = bob.post(&g, "b").await;
    let c = alice.post(&g, "c").await;
    bob.reply(&a, "ra").await;
    let mine = alice.ok(MINE, json!({"last": 20})).await;
    let bodies: Vec<&str> = mine["myThreads"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["body"].as_str().unwrap())
        .collect();
    assert_eq!(
        bodies,
        vec!["c", "a"],
        "b is bob's alone; a moved by bob's reply"
    );
    let two = bob.ok(MINE, json!({"g": g, "last": 1})).await;
    assert_eq!(two["myThreads"]["edges"][0]["node"]["body"], "a");
    assert_eq!(two["myThreads"]["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(eve.err(MINE, json!({"g": g, "last": 5})).await, "FORBIDDEN");
    let _ = (b, c);
    let malformed = alice
        .gql(
            "query { myThreads(first: 5, after: \"!!\") { edges { cursor } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        crate::helpers::error_code(&malformed).as_deref(),
        Some("BAD_USER_INPUT")
    );
}

#[tokio::test]
async fn a_reply_event_carries_its_roots_new_summary() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    let root = alice.post(&g, "root").await;
    let mut ws = Ws::connect(&app, "alice").await;
    let query = "subscription($g: ID!) { groupEvents(groupId: $g) { type message { id
        root { id thread { replyCount lastReply { id } viewerHasUnread } } } } }";
    ws.send(
        json!({"id": "t", "type": "subscribe", "payload": {"query": query, "variables": {"g": g}}}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let reply = bob.reply(&root, "first").await;
    let event = ws.recv().await;
    let root_now = &event["payload"]["data"]["groupEvents"]["message"]["root"];
    assert_eq!(root_now["id"], root.as_str(), "{event}");
    assert_eq!(
        root_now["thread"],
        json!({"replyCount": 1, "lastReply": {"id": reply}, "viewerHasUnread": true})
    );
}

const SEEN: &str = "query($m: ID!, $after: String) { node(id: $m) { ... on Message {
    seenBy(first: 1, after: $after) { edges { cursor node { user { id } } } pageInfo { hasNextPage endCursor } } } } }";

#[tokio::test]
async fn seen_by_lists_who_read_a_message_as_markers_move() {
    let app = spawn_app().await;
    let (alice, bob, carol, eve) = (
        app.user("alice"),
        app.user("bob"),
        app.user("carol"),
        app.user("eve"),
    );
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    alice.admit(&g, &carol).await;
    let m = alice.post(&g, "read me").await;
    let later = alice.post(&g, "and me").await;
    let none = bob.ok(SEEN, json!({"m": m})).await;
    assert_eq!(
        none["node"]["seenBy"]["edges"],
        json!([]),
        "the author is left out"
    );
    let mark = "mutation($g: ID!, $m: ID!) { markRead(groupId: $g, upTo: $m) { id } }";
    carol.ok(mark, json!({"g": g, "m": later})).await;
    bob.ok(mark, json!({"g": g, "m": m})).await;
    let first = alice.ok(SEEN, json!({"m": m})).await;
    let page = &first["node"]["seenBy"];
    assert_eq!(
        page["edges"][0]["node"]["user"]["id"], "bob",
        "who read least far first"
    );
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let next = alice
        .ok(
            SEEN,
            json!({"m": m, "after": page["pageInfo"]["endCursor"]}),
        )
        .await;
    assert_eq!(
        next["node"]["seenBy"]["edges"][0]["node"]["user"]["id"],
        "carol"
    );
    assert_eq!(next["node"]["seenBy"]["pageInfo"]["hasNextPage"], false);
    let hidden = eve.gql(SEEN, json!({"m": m})).await;
    assert_eq!(hidden["data"]["node"], Value::Null, "outsiders see nothing");
    let wrong = alice.gql(SEEN, json!({"m": m, "after": "bm9wZQ"})).await;
    assert_eq!(
        crate::helpers::error_code(&wrong).as_deref(),
        Some("BAD_USER_INPUT")
    );
}
