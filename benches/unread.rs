//! What an app launch pays per group for its unread counts: `cargo bench
//! --bench unread`. For each store (the embedded one, and Neo4j through
//! kglite-bolt-server and the Bolt bridge, or `NEO4J_TEST_URI`), fills a
//! group with 100,000 messages and another with 100 (top-level posts and
//! replies from 8 concurrent writers, one in 50 mentioning the reader, the
//! reader's marker in the middle), checks the counts are exact, then times
//! the reader's read state through the store and `group { unreadCount
//! unreadMentionCount }` through the schema. Prints the medians and the
//! big/small ratio (1.0 = the count costs the same at any size).
//!
//! `BENCH_STORES=memory` or `=neo4j` picks one; `BENCH_BIG=N` shrinks the
//! big group for a quick run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// Its unit tests run in the api test crate; here they are only compiled.
#[path = "support/big_small.rs"]
mod big_small;

use chorus::domain::group::{NewGroup, Visibility};
use chorus::domain::membership::Action;
use chorus::domain::message::Parent;
use chorus::domain::user::Profile;
use chorus::domain::{GroupId, UserId};
use chorus::store::Store;
use std::sync::Arc;
use std::time::Instant;

const SMALL: u64 = 100;
const WRITERS: u64 = 8;
/// One message in this many mentions the reader.
const MENTION_EVERY: u64 = 50;

async fn user(store: &Arc<dyn Store>, id: &str) -> UserId {
    let profile = Profile {
        id: UserId::parse(id).unwrap(),
        name: format!("{id} name"),
        email: None,
        picture_url: None,
    };
    store
        .upsert_user(&profile, chorus::domain::now())
        .await
        .unwrap();
    profile.id
}

/// Posts messages `from..to` of the group: every tenth a top-level post,
/// the rest replies to the writer's latest post, one in `MENTION_EVERY`
/// naming `@reader`.
async fn fill(store: &Arc<dyn Store>, group: &GroupId, author: &UserId, from: u64, to: u64) {
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (store, group, author) = (store.clone(), group.clone(), author.clone());
            tokio::spawn(async move {
                let mut root = None;
                for i in (from + w..to).step_by(WRITERS as usize) {
                    let body = if i % MENTION_EVERY == 0 {
                        "a message for @reader, of ordinary length, sixty characters"
                    } else {
                        "a message of ordinary length, about sixty characters long."
                    };
                    let to = match &root {
                        Some(id) if i % 10 != 0 => Parent::Message(Clone::clone(id)),
                        _ => Parent::Group(group.clone()),
                    };
                    let posted = big_small::post(&store, to.clone(), &author, body).await;
                    if matches!(to, Parent::Group(_)) {
                        root = Some(posted.id);
                    }
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
}

/// A group of `size` messages whose reader has read the first half.
async fn group(
    store: &Arc<dyn Store>,
    writer: &UserId,
    reader: &UserId,
    name: &str,
    size: u64,
) -> GroupId {
    let new = NewGroup {
        name: chorus::domain::text::group_name(name).unwrap(),
        description: None,
        visibility: Visibility::Private,
    };
    let now = chorus::domain::now();
    let g = store.create_group(&new, writer, now).await.unwrap().value.0;
    let apply = Action::Apply { note: None };
    store
        .transition(&g.id, reader, reader, &apply, now)
        .await
        .unwrap();
    let approve = Action::Approve;
    store
        .transition(&g.id, writer, reader, &approve, now)
        .await
        .unwrap();
    let half = size / 2;
    fill(store, &g.id, writer, 0, half - 1).await;
    let middle = big_small::post(store, Parent::Group(g.id.clone()), writer, "the middle").await;
    store.mark_read(&g.id, reader, &middle.id).await.unwrap();
    fill(store, &g.id, writer, half, size).await;
    g.id
}

async fn bench(label: &str, store: Arc<dyn Store>, big: u64, runs: usize) {
    let writer = user(&store, "writer").await;
    let reader = user(&store, "reader").await;
    let started = Instant::now();
    let big_group = group(&store, &writer, &reader, "Big", big).await;
    let small_group = group(&store, &writer, &reader, "Small", SMALL).await;
    println!(
        "\n== {label}: {big} and {SMALL} messages posted in {:.1?}",
        started.elapsed()
    );
    for (g, size) in [(&big_group, big), (&small_group, SMALL)] {
        let key = (g.clone(), reader.clone());
        let state = store.read_states(&[key]).await.unwrap().remove(0).1;
        let unread = size - size / 2;
        let mentions = (size / 2..size).filter(|i| i % MENTION_EVERY == 0).count() as u64;
        assert_eq!((state.unread, state.mentions), (unread, mentions));
        println!("group of {size}: unreadCount {unread}, unreadMentionCount {mentions} (exact)");
    }

    let config = chorus::config::Config::from_lookup(|_| None).unwrap();
    let schema = chorus::app::local_schema(&config, store.clone()).unwrap();
    let viewer = chorus::graphql::Viewer(Some(reader.clone()));
    println!("median of {runs} runs");
    println!(
        "{:<44} {:>12} {:>12} {:>7}",
        "case",
        format!("{big} msgs"),
        "100 msgs",
        "ratio"
    );
    let groups = [&big_group, &small_group];
    for layer in ["store read_states", "graphql group { unreadCount ... }"] {
        let (b, s, ratio) = big_small::big_vs_small(runs, |i| {
            let (store, schema, viewer, reader) = (&store, &schema, &viewer, &reader);
            let g = groups[i];
            async move {
                if layer.starts_with("store") {
                    let key = (g.clone(), reader.clone());
                    assert_eq!(store.read_states(&[key]).await.unwrap().len(), 1);
                } else {
                    let query =
                        format!("{{ group(id: \"{g}\") {{ unreadCount unreadMentionCount }} }}");
                    let request = async_graphql::Request::new(query).data(viewer.clone());
                    let response = schema.execute(request).await;
                    assert!(response.errors.is_empty(), "{:?}", response.errors);
                }
            }
        })
        .await;
        println!("{layer:<44} {b:>12.1?} {s:>12.1?} {ratio:>7.2}");
    }
    let mut summaries = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        store.unread_summary(&reader).await.unwrap();
        summaries.push(started.elapsed());
    }
    println!(
        "store unread_summary over both groups           {:>12.1?}",
        big_small::median(summaries)
    );
}

#[tokio::main]
async fn main() {
    let big = big_small::big();
    big_small::on_each_store(1000, 200, |label, store, runs| {
        bench(label, store, big, runs)
    })
    .await;
}
