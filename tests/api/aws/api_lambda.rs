//! The `api` function: a committed write survives an events topic that
//! refuses it, and REST API v1 events are returned like HTTP API ones.

use super::delivery::{api, create_group};
use super::{fixture, world};
use crate::helpers::token;
use crate::skip::skip_without;
use serde_json::{json, Value};

#[tokio::test]
async fn a_post_whose_event_cannot_be_published_is_still_committed() {
    skip_without!(without_moto);
    let mut w = world().await;
    w.env.config.aws.events_topic_arn =
        Some("arn:aws:sns:us-east-1:123456789012:no-such-topic".into());
    let router = w.env.api().unwrap();
    let group = create_group(&router, "alice", "Club").await;
    let post = "mutation($g: ID!) { postMessage(input: {groupId: $g, body: \"kept\"}) { id } }";
    api(&router, "alice", post, json!({"g": group})).await;
    let read = "query($g: ID!) { group(id: $g) { messages { edges { node { body } } } } }";
    let data = api(&router, "alice", read, json!({"g": group})).await;
    assert_eq!(
        data["group"]["messages"]["edges"],
        json!([{"node": {"body": "kept"}}])
    );
}

#[tokio::test]
async fn the_api_function_also_answers_rest_api_v1_events() {
    skip_without!(without_moto);
    let w = world().await;
    let router = w.env.api().unwrap();
    let body = json!({ "query": "{ me { id name } }" }).to_string();
    let event = fixture(
        "rest_v1_post_graphql.json",
        &[("TOKEN", &token("alice")), ("BODY", &body)],
    );
    let (status, bytes) = super::invoke(&router, event).await;
    assert_eq!(status, 200);
    let value: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        value["data"]["me"],
        json!({"id": "alice", "name": "alice name"})
    );
}
