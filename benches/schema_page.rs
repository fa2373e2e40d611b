//! A 20-message page through the schema, with and without each message's
//! author (one batched load, `graphql::tick_loader`): `cargo bench --bench schema_page`. Release
//! build, embedded store; prints the median and p90 of 1,000 runs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chorus::config::Config;
use chorus::domain::message::NewMessage;
use chorus::graphql::Viewer;
use chorus::store::memory::MemoryStore;
use chorus::store::Store;
use schema_bench::percentile;
use std::sync::Arc;
use std::time::Instant;

#[path = "support/schema_bench.rs"]
mod schema_bench;

#[tokio::main]
async fn main() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let (group, users) = schema_bench::club(&*store, 20).await;
    let now = chorus::domain::now();
    for user in &users {
        let message = NewMessage {
            id: chorus::domain::MessageId::generate(),
            attachments: Vec::new(),
            to: chorus::domain::message::Parent::Group(group.id.clone()),
            author_id: user.clone(),
            body: chorus::domain::text::message_body("hello there").unwrap(),
            client_message_id: None,
            now,
        };
        store.post_message(&message).await.unwrap();
    }
    let config = Config::from_lookup(|_| None).unwrap();
    let schema = chorus::app::local_schema(&config, store).unwrap();
    let runs = 1_000;
    for (name, selection) in [
        ("without author", "id body"),
        ("with author { name }", "id body author { name }"),
    ] {
        let query = format!(
            "{{ group(id: \"{}\") {{ messages(last: 20) {{ edges {{ node {{ {selection} }} }} }} }} }}",
            group.id
        );
        let mut samples = Vec::with_capacity(runs);
        for _ in 0..runs {
            let request =
                async_graphql::Request::new(query.as_str()).data(Viewer(Some(users[0].clone())));
            let started = Instant::now();
            let response = schema.execute(request).await;
            samples.push(started.elapsed());
            assert!(response.errors.is_empty(), "{:?}", response.errors);
        }
        let p50 = percentile(&mut samples, 50);
        let p90 = percentile(&mut samples, 90);
        println!("20-message page {name:<22} p50 {p50:>10.2?}  p90 {p90:>10.2?}");
    }
}
