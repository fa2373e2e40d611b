//! What a chat screen pays for thread summaries and reactions: `cargo
//! bench --bench thread_summaries`. For each store (the embedded one, and
//! Neo4j through kglite-bolt-server and the Bolt bridge, or
//! `NEO4J_TEST_URI`), fills two groups of 20 top-level messages, each with
//! five reactions: in one, the newest root's thread holds 100,000
//! descendants written by 8 concurrent writers at random depths, in the
//! other 100. Checks the summaries are exact, then times a page of the 20
//! roots with `reactions` and every `thread` field through the schema (as
//! the HTTP handler runs a request). Prints the medians and the big/small
//! ratio (1.0 = the same cost at any thread size).
//!
//! `BENCH_STORES=memory` or `=neo4j` picks one; `BENCH_BIG=N` shrinks the
//! big thread for a quick run.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "support/big_small.rs"]
mod big_small;
#[path = "support/schema_bench.rs"]
mod schema_bench;

use chorus::domain::message::Parent;
use chorus::domain::reaction::{ReactionChange, ReactionKey};
use chorus::domain::{GroupId, MessageId, UserId};
use chorus::graphql::Viewer;
use chorus::store::Store;
use std::sync::Arc;
use std::time::Instant;

const SMALL: u64 = 100;
const WRITERS: usize = 8;
const ROOTS: usize = 20;

/// 20 roots with five reactions each; the last one's thread gets `size`
/// replies from the writers, each under a random message of its own part
/// of the tree (or the root).
async fn fill(store: &Arc<dyn Store>, group: &GroupId, users: &[UserId], size: u64) -> MessageId {
    let mut roots = Vec::new();
    for i in 0..ROOTS {
        let to = Parent::Group(group.clone());
        let root = big_small::post(store, to, &users[0], &format!("root {i}"))
            .await
            .id;
        for (u, key) in users[1..6].iter().zip(["👍", "🎉", ":tada:", "❤️", "👀"]) {
            let change = ReactionChange {
                message_id: root.clone(),
                user_id: u.clone(),
                key: ReactionKey::parse(key).unwrap(),
                add: true,
                now: chorus::domain::now(),
                erasure: false,
            };
            store.change_reaction(&change).await.unwrap();
        }
        roots.push(root);
    }
    let root = roots.pop().unwrap();
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            // The first `size % WRITERS` writers write one more.
            let per_writer = size / WRITERS as u64 + u64::from((w as u64) < size % WRITERS as u64);
            let (store, root, author) = (store.clone(), root.clone(), users[1 + w].clone());
            tokio::spawn(async move {
                let mut mine = vec![root];
                let mut seed = 7 + w as u64;
                for i in 0..per_writer {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    let parent = mine[(seed >> 33) as usize % mine.len()].clone();
                    let body = format!("reply {i} of ordinary length, about sixty characters");
                    let reply = big_small::post(&store, Parent::Message(parent), &author, &body)
                        .await
                        .id;
                    // Keeps the tree bushy but bounded: a parent list of 64.
                    if mine.len() < 64 {
                        mine.push(reply);
                    } else {
                        mine[(seed >> 40) as usize % 64] = reply;
                    }
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    root
}

const PAGE: &str = "reactions { key count viewerReacted } thread { replyCount participantCount
    participants(first: 5) { id } lastReplyAt lastReply { id body } viewerParticipated viewerHasUnread }";

async fn bench(label: &str, store: Arc<dyn Store>, big: u64, runs: usize) {
    let (group_a, users) = schema_bench::club(&*store, 10).await;
    // A second group of the same ten users.
    let (group_b, _) = schema_bench::club(&*store, 10).await;
    let started = Instant::now();
    let big_root = fill(&store, &group_a.id, &users, big).await;
    let small_root = fill(&store, &group_b.id, &users, SMALL).await;
    println!(
        "\n== {label}: threads of {big} and {SMALL} descendants written in {:.1?}",
        started.elapsed()
    );
    for (root, size) in [(&big_root, big), (&small_root, SMALL)] {
        let thread = store
            .threads(std::slice::from_ref(root))
            .await
            .unwrap()
            .remove(0);
        assert_eq!((thread.reply_count, thread.participant_count), (size, 9));
        println!("thread of {size}: replyCount {size}, participantCount 9 (exact)");
    }

    let config = chorus::config::Config::from_lookup(|_| None).unwrap();
    let parts = chorus::app::local_service_and_schema(&config, store.clone()).unwrap();
    let viewer = users[0].clone();
    println!("median of {runs} runs, a page of {ROOTS} roots through the schema");
    println!(
        "{:<44} {:>12} {:>12} {:>7}",
        "case",
        format!("{big} desc."),
        "100 desc.",
        "ratio"
    );
    let groups = [&group_a.id, &group_b.id];
    for (name, selection) in [
        ("reactions and thread", PAGE),
        ("id only (the page itself)", ""),
    ] {
        let (b, s, ratio) = big_small::big_vs_small(runs, |i| {
            let (parts, viewer, g) = (&parts, &viewer, groups[i]);
            async move {
                let query = format!(
                    "{{ group(id: \"{g}\") {{ messages(last: {ROOTS}) {{ edges {{ node {{ id {selection} }} }} }} }} }}"
                );
                let request = async_graphql::Request::new(query)
                    .data(Viewer(Some(viewer.clone())))
                    .data(Arc::new(parts.service.for_request()));
                let response = parts.schema.execute(request).await;
                assert!(response.errors.is_empty(), "{:?}", response.errors);
            }
        })
        .await;
        println!("{name:<44} {b:>12.1?} {s:>12.1?} {ratio:>7.2}");
    }
}

#[tokio::main]
async fn main() {
    let big = big_small::big();
    big_small::on_each_store(300, 100, |label, store, runs| {
        bench(label, store, big, runs)
    })
    .await;
}
