//! Page cost over a big and a small reply thread: `cargo bench --bench
//! thread_pages`. Builds a 100,000-reply and a 100-reply thread, then times
//! 20-item pages forward and backward at the start, middle and end of each,
//! through the store and through the whole GraphQL schema. Prints the
//! median per case and the big/small ratio (1.0 = constant time per page).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chorus::domain::cursor;
use chorus::domain::group::{NewGroup, Visibility};
use chorus::domain::message::{NewMessage, Parent};
use chorus::domain::page::PageRequest;
use chorus::domain::user::Profile;
use chorus::domain::{MessageId, UserId};
use chorus::store::memory::MemoryStore;
use chorus::store::Store;
use std::sync::Arc;
use std::time::{Duration, Instant};

const BIG: u64 = 100_000;
const SMALL: u64 = 100;
const PAGE: usize = 20;
const RUNS: usize = 300;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

async fn thread(
    store: &Arc<dyn Store>,
    author: &UserId,
    group: &chorus::domain::GroupId,
    replies: u64,
) -> MessageId {
    let post = |parent: Option<MessageId>| NewMessage {
        group_id: group.clone(),
        parent_id: parent,
        author_id: author.clone(),
        body: "a reply of ordinary length, about sixty characters long....".into(),
        client_message_id: None,
        now: chrono::Utc::now(),
    };
    let root = store.post_message(&post(None)).await.unwrap().message.id;
    for _ in 0..replies {
        store.post_message(&post(Some(root.clone()))).await.unwrap();
    }
    root
}

/// The page requests of one case: where in the thread, which direction.
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

async fn store_page(
    store: &Arc<dyn Store>,
    root: &MessageId,
    request: &PageRequest<u64>,
) -> Duration {
    let started = Instant::now();
    let page = store
        .children(&Parent::Message(root.clone()), request.clone())
        .await
        .unwrap();
    let took = started.elapsed();
    assert_eq!(page.items.len(), PAGE);
    took
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

#[tokio::main]
async fn main() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let author = UserId::parse("bench").unwrap();
    let profile = Profile {
        id: author.clone(),
        name: "Bench".into(),
        email: None,
        picture_url: None,
    };
    store
        .upsert_user(&profile, chrono::Utc::now())
        .await
        .unwrap();
    let new = NewGroup {
        name: "Bench".into(),
        description: None,
        visibility: Visibility::Private,
    };
    let group = store
        .create_group(&new, &author, chrono::Utc::now())
        .await
        .unwrap()
        .0;
    let started = Instant::now();
    let big = thread(&store, &author, &group.id, BIG).await;
    let small = thread(&store, &author, &group.id, SMALL).await;
    println!(
        "memory store: built threads of {BIG} and {SMALL} replies in {:?}",
        started.elapsed()
    );

    let config = chorus::config::Config::from_lookup(|_| None).unwrap();
    let schema = chorus::app::local_schema(&config, store.clone());
    let viewer = chorus::graphql::Viewer(Some(author.clone()));

    println!("\n20-item pages, median of {RUNS} runs");
    println!(
        "{:<26} {:>12} {:>12} {:>7}",
        "case", "100k thread", "100 thread", "ratio"
    );
    for layer in ["store", "graphql"] {
        for ((name, big_req), (_, small_req)) in cases(BIG).into_iter().zip(cases(SMALL)) {
            let mut timings = [Vec::new(), Vec::new()];
            for _ in 0..RUNS {
                for (i, (root, request)) in [(&big, &big_req), (&small, &small_req)]
                    .into_iter()
                    .enumerate()
                {
                    let took = if layer == "store" {
                        store_page(&store, root, request).await
                    } else {
                        let q = async_graphql::Request::new(graphql_query(root, request))
                            .data(viewer.clone());
                        let started = Instant::now();
                        let response = schema.execute(q).await;
                        let took = started.elapsed();
                        assert!(response.errors.is_empty(), "{:?}", response.errors);
                        took
                    };
                    timings[i].push(took);
                }
            }
            let [b, s] = timings.map(median);
            let ratio = b.as_secs_f64() / s.as_secs_f64();
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
