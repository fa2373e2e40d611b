//! Outgoing webhook latency on the local server (release build): from a
//! `postMessage` sent (its write commits inside the request) to the signed
//! request arriving at a receiver on localhost, over HTTP end to end.
//! Prints the median and p95 on the embedded store (and on Neo4j with
//! `BENCH_STORES=neo4j` and a Bolt server at `NEO4J_URI`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chorus_testkit::http::gql;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const POSTS: usize = 300;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

/// A receiver that notes when each request arrived.
async fn receiver() -> (String, mpsc::UnboundedReceiver<Instant>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let tx = Arc::new(tx);
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || {
            let tx = tx.clone();
            async move {
                let _ = tx.send(Instant::now());
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, rx)
}

#[tokio::main]
async fn main() {
    let secret = "webhook-bench-secret";
    let vars = [
        ("CHORUS_DEV_SECRET", secret),
        ("CHORUS_RATE_BURST", "100000"),
        ("CHORUS_RATE_PER_SEC", "100000"),
    ];
    let config = chorus::config::Config::from_lookup(|k| {
        vars.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    })
    .unwrap();
    let store = chorus::app::store(&config).await.unwrap();
    let label = if config.neo4j.is_some() {
        "neo4j"
    } else {
        "memory"
    };
    if config.neo4j.is_some() {
        chorus::app::migrate(&config).await.unwrap();
    }
    let router = chorus::app::local_app(&config, store).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("http://{}/graphql", listener.local_addr().unwrap());
    let limits = config.limits.clone();
    tokio::spawn(async move {
        chorus::http::server::serve(listener, router, &limits, std::future::pending())
            .await
            .unwrap()
    });
    let token = chorus::auth::dev::DevTokens::new(secret.to_owned().into())
        .issue("bench", "Bench")
        .unwrap();
    let http = reqwest::Client::new();
    let (hook_url, mut arrivals) = receiver().await;
    let group = gql(
        &http,
        &api,
        &token,
        "mutation { createGroup(input: {name: \"Bench\"}) { id } }",
        json!({}),
    )
    .await;
    let group = group["createGroup"]["id"].as_str().unwrap().to_owned();
    let create = "mutation($g: ID!, $u: String!) { createWebhook(input:
        {groupId: $g, url: $u, events: [MESSAGE_POSTED]}) { secret } }";
    gql(
        &http,
        &api,
        &token,
        create,
        json!({"g": group, "u": hook_url}),
    )
    .await;
    let post =
        "mutation($g: ID!, $b: String!) { postMessage(input: {groupId: $g, body: $b}) { id } }";

    let (mut before_answer, mut after_send) = (0usize, Vec::new());
    for n in 0..POSTS {
        let sent = Instant::now();
        gql(
            &http,
            &api,
            &token,
            post,
            json!({"g": group, "b": format!("alert {n}")}),
        )
        .await;
        let answered = Instant::now();
        let arrived = tokio::time::timeout(Duration::from_secs(10), arrivals.recv())
            .await
            .expect("the webhook never arrived")
            .unwrap();
        before_answer += usize::from(arrived < answered);
        after_send.push(arrived - sent);
    }
    after_send.sort();
    // The commit happens inside the request, so `sent -> received` bounds
    // `commit -> received` from above.
    println!(
        "webhook latency, {label} store, {POSTS} posts: postMessage sent -> webhook received \
         p50 {:.2} ms, p95 {:.2} ms; received before the mutation's answer in {before_answer}",
        percentile(&after_send, 0.5).as_secs_f64() * 1e3,
        percentile(&after_send, 0.95).as_secs_f64() * 1e3,
    );
}
