//! Relay object identification: `node(id:)`, `nodes(ids:)`, membership ids
//! stable across states, and one id per event for every recipient.

use crate::helpers::spawn_app;
use crate::ws_client::Ws;
use serde_json::{json, Value};
use std::time::Duration;

const NODE: &str = "query($id: ID!) { node(id: $id) { __typename id \
    ... on Group { name } ... on Message { body } ... on User { name } \
    ... on Membership { state user { id } } } }";

#[tokio::test]
async fn every_id_refetches_its_object_through_node() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let group = alice.create_group("Climbers").await;
    alice.admit(&group, &bob).await;
    let message = bob.post(&group, "hello").await;
    let data = alice
        .ok(
            "query($g: ID!) { group(id: $g) { viewerMembership { id } } }",
            json!({ "g": group }),
        )
        .await;
    let membership = data["group"]["viewerMembership"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cases = [
        (
            group.as_str(),
            json!({"__typename": "Group", "name": "Climbers"}),
        ),
        (
            message.as_str(),
            json!({"__typename": "Message", "body": "hello"}),
        ),
        ("bob", json!({"__typename": "User", "name": "bob name"})),
        (
            membership.as_str(),
            json!({"__typename": "Membership", "state": "MEMBER", "user": {"id": "alice"}}),
        ),
    ];
    for (id, expected) in cases {
        let node = alice.ok(NODE, json!({ "id": id })).await["node"].clone();
        assert_eq!(node["id"], json!(id));
        for (key, value) in expected.as_object().unwrap() {
            assert_eq!(&node[key], value, "{id}: {node}");
        }
    }
}

#[tokio::test]
async fn what_the_viewer_may_not_see_is_null_without_an_error() {
    let app = spawn_app().await;
    let (alice, bob, eve) = (app.user("alice"), app.user("bob"), app.user("eve"));
    let group = alice.create_group("Climbers").await;
    let message = alice.post(&group, "members only").await;
    bob.apply(&group).await;
    let application = bob
        .ok(
            "query($g: ID!) { membership(groupId: $g) { id } }",
            json!({ "g": group }),
        )
        .await["membership"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for id in [
        message.as_str(),
        application.as_str(),
        "m_nothing",
        "nobody",
        "ms_xx",
    ] {
        let response = eve.gql(NODE, json!({ "id": id })).await;
        assert_eq!(response, json!({"data": {"node": null}}), "{id}");
    }
    // The applicant and the group's admins see the application.
    for viewer in [&bob, &alice] {
        let node = viewer.ok(NODE, json!({ "id": application })).await["node"].clone();
        assert_eq!(node["state"], "APPLIED", "{}", viewer.id);
    }
}

#[tokio::test]
async fn a_membership_keeps_its_id_through_every_state() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let group = alice.create_group("Climbers").await;
    let own = "query($g: ID!) { membership(groupId: $g) { id state } }";
    let mut ids = Vec::new();
    bob.apply(&group).await;
    ids.push(bob.ok(own, json!({ "g": group })).await["membership"].clone());
    alice.approve(&group, "bob").await;
    ids.push(bob.ok(own, json!({ "g": group })).await["membership"].clone());
    let leave = "mutation($g: ID!) { leaveGroup(groupId: $g) { id state } }";
    ids.push(bob.ok(leave, json!({ "g": group })).await["leaveGroup"].clone());
    let states: Vec<&Value> = ids.iter().map(|m| &m["state"]).collect();
    assert_eq!(states, vec!["APPLIED", "MEMBER", "LEFT"]);
    assert!(ids.iter().all(|m| m["id"] == ids[0]["id"]), "{ids:?}");
    let other = alice.create_group("Other").await;
    alice.admit(&other, &bob).await;
    let elsewhere = bob.ok(own, json!({ "g": other })).await["membership"]["id"].clone();
    assert_ne!(elsewhere, ids[0]["id"], "another pair, another id");
}

#[tokio::test]
async fn nodes_answers_in_order_and_takes_at_most_100_ids() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let group = alice.create_group("Climbers").await;
    let query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }";
    let data = alice
        .ok(query, json!({ "ids": ["alice", "g_missing", group] }))
        .await;
    assert_eq!(data["nodes"], json!([{"id": "alice"}, null, {"id": group}]));
    let many: Vec<String> = (0..101).map(|n| format!("u{n}")).collect();
    assert_eq!(
        alice.err(query, json!({ "ids": many })).await,
        "BAD_USER_INPUT"
    );
}

#[tokio::test]
async fn every_subscriber_sees_one_id_per_event() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let group = alice.create_group("Club").await;
    alice.admit(&group, &bob).await;
    let mut sockets = [
        Ws::connect(&app, "alice").await,
        Ws::connect(&app, "bob").await,
    ];
    for ws in &mut sockets {
        ws.subscribe("s", &group).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    alice.post(&group, "one").await;
    alice.post(&group, "two").await;
    let mut seen = Vec::new();
    for ws in &mut sockets {
        let ids: Vec<Value> = [ws.recv().await, ws.recv().await]
            .iter()
            .map(|frame| frame["payload"]["data"]["groupEvents"].clone())
            .inspect(|event| assert!(event["occurredAt"].is_string(), "{event}"))
            .map(|event| event["id"].clone())
            .collect();
        seen.push(ids);
    }
    assert_eq!(seen[0], seen[1], "the same ids for every recipient");
    assert_ne!(seen[0][0], seen[0][1], "and a new one per event");
}
