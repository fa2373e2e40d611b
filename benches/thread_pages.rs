//! Page cost over a big and a small reply thread: `cargo bench --bench
//! thread_pages`. For each store (the embedded one, and Neo4j through
//! kglite-bolt-server and the Bolt bridge, or `NEO4J_TEST_URI`), builds a
//! 100,000-reply and a 100-reply thread through the store, then times 20-item
//! pages forward and backward at the start, middle and end of each. Prints
//! the median per case and the big/small ratio (1.0 = constant cost per
//! page), and the median cost of a post and of a reply.
//!
//! `BENCH_STORES=memory` or `=neo4j` picks one; `BENCH_BIG=N` shrinks the
//! big thread for a quick run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// Its unit tests run in the api test crate; here they are only compiled.
#[path = "support/big_small.rs"]
mod big_small;

use chorus::domain::cursor;
use chorus::domain::group::{NewGroup, Visibility};
use chorus::domain::message::{NewMessage, Parent};
use chorus::domain::page::PageRequest;
use chorus::domain::user::Profile;
use chorus::domain::{GroupId, MessageId, UserId};
use chorus::store::Store;
use std::sync::Arc;
use std::time::Instant;

const SMALL: u64 = 100;
const PAGE: usize = 20;

fn message(group: &GroupId, author: &UserId, parent: Option<MessageId>) -> NewMessage {
    NewMessage {
        id: chorus::domain::MessageId::generate(),
        attachments: Vec::new(),
        to: parent.map_or_else(|| Parent::Group(group.clone()), Parent::Message),
        author_id: author.clone(),
        body: chorus::domain::text::message_body(
            "a reply of ordinary length, about sixty characters long....",
        )
        .unwrap(),
        client_message_id: None,
        now: chorus::domain::now(),
    }
}

/// A root with `replies` replies, written by 8 concurrent writers.
async fn thread(
    store: &Arc<dyn Store>,
    author: &UserId,
    group: &GroupId,
    replies: u64,
) -> MessageId {
    let root = store
        .post_message(&message(group, author, None))
        .await
        .unwrap()
        .value
        .message
        .id;
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let (store, author, group, root) =
                (store.clone(), author.clone(), group.clone(), root.clone());
            tokio::spawn(async move {
                for _ in (w..replies).step_by(8) {
                    store
                        .post_message(&message(&group, &author, Some(root.clone())))
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    root
}

fn cases(size: u64) -> Vec<(&'static str, PageRequest<u64>)> {
    let middle = size / 2;
    vec![
        (
            "forward  start ",
            PageRequest::Forward {
                after: None,
                limit: PAGE,
            },
        ),
        (
            "forward  middle",
            PageRequest::Forward {
                after: Some(middle),
                limit: PAGE,
            },
        ),
        (
            "forward  end   ",
            PageRequest::Forward {
                after: Some(size - PAGE as u64),
                limit: PAGE,
            },
        ),
        (
            "backward start ",
            PageRequest::Backward {
                before: Some(PAGE as u64 + 1),
                limit: PAGE,
            },
        ),
        (
            "backward middle",
            PageRequest::Backward {
                before: Some(middle),
                limit: PAGE,
            },
        ),
        (
            "backward end   ",
            PageRequest::Backward {
                before: None,
                limit: PAGE,
            },
        ),
    ]
}

fn graphql_query(root: &MessageId, request: &PageRequest<u64>) -> String {
    let c = |seq: &u64| cursor::encode(cursor::MESSAGES, root.as_str(), seq);
    let args = match request {
        PageRequest::Forward { after: None, .. } => format!("first: {PAGE}"),
        PageRequest::Forward { after: Some(s), .. } => {
            format!("first: {PAGE}, after: \"{}\"", c(s))
        }
        PageRequest::Backward { before: None, .. } => format!("last: {PAGE}"),
        PageRequest::Backward {
            before: Some(s), ..
        } => format!("last: {PAGE}, before: \"{}\"", c(s)),
    };
    format!("{{ message(id: \"{root}\") {{ replies({args}) {{ edges {{ cursor node {{ id body author {{ name }} }} }} pageInfo {{ hasNextPage hasPreviousPage }} }} }} }}")
}

async fn bench(label: &str, store: Arc<dyn Store>, big: u64, runs: usize) {
    let author = UserId::parse("bench").unwrap();
    let profile = Profile {
        id: author.clone(),
        name: "Bench".into(),
        email: None,
        picture_url: None,
    };
    store
        .upsert_user(&profile, chorus::domain::now())
        .await
        .unwrap();
    let new = NewGroup {
        name: chorus::domain::text::group_name("Bench").unwrap(),
        description: None,
        visibility: Visibility::Private,
    };
    let group = store
        .create_group(&new, &author, chorus::domain::now())
        .await
        .unwrap()
        .value
        .0;

    let started = Instant::now();
    let big_root = thread(&store, &author, &group.id, big).await;
    let small_root = thread(&store, &author, &group.id, SMALL).await;
    println!(
        "\n== {label}: built threads of {big} and {SMALL} replies in {:.1?}",
        started.elapsed()
    );

    let mut posts = Vec::new();
    let mut replies = Vec::new();
    for _ in 0..runs.min(200) {
        let t = Instant::now();
        store
            .post_message(&message(&group.id, &author, None))
            .await
            .unwrap();
        posts.push(t.elapsed());
        let t = Instant::now();
        store
            .post_message(&message(&group.id, &author, Some(small_root.clone())))
            .await
            .unwrap();
        replies.push(t.elapsed());
    }
    println!(
        "postMessage (store) median {:.1?}, replyToMessage (store) median {:.1?}",
        big_small::median(posts),
        big_small::median(replies)
    );

    let config = chorus::config::Config::from_lookup(|_| None).unwrap();
    let schema = chorus::app::local_schema(&config, store.clone()).unwrap();
    let viewer = chorus::graphql::Viewer(Some(author.clone()));
    println!("20-item pages, median of {runs} runs");
    println!(
        "{:<26} {:>12} {:>12} {:>7}",
        "case",
        format!("{big} thread"),
        "100 thread",
        "ratio"
    );
    for layer in ["store", "graphql"] {
        for ((name, big_req), (_, small_req)) in cases(big).into_iter().zip(cases(SMALL)) {
            let cases = [(&big_root, &big_req), (&small_root, &small_req)];
            let (b, s, ratio) = big_small::big_vs_small(runs, |i| {
                let (store, schema, viewer) = (&store, &schema, &viewer);
                let (root, request) = cases[i];
                async move {
                    if layer == "store" {
                        let page = store
                            .children(&Parent::Message(root.clone()), request.clone())
                            .await
                            .unwrap();
                        assert_eq!(page.items.len(), PAGE);
                    } else {
                        let q = async_graphql::Request::new(graphql_query(root, request))
                            .data(viewer.clone());
                        let response = schema.execute(q).await;
                        assert!(response.errors.is_empty(), "{:?}", response.errors);
                    }
                }
            })
            .await;
            println!(
                "{:<26} {:>12.1?} {:>12.1?} {:>7.2}",
                format!("{layer:<8} {name}"),
                b,
                s,
                ratio
            );
        }
    }
}

#[tokio::main]
async fn main() {
    let big = big_small::big();
    big_small::on_each_store(300, 50, |label, store, runs| bench(label, store, big, runs)).await;
}
