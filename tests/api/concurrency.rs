//! Concurrency through the HTTP API (the store-level proofs are in the
//! conformance suite).

use crate::helpers::spawn_app;
use serde_json::json;
use std::collections::HashSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_posts_with_one_client_message_id_make_one_message() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    let q = "mutation($g: ID!) { postMessage(input: {groupId: $g, body: \"once\", clientMessageId: \"tap-tap\"}) { id } }";
    let posts = (0..20).map(|_| alice.ok(q, json!({"g": g})));
    let ids: HashSet<String> = futures_util::future::join_all(posts)
        .await
        .into_iter()
        .map(|d| d["postMessage"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(alice.message_count(&g).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_replies_over_http_number_the_thread_without_gaps() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    let root = alice.post(&g, "root").await;
    let q = "mutation($p: ID!, $b: String!) { replyToMessage(input: {parentId: $p, body: $b}) { seq } }";
    let replies = (0..60).map(|i| alice.ok(q, json!({"p": root, "b": format!("r{i}")})));
    let mut seqs: Vec<i64> = futures_util::future::join_all(replies)
        .await
        .into_iter()
        .map(|d| d["replyToMessage"]["seq"].as_i64().unwrap())
        .collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=60).collect::<Vec<i64>>());
    let m = alice
        .ok(
            "query($m: ID!) { message(id: $m) { replyCount } }",
            json!({"m": root}),
        )
        .await;
    assert_eq!(m["message"]["replyCount"], 60);
}
