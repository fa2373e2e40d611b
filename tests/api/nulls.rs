//! Field errors on non-null fields null the nearest nullable parent (the
//! GraphQL spec, "Handling Field Errors"): a client reading
//! `data.group.messages.edges` sees `group: null`, never a group without
//! its `messages` key. One error per failure.

use crate::helpers::{error_code, spawn_app, Client};
use serde_json::{json, Value};

/// The response, asserting exactly one error with `code`.
async fn one_error(client: &Client<'_>, query: &str, variables: Value, code: &str) -> Value {
    let response = client.gql(query, variables).await;
    let errors = response["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), 1, "one error per failure: {response}");
    assert_eq!(error_code(&response).as_deref(), Some(code), "{response}");
    response
}

#[tokio::test]
async fn a_failing_connection_nulls_its_group() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let group = alice.create_group("Climbers").await;
    let vars = json!({ "g": group });
    let cases = [
        (&alice, "messages(first: 101)", "BAD_USER_INPUT"),
        (
            &alice,
            "messages(after: \"not-a-cursor\")",
            "BAD_USER_INPUT",
        ),
        (&alice, "members(last: -1)", "BAD_USER_INPUT"),
        (&bob, "messages", "FORBIDDEN"),
        (&bob, "members", "FORBIDDEN"),
        (&bob, "applications", "FORBIDDEN"),
    ];
    for (client, field, code) in cases {
        let query = format!(
            "query($g: ID!) {{ me {{ id }} group(id: $g) {{ id {field} {{ edges {{ cursor }} }} }} }}"
        );
        let response = one_error(client, &query, vars.clone(), code).await;
        let data = &response["data"];
        assert_eq!(data["group"], Value::Null, "{field}: {response}");
        assert_eq!(data["me"]["id"], json!(client.id), "siblings survive");
        assert_eq!(response["errors"][0]["path"][1], json!(field_name(field)));
    }
}

fn field_name(field: &str) -> &str {
    field.split('(').next().unwrap_or(field)
}

#[tokio::test]
async fn a_failing_field_inside_list_items_nulls_up_to_the_nearest_nullable_field() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let group = alice.create_group("Climbers").await;
    // members.edges[0].node.group.messages fails: Group!, Membership!,
    // MembershipEdge! in [MembershipEdge!]!, MembershipConnection! and
    // Group! are all non-null, so the null lands on viewerMembership.
    let query = "query($g: ID!) { group(id: $g) { id viewerMembership { role group { \
                 members { edges { node { group { messages(first: 500) { edges { cursor } } } } } } } } } }";
    let response = one_error(&alice, query, json!({ "g": group }), "BAD_USER_INPUT").await;
    assert_eq!(response["data"]["group"]["id"], json!(group));
    assert_eq!(response["data"]["group"]["viewerMembership"], Value::Null);
    let path = &response["errors"][0]["path"];
    assert_eq!(path[5], json!(0), "the failing item's index: {path}");
}

#[tokio::test]
async fn a_failing_non_null_root_field_nulls_data() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let group = alice.create_group("Climbers").await;
    let response = one_error(
        &app.anonymous(),
        "{ me { id } }",
        json!({}),
        "UNAUTHENTICATED",
    )
    .await;
    assert_eq!(response["data"], Value::Null);
    let response = one_error(
        &alice,
        "{ myGroups(before: \"x\") { edges { cursor } } }",
        json!({}),
        "BAD_USER_INPUT",
    )
    .await;
    assert_eq!(response["data"], Value::Null);
    let response = one_error(
        &app.user("bob"),
        "mutation($g: ID!) { postMessage(input: {groupId: $g, body: \"hi\"}) { id } }",
        json!({ "g": group }),
        "FORBIDDEN",
    )
    .await;
    assert_eq!(response["data"], Value::Null);
}

#[tokio::test]
async fn a_failing_message_field_nulls_the_message() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let group = alice.create_group("Climbers").await;
    let id = alice.post(&group, "hello").await;
    for field in [
        "ancestors(last: 0) { id }",
        "replies(first: -5) { edges { cursor } }",
    ] {
        let query = format!("query($m: ID!) {{ message(id: $m) {{ id {field} }} }}");
        let response = one_error(&alice, &query, json!({ "m": id }), "BAD_USER_INPUT").await;
        assert_eq!(response["data"], json!({ "message": null }), "{field}");
    }
}

#[tokio::test]
async fn a_failing_nullable_field_is_present_as_null() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let group = alice.create_group("Climbers").await;
    let id = alice.post(&group, "hello").await;
    let response = one_error(
        &app.user("bob"),
        "query($m: ID!) { me { id } message(id: $m) { id } }",
        json!({ "m": id }),
        "FORBIDDEN",
    )
    .await;
    let data = response["data"].as_object().unwrap();
    assert_eq!(
        data.get("message"),
        Some(&Value::Null),
        "key kept: {response}"
    );
    assert_eq!(data["me"]["id"], json!("bob"));
}
