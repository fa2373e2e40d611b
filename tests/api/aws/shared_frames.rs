//! `deliver` executes a document that is the same for every member
//! once per shard and sends each subscription the answer under its own id;
//! a document with a viewer-dependent field (a membership's note, seen by
//! admins only) is still executed for each viewer.

use super::delivery::{api, create_group, join, pump, ws};
use super::world;
use crate::skip::skip_without;
use serde_json::{json, Value};

fn subscribe(id: &str, group: &str, selection: &str) -> Value {
    let query = format!("subscription($g: ID!) {{ groupEvents(groupId: $g) {{ {selection} }} }}");
    json!({"id": id, "type": "subscribe", "payload": {"query": query, "variables": {"g": group}}})
}

/// The `next` payloads `connection` received, by subscription id.
fn nexts(w: &super::World, connection: &str) -> Vec<(String, Value)> {
    w.management
        .frames(connection)
        .into_iter()
        .filter(|f| f["type"] == "next")
        .map(|f| (f["id"].as_str().unwrap().to_owned(), f["payload"].clone()))
        .collect()
}

#[tokio::test]
async fn shared_answers_keep_each_subscriptions_id_and_private_fields_stay_per_viewer() {
    skip_without!(without_moto);
    let w = world().await;
    let router = w.env.api().unwrap();
    let group = create_group(&router, "alice", "Club").await;
    join(&router, &group, "alice", "bob").await;
    pump(&w).await;
    let init = json!({"type": "connection_init"});
    let shared = "type membership { state user { id } }";
    let private = "membership { state note }";
    for (connection, user, id) in [("alice=", "alice", "a-1"), ("bob=", "bob", "b-7")] {
        let bodies = [
            init.clone(),
            subscribe(id, &group, shared),
            subscribe(&format!("{id}-private"), &group, private),
        ];
        ws(&w, connection, user, &bodies).await;
    }

    // Carol applies with a note: only admins may read it.
    let apply =
        "mutation($g: ID!) { applyToGroup(groupId: $g, note: \"I run the bar\") { state } }";
    api(&router, "carol", apply, json!({"g": group})).await;
    pump(&w).await;

    let applied = json!({"data": {"groupEvents": {"type": "MEMBERSHIP_CHANGED",
        "membership": {"state": "APPLIED", "user": {"id": "carol"}}}}});
    let alice = nexts(&w, "alice=");
    let bob = nexts(&w, "bob=");
    assert!(
        alice.contains(&("a-1".to_owned(), applied.clone())),
        "{alice:?}"
    );
    assert!(bob.contains(&("b-7".to_owned(), applied)), "{bob:?}");
    let private_of = |frames: &[(String, Value)], id: &str| {
        frames
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, p)| p["data"]["groupEvents"]["membership"].clone())
            .unwrap()
    };
    assert_eq!(
        private_of(&alice, "a-1-private"),
        json!({"state": "APPLIED", "note": "I run the bar"}),
        "the owner reads the note"
    );
    assert_eq!(
        private_of(&bob, "b-7-private"),
        json!({"state": "APPLIED", "note": null}),
        "a member does not"
    );
}
