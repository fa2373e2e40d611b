//! What search costs: `cargo bench --bench search`. For each store (the
//! embedded one, and Neo4j through kglite-bolt-server and the Bolt bridge,
//! or `NEO4J_TEST_URI`), writes messages of ten words each into 10 groups
//! of one searcher, times `searchMessages` through the schema (as the HTTP
//! handler runs a request) once 1,000 messages are written and again at
//! 100,000, then `searchGroups` over 100,000 groups. Prints p50 and p99
//! per query: a rare word (1 in 10,000 messages), a word of 1 in 100, a
//! word of 1 in 4, a phrase, a prefix and an exclusion.
//!
//! `BENCH_STORES=memory` or `=neo4j` picks one; `BENCH_BIG=N` sets the
//! big message and group counts (100,000).
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "support/big_small.rs"]
mod big_small;
#[path = "support/schema_bench.rs"]
mod schema_bench;

use chorus::domain::group::{NewGroup, Visibility};
use chorus::domain::message::Parent;
use chorus::domain::search::SearchQuery;
use chorus::domain::{GroupId, UserId};
use chorus::graphql::Viewer;
use chorus::store::{SearchScope, Store};
use std::sync::Arc;
use std::time::{Duration, Instant};

const GROUPS: usize = 10;
const SMALL: u64 = 1_000;
const WRITERS: u64 = 8;
/// Writes between two searches: kglite answers from a stale full-text
/// index once more than 1,000 changes piled up since its last query.
const REFRESH_EVERY: u64 = 200;

/// Ten words of a vocabulary of 5,000 (`w0`..`w4999`, the low ones
/// common), then the marker words of message `i`: `deploy` in 1 of 4,
/// `harbor` right after it in 1 of 100, `needle` in 1 of 10,000.
fn body(i: u64) -> String {
    let mut seed = i.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1);
    let mut words = Vec::new();
    for _ in 0..10 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // Roughly Zipf: the square of a uniform pick favours low numbers.
        let u = (seed % 1_000) as f64 / 1_000.0;
        words.push(format!("w{}", (u * u * 5_000.0) as u64));
    }
    if i % 4 == 0 {
        words.push("deploy".into());
    }
    if i % 100 == 0 {
        words.push("harbor".into());
    }
    if i % 10_000 == 0 {
        words.push("needle".into());
    }
    words.join(" ")
}

const QUERIES: [(&str, &str); 6] = [
    ("rare word (1 in 10,000)", "needle"),
    ("word of 1 in 100", "harbor"),
    ("word of 1 in 4", "deploy"),
    ("phrase (1 in 100)", "\"deploy harbor\""),
    ("prefix (1 in 100)", "harb*"),
    ("word and exclusion", "deploy -harbor"),
];

/// Writes messages `from..to` across the groups, `WRITERS` at a time,
/// searching after every `REFRESH_EVERY`.
async fn write(store: &Arc<dyn Store>, groups: &[GroupId], author: &UserId, from: u64, to: u64) {
    let mut at = from;
    while at < to {
        let end = (at + REFRESH_EVERY).min(to);
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let (store, groups, author) = (store.clone(), groups.to_vec(), author.clone());
                tokio::spawn(async move {
                    for i in (at + w..end).step_by(WRITERS as usize) {
                        let to = Parent::Group(groups[i as usize % groups.len()].clone());
                        big_small::post(&store, to, &author, &body(i)).await;
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.await.unwrap();
        }
        refresh(store, groups).await;
        at = end;
    }
}

async fn refresh(store: &Arc<dyn Store>, groups: &[GroupId]) {
    let scope = SearchScope {
        groups: groups.to_vec(),
        author: None,
        since: None,
        until: None,
    };
    let words = SearchQuery::parse("needle").unwrap().engine_words();
    store.search_candidates(&scope, &words, 10).await.unwrap();
    store.search_group_candidates(&words, 10).await.unwrap();
}

/// p50 and p99 of `runs` runs of a GraphQL query, and its hit count.
async fn time(
    parts: &chorus::app::Parts,
    viewer: &UserId,
    query: &str,
    runs: usize,
) -> (Duration, Duration, usize) {
    let mut samples = Vec::with_capacity(runs);
    let mut hits = 0;
    for _ in 0..runs {
        let request = async_graphql::Request::new(query)
            .data(Viewer(Some(viewer.clone())))
            .data(Arc::new(parts.service.for_request()));
        let started = Instant::now();
        let response = parts.schema.execute(request).await;
        samples.push(started.elapsed());
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        let data = response.data.into_json().unwrap();
        let found = data.as_object().unwrap().values().next().unwrap();
        hits = found["edges"].as_array().unwrap().len();
    }
    let p50 = schema_bench::percentile(&mut samples, 50);
    let p99 = schema_bench::percentile(&mut samples, 99);
    (p50, p99, hits)
}

fn message_query(q: &str) -> String {
    let q = serde_json::to_string(q).unwrap();
    format!(
        "{{ searchMessages(query: {q}, first: 20) {{ edges {{ cursor snippet \
         highlights {{ start length }} node {{ id body createdAt }} }} pageInfo {{ hasNextPage }} }} }}"
    )
}

async fn bench(label: &str, store: Arc<dyn Store>, big: u64, runs: usize) {
    let mut groups = Vec::new();
    let mut viewer = None;
    for _ in 0..GROUPS {
        let (group, users) = schema_bench::club(&*store, 2).await;
        groups.push(group.id);
        viewer = Some(users[0].clone());
    }
    let viewer = viewer.unwrap();
    let lookup = |key: &str| (key == "CHORUS_SEARCH_PER_MINUTE").then(|| "100000000".into());
    let config = chorus::config::Config::from_lookup(lookup).unwrap();
    let parts = chorus::app::local_service_and_schema(&config, store.clone()).unwrap();
    println!("\n== {label}: searchMessages over {GROUPS} groups, p50 / p99 of {runs} runs");
    println!(
        "{:<26} {:>22} {:>22}",
        "query",
        format!("{SMALL} messages"),
        format!("{big} messages")
    );
    let started = Instant::now();
    write(&store, &groups, &viewer, 0, SMALL).await;
    let mut small = Vec::new();
    for (_, q) in QUERIES {
        small.push(time(&parts, &viewer, &message_query(q), runs).await);
    }
    write(&store, &groups, &viewer, SMALL, big).await;
    let wrote = started.elapsed();
    for ((name, q), (s50, s99, s_hits)) in QUERIES.iter().zip(small) {
        let (b50, b99, b_hits) = time(&parts, &viewer, &message_query(q), runs).await;
        println!(
            "{name:<26} {:>22} {:>22}",
            format!("{s50:.2?} / {s99:.2?} ({s_hits})"),
            format!("{b50:.2?} / {b99:.2?} ({b_hits})")
        );
    }
    println!("(hits on the first page in brackets; {big} messages written in {wrote:.1?})");

    let started = Instant::now();
    // 100 owners: one user owning every group would make a node of 100,000
    // relationships, which is not what a deployment looks like.
    let mut owners = Vec::new();
    for n in 0..100 {
        let profile = chorus::domain::user::Profile {
            id: UserId::parse(&format!("owner{n}")).unwrap(),
            name: format!("owner {n}"),
            email: None,
            picture_url: None,
        };
        owners.push(
            store
                .upsert_user(&profile, chorus::domain::now())
                .await
                .unwrap()
                .id,
        );
    }
    let mut at = 0u64;
    while at < big {
        let end = (at + REFRESH_EVERY).min(big);
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let (store, owners) = (store.clone(), owners.clone());
                tokio::spawn(async move {
                    for i in (at + w..end).step_by(WRITERS as usize) {
                        let words = body(i);
                        let mut words = words.split(' ');
                        let name = format!("{} {}", words.next().unwrap(), words.next().unwrap());
                        let new = NewGroup {
                            name: chorus::domain::text::group_name(&name).unwrap(),
                            description: Some(words.collect::<Vec<_>>().join(" ")),
                            visibility: Visibility::Private,
                        };
                        let now = chorus::domain::now();
                        let owner = &owners[i as usize % owners.len()];
                        store.create_group(&new, owner, now).await.unwrap();
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.await.unwrap();
        }
        refresh(&store, &groups).await;
        at = end;
    }
    println!(
        "searchGroups over {big} more groups (written in {:.1?}), p50 / p99:",
        started.elapsed()
    );
    for (name, q) in QUERIES {
        let q = serde_json::to_string(q).unwrap();
        let query = format!(
            "{{ searchGroups(query: {q}, first: 20) {{ edges {{ cursor node {{ id name }} }} pageInfo {{ hasNextPage }} }} }}"
        );
        let (p50, p99, hits) = time(&parts, &viewer, &query, runs).await;
        println!(
            "{name:<26} {:>22}",
            format!("{p50:.2?} / {p99:.2?} ({hits})")
        );
    }
}

#[tokio::main]
async fn main() {
    let big = big_small::big();
    big_small::on_each_store(200, 100, |label, store, runs| {
        bench(label, store, big, runs)
    })
    .await;
}
