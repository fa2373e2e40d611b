//! The whole AWS path with a stock client: the `graphql-ws` package (what
//! Apollo and urql use), in Node, connects through the API Gateway
//! emulator to the `ws` handler and subscribes; a post through the `api`
//! handler goes to SNS (moto) and, relayed from SQS, through `fanout` and
//! `deliver`, which post back through the emulated Management API. The
//! client hears the event with exactly the fields it asked for; when it
//! leaves, its rows go.

use super::delivery::{api, create_group, join, pump};
use super::gateway::ApiGateway;
use crate::helpers::token;
use crate::skip::skip_without;
use chorus::domain::GroupId;
use serde_json::{json, Value};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout};

fn client(url: &str, user: &str, group: &str) -> (Child, Lines<BufReader<ChildStdout>>) {
    assert!(
        std::path::Path::new(&crate::helpers::repo_file(
            "tests/web/node_modules/graphql-ws"
        ))
        .exists(),
        "run `npm ci` in tests/web first (scripts/test does)"
    );
    let mut child = tokio::process::Command::new("node")
        .arg(crate::helpers::repo_file("tests/web/gateway-client.mjs"))
        .args([url, &token(user), group])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node (scripts/test installs the web suite's packages)");
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    (child, lines)
}

/// The client's next line, within 10 s.
async fn heard(lines: &mut Lines<BufReader<ChildStdout>>) -> Value {
    let line = tokio::time::timeout(Duration::from_secs(10), lines.next_line())
        .await
        .expect("the client said nothing for 10 s")
        .unwrap()
        .expect("the client exited");
    serde_json::from_str(&line).unwrap()
}

/// Polls until `check` holds (DynamoDB writes happen off the socket's path).
async fn eventually<F: std::future::Future<Output = bool>>(mut check: impl FnMut() -> F) {
    for _ in 0..100 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("condition not reached in 5 s");
}

/// A stock client of `user`, connected and subscribed to `group` (its
/// subscription stored: the group has exactly one).
async fn subscribed(
    gateway: &ApiGateway,
    registry: &chorus::delivery::dynamo_connections::ConnectionRegistry,
    user: &str,
    group: &str,
) -> (Child, Lines<BufReader<ChildStdout>>) {
    let (child, mut lines) = client(&gateway.url(), user, group);
    assert_eq!(heard(&mut lines).await, json!({"connected": true}));
    let group_id = GroupId::parse(group).unwrap();
    eventually(|| async {
        registry
            .subscriptions_of_group(&group_id)
            .await
            .unwrap()
            .len()
            == 1
    })
    .await;
    (child, lines)
}

#[tokio::test]
async fn a_stock_graphql_ws_client_hears_a_post_through_the_emulated_api_gateway() {
    skip_without!(without_moto);
    let (listener, endpoint) = ApiGateway::bind().await;
    let w = super::world_with(&[("WS_MANAGEMENT_ENDPOINT", &endpoint)]).await;
    let gateway = ApiGateway::serve(listener, w.env.ws().unwrap());
    let router = w.env.api().unwrap();
    let group = create_group(&router, "alice", "Club").await;
    join(&router, &group, "alice", "bob").await;
    pump(&w).await;

    let registry = w.env.connections().unwrap();
    let (mut bob, mut lines) = subscribed(&gateway, &registry, "bob", &group).await;
    let group_id = GroupId::parse(&group).unwrap();

    let post = "mutation($g: ID!) { postMessage(input: {groupId: $g, body: \"through the gateway\"}) { id } }";
    let id = api(&router, "alice", post, json!({"g": group})).await["postMessage"]["id"].clone();
    pump(&w).await;
    let next = heard(&mut lines).await;
    let event = &next["next"]["data"]["groupEvents"];
    assert_eq!(event["type"], "MESSAGE_POSTED", "{next}");
    assert!(event["id"].as_str().unwrap().starts_with("ev_"));
    assert!(event["cursor"].is_string());
    assert_eq!(
        event["message"],
        json!({"id": id, "body": "through the gateway", "author": {"id": "alice", "name": "alice name"}}),
        "exactly the fields the client selected"
    );

    // The client leaves: `$disconnect` removes its connection and rows.
    bob.stdin
        .take()
        .unwrap()
        .write_all(b"close\n")
        .await
        .unwrap();
    eventually(|| async {
        registry
            .subscriptions_of_group(&group_id)
            .await
            .unwrap()
            .is_empty()
    })
    .await;
    let _ = bob.wait().await;
}

/// The first `next` the client hears, skipping nothing else.
async fn next_body(lines: &mut Lines<BufReader<ChildStdout>>) -> Value {
    let next = heard(lines).await;
    next["next"]["data"]["groupEvents"]["message"]["body"].clone()
}

#[tokio::test]
async fn a_small_group_is_delivered_by_fanout_itself_and_a_large_one_still_shards() {
    skip_without!(without_moto);
    let (listener, endpoint) = ApiGateway::bind().await;
    // Two members per shard: a group of two fits one, of three does not.
    let w = super::world_with(&[
        ("WS_MANAGEMENT_ENDPOINT", &endpoint),
        ("FANOUT_SHARD_SIZE", "2"),
    ])
    .await;
    let gateway = ApiGateway::serve(listener, w.env.ws().unwrap());
    let router = w.env.api().unwrap();
    let small = create_group(&router, "alice", "Pair").await;
    join(&router, &small, "alice", "bob").await;
    let large = create_group(&router, "alice", "Trio").await;
    join(&router, &large, "alice", "bob").await;
    join(&router, &large, "alice", "carol").await;
    pump(&w).await;

    let registry = w.env.connections().unwrap();
    let mut clients = Vec::new();
    for group in [&small, &large] {
        clients.push(subscribed(&gateway, &registry, "bob", group).await);
    }
    let post =
        "mutation($g: ID!, $b: String!) { postMessage(input: {groupId: $g, body: $b}) { id } }";

    api(&router, "alice", post, json!({"g": small, "b": "to two"})).await;
    let pumped = pump(&w).await;
    assert_eq!(pumped.events.len(), 1);
    assert_eq!(pumped.shards_published, 0, "nothing on the delivery topic");
    assert_eq!(next_body(&mut clients[0].1).await, "to two");

    // Typing takes the same short path, once per throttle.
    let typing = "mutation($g: ID!) { setTyping(groupId: $g) }";
    for _ in 0..3 {
        api(&router, "alice", typing, json!({"g": small})).await;
    }
    let pumped = pump(&w).await;
    assert_eq!(pumped.events.len(), 1, "three calls, one indicator");
    assert_eq!(pumped.shards_published, 0);
    let next = heard(&mut clients[0].1).await;
    assert_eq!(
        next["next"]["data"]["groupEvents"]["type"], "TYPING",
        "{next}"
    );

    api(&router, "alice", post, json!({"g": large, "b": "to three"})).await;
    let pumped = pump(&w).await;
    assert_eq!(pumped.events.len(), 1);
    assert_eq!(pumped.shards_published, 2, "three members, two per shard");
    assert_eq!(next_body(&mut clients[1].1).await, "to three");
}
