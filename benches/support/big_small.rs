//! What the benches that set a big case against a small one share: the
//! big size (`BENCH_BIG`), the stores to run on (`BENCH_STORES`: the
//! embedded one, and Neo4j through kglite-bolt-server and the Bolt bridge,
//! or `NEO4J_TEST_URI`), medians, and a big/small timing.

use chorus::store::memory::MemoryStore;
use chorus::store::Store;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

/// The big case's size: `BENCH_BIG`, else 100,000.
pub fn big() -> u64 {
    std::env::var("BENCH_BIG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// Runs `bench(label, store, runs)` on each store `BENCH_STORES` names
/// (both by default): `memory_runs` times on the embedded store,
/// `neo4j_runs` on Neo4j.
pub async fn on_each_store<F, Fut>(memory_runs: usize, neo4j_runs: usize, mut bench: F)
where
    F: FnMut(&'static str, Arc<dyn Store>, usize) -> Fut,
    Fut: Future<Output = ()>,
{
    let stores = std::env::var("BENCH_STORES").unwrap_or_else(|_| "memory,neo4j".into());
    if stores.contains("memory") {
        let store = Arc::new(MemoryStore::new());
        bench("embedded memory store", store, memory_runs).await;
    }
    if stores.contains("neo4j") {
        let under_test = chorus_testkit::neo4j::neo4j_store().await;
        let store: Arc<dyn Store> = under_test.store.clone();
        let label = "Neo4j store (kglite-bolt-server 0.21.5 via the Bolt bridge)";
        bench(label, store, neo4j_runs).await;
    }
}

/// Medians of `runs` alternating runs of `case(0)` (big) and `case(1)`
/// (small), and the big/small ratio (1.0 = the same cost at any size).
pub async fn big_vs_small<F, Fut>(runs: usize, mut case: F) -> (Duration, Duration, f64)
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut timings = [Vec::new(), Vec::new()];
    for _ in 0..runs {
        for (i, samples) in timings.iter_mut().enumerate() {
            let started = Instant::now();
            case(i).await;
            samples.push(started.elapsed());
        }
    }
    let [b, s] = timings.map(median);
    (b, s, b.as_secs_f64() / s.as_secs_f64())
}

/// A message posted by `author` under `to`, now.
#[allow(dead_code)] // not every bench that includes this file posts
pub async fn post(
    store: &Arc<dyn Store>,
    to: chorus::domain::message::Parent,
    author: &chorus::domain::UserId,
    body: &str,
) -> chorus::domain::message::Message {
    let new = chorus::domain::message::NewMessage {
        id: chorus::domain::MessageId::generate(),
        attachments: Vec::new(),
        to,
        author_id: author.clone(),
        body: chorus::domain::text::message_body(body).unwrap(),
        client_message_id: None,
        now: chorus::domain::now(),
    };
    store.post_message(&new).await.unwrap().value.message
}
