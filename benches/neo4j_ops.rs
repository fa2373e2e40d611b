//! `replyToMessage` (in a thread this process has sent to, and to a message
//! it has not seen) and a 20-reply page through the schema on the Neo4j
//! store: `cargo bench --bench neo4j_ops`. kglite-bolt-server (point
//! `KGLITE_BOLT_SERVER` at a release build: `scripts/bench` does) behind
//! the Bolt bridge, which counts round trips (RUN, BEGIN, COMMIT); or a
//! real Neo4j with `NEO4J_TEST_URI` (no counts). Each request runs as the
//! HTTP handler runs it (with its memo of access checks). Prints the
//! median and p90 of 200 runs and the round trips of one.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use chorus_testkit::neo4j as neo4j_support;

use chorus::domain::UserId;
use chorus::graphql::Viewer;
use chorus::store::Store;
use schema_bench::percentile;
use std::sync::Arc;
use std::time::Instant;

const RUNS: usize = 200;

async fn run(parts: &chorus::app::Parts, viewer: &UserId, query: &str) -> serde_json::Value {
    // As the HTTP handler runs a request: with a service handle of its own.
    let request = async_graphql::Request::new(query)
        .data(Viewer(Some(viewer.clone())))
        .data(Arc::new(parts.service.for_request()));
    let response = parts.schema.execute(request).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    serde_json::to_value(&response.data).unwrap()
}

#[path = "support/schema_bench.rs"]
mod schema_bench;

#[tokio::main]
async fn main() {
    let under_test = neo4j_support::neo4j_store().await;
    let faults = under_test.faults.clone();
    let store: Arc<dyn Store> = under_test.store.clone();
    let (group, users) = schema_bench::club(&*store, 5).await;
    let config = chorus::config::Config::from_lookup(|_| None).unwrap();
    let parts = chorus::app::local_service_and_schema(&config, store).unwrap();
    let post = format!(
        "mutation {{ postMessage(input: {{groupId: \"{}\", body: \"root\"}}) {{ id }} }}",
        group.id
    );
    let root = run(&parts, &users[0], &post).await["postMessage"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let trips = || faults.as_ref().map_or(0, |f| f.round_trips());
    println!("Neo4j store: {RUNS} runs each (round trips of one request)");

    // In a thread this process has sent to (the parent and the authors'
    // memberships remembered), then each to a message it has not seen (the
    // previous reply): the send reads what it is checked on first.
    let mut parent = root.clone();
    for (name, same_thread) in [("", true), (" (unseen parent)", false)] {
        let mut samples = Vec::with_capacity(RUNS);
        let mut reply_trips = 0;
        for n in 0..RUNS {
            let reply = format!(
                "mutation {{ replyToMessage(input: {{parentId: \"{parent}\", body: \"r{n}\", clientMessageId: \"c{name}{n}\"}}) {{ id }} }}"
            );
            let (before, started) = (trips(), Instant::now());
            let data = run(&parts, &users[n % users.len()], &reply).await;
            samples.push(started.elapsed());
            reply_trips = trips() - before;
            if !same_thread {
                parent = data["replyToMessage"]["id"].as_str().unwrap().to_owned();
            }
        }
        let (p50, p90) = (percentile(&mut samples, 50), percentile(&mut samples, 90));
        println!(
            "replyToMessage{name:<16} p50 {p50:>9.2?}  p90 {p90:>9.2?}  round trips {reply_trips}"
        );
    }

    for (name, fields) in [
        ("", "id body"),
        (" with authors", "id body author { name }"),
    ] {
        let page = format!(
            "{{ message(id: \"{root}\") {{ replies(last: 20) {{ edges {{ node {{ {fields} }} }} }} }} }}"
        );
        let mut samples = Vec::with_capacity(RUNS);
        let mut page_trips = 0;
        for _ in 0..RUNS {
            let (before, started) = (trips(), Instant::now());
            let data = run(&parts, &users[0], &page).await;
            samples.push(started.elapsed());
            page_trips = trips() - before;
            assert_eq!(
                data["message"]["replies"]["edges"]
                    .as_array()
                    .unwrap()
                    .len(),
                20
            );
        }
        let (p50, p90) = (percentile(&mut samples, 50), percentile(&mut samples, 90));
        println!(
            "20-reply page{name:<15} p50 {p50:>9.2?}  p90 {p90:>9.2?}  round trips {page_trips}"
        );
    }
}
