//! Load and soak of one local server process (the release `chorus` binary,
//! started here as a child with its own file descriptors and memory),
//! driven over HTTP and WebSocket by a Rust client on tokio tasks:
//!
//! - `sockets`: 10,000 subscribed sockets (1,000 members, 10 each), then
//!   posts one at a time: how many sockets receive each, the first and
//!   last frame after the post was sent, the server's RSS;
//! - `soak`: 16 writers posting together at most `LOAD_SOAK_RATE` posts a
//!   second (default 600; each waits for its answer) and 100 listeners, on
//!   the embedded store and on the Neo4j store (kglite release behind the
//!   Bolt bridge): lost and duplicated messages per listener, sockets the
//!   server closed (1013: a reader too slow), p99 send -> frame per minute
//!   (`LOAD_SOAK_SECS`, default 600; `LOAD_SOAK_STORES=neo4j` runs one store);
//! - `storm`: 20 webhooks whose receiver never answers, 120 posts: the
//!   server's open file descriptors and RSS, sampled, and whether
//!   `/health` responded throughout.
//!
//! `cargo bench --bench load -- [sockets|soak|storm]` (all by default;
//! `scripts/bench` runs them). Numbers are printed, not asserted.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "support/load_client.rs"]
mod load_client;

use load_client::{percentile_ms, Chorus, Listener, Member};
use serde_json::json;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let which: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wants = |name: &str| which.is_empty() || which.iter().any(|w| w == name);
    if wants("sockets") {
        sockets().await;
    }
    if wants("soak") {
        let secs = std::env::var("LOAD_SOAK_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(600);
        let rate = std::env::var("LOAD_SOAK_RATE")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(600.0);
        let stores = std::env::var("LOAD_SOAK_STORES").unwrap_or_default();
        for store in ["embedded", "neo4j"] {
            if stores.is_empty() || stores.split(',').any(|s| s == store) {
                soak(store, Duration::from_secs(secs), rate).await;
            }
        }
    }
    if wants("storm") {
        storm().await;
    }
}

async fn sockets() {
    const MEMBERS: usize = 1_000;
    const PER_MEMBER: usize = 10;
    const POSTS: usize = 5;
    let server = Chorus::start(&[], None).await;
    let (owner, group) = server.group_with_members(MEMBERS).await;
    let rss_idle = server.rss_mb();
    let listener = Listener::new();
    let started = Instant::now();
    let members: Vec<Member> = (0..MEMBERS).map(|n| server.member(n)).collect();
    let mut opened = 0;
    for member in &members {
        for _ in 0..PER_MEMBER {
            listener.open(&server, member, &group).await;
            opened += 1;
        }
    }
    let opened_in = started.elapsed();
    // Subscriptions have no acknowledgement: a first post, heard by all,
    // says every one of them is in place.
    let warm = server.post(&owner, &group, "warm-up").await;
    let heard = listener
        .wait_for(&warm.body, opened, Duration::from_secs(60))
        .await;
    println!(
        "sockets: {opened} opened in {:.1} s, {} heard the warm-up; server RSS {rss_idle} MB idle, {} MB with the sockets open",
        opened_in.as_secs_f64(),
        heard.len(),
        server.rss_mb()
    );
    for n in 0..POSTS {
        let body = format!("post {n}");
        let sent = Instant::now();
        server.post(&owner, &group, &body).await;
        let arrivals = listener
            .wait_for(&body, opened, Duration::from_secs(30))
            .await;
        let mut after: Vec<Duration> = arrivals.iter().map(|at| *at - sent).collect();
        after.sort();
        println!(
            "sockets: post {n}: {} of {opened} received it; first {:.1} ms, median {:.1} ms, last {:.1} ms after it was sent",
            after.len(),
            percentile_ms(&after, 0.0),
            percentile_ms(&after, 0.5),
            percentile_ms(&after, 1.0),
        );
    }
    println!("sockets: server RSS {} MB after the posts", server.rss_mb());
}

/// Latency buckets of a minute: 0.1 ms wide up to 100 ms, then 1 ms up to 10 s.
struct Histogram(Vec<AtomicU32>);

impl Histogram {
    const BUCKETS: usize = 1_000 + 9_900 + 1;

    fn new() -> Self {
        Self((0..Self::BUCKETS).map(|_| AtomicU32::new(0)).collect())
    }

    fn bucket(micros: u64) -> usize {
        let bucket = if micros < 100_000 {
            micros / 100
        } else {
            1_000 + (micros - 100_000) / 1_000
        };
        (bucket as usize).min(Self::BUCKETS - 1)
    }

    fn upper_ms(bucket: usize) -> f64 {
        if bucket < 1_000 {
            (bucket + 1) as f64 / 10.0
        } else {
            100.0 + (bucket - 1_000 + 1) as f64
        }
    }

    fn add(&self, micros: u64) {
        self.0[Self::bucket(micros)].fetch_add(1, Ordering::Relaxed);
    }

    fn count(&self) -> u64 {
        self.0
            .iter()
            .map(|c| u64::from(c.load(Ordering::Relaxed)))
            .sum()
    }

    fn quantile_ms(&self, q: f64) -> f64 {
        let total = self.count();
        let wanted = ((total as f64) * q).ceil() as u64;
        let mut seen = 0;
        for (bucket, count) in self.0.iter().enumerate() {
            seen += u64::from(count.load(Ordering::Relaxed));
            if seen >= wanted.max(1) {
                return Self::upper_ms(bucket);
            }
        }
        f64::NAN
    }
}

async fn soak(store: &str, length: Duration, rate: f64) {
    const WRITERS: usize = 16;
    const LISTENERS: usize = 100;
    let neo4j = if store == "neo4j" {
        Some(load_client::neo4j().await)
    } else {
        None
    };
    let uri = neo4j.as_ref().map(|n| n.uri.clone());
    let server = Chorus::start(&[], uri.as_deref()).await;
    let (_, group) = server.group_with_members(WRITERS + LISTENERS).await;
    let origin = Instant::now();
    let minutes = (length.as_secs() / 60 + 2) as usize;
    let histograms: Arc<Vec<Histogram>> =
        Arc::new((0..minutes).map(|_| Histogram::new()).collect());
    // Each listener: per writer, a bit per sequence number heard.
    let listeners: Vec<Arc<load_client::Heard>> = (0..LISTENERS)
        .map(|_| Arc::new(load_client::Heard::new(WRITERS)))
        .collect();
    for (n, heard) in listeners.iter().enumerate() {
        let member = server.member(WRITERS + n);
        let (ended, heard, histograms) = (heard.clone(), heard.clone(), histograms.clone());
        load_client::listen_soak(
            &server,
            &member,
            &group,
            origin,
            ended,
            move |writer, seq, sent_us, now_us| {
                heard.mark(writer, seq);
                let minute = (sent_us / 60_000_000) as usize;
                if let Some(h) = histograms.get(minute) {
                    h.add(now_us.saturating_sub(sent_us));
                }
            },
        )
        .await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let acked: Arc<Vec<AtomicUsize>> =
        Arc::new((0..WRITERS).map(|_| AtomicUsize::new(0)).collect());
    let failed = Arc::new(AtomicUsize::new(0));
    let rss_start = server.rss_mb();
    let deadline = origin + length;
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let member = server.member(w);
            let (server, group, acked, failed) =
                (server.clone(), group.clone(), acked.clone(), failed.clone());
            tokio::spawn(async move {
                let mut seq = 0usize;
                // Each writer's share of the rate; a post acknowledged late is
                // not made up for.
                let mut pace =
                    tokio::time::interval(Duration::from_secs_f64(WRITERS as f64 / rate));
                pace.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                while Instant::now() < deadline {
                    pace.tick().await;
                    let sent_us = origin.elapsed().as_micros() as u64;
                    let body = format!("w{w}-{seq}-{sent_us}");
                    if server.try_post(&member, &group, &body).await {
                        seq += 1;
                        acked[w].store(seq, Ordering::Relaxed);
                    } else {
                        // A refused post (rate limit, timeout) is not
                        // numbered: the listeners expect only acked ones.
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    let posted: usize = acked.iter().map(|a| a.load(Ordering::Relaxed)).sum();
    let (mut lost, mut duplicated, mut lost_by_closed) = (0usize, 0usize, 0usize);
    let mut endings = std::collections::BTreeMap::<String, (usize, f64)>::new();
    for heard in &listeners {
        let missing: usize = acked
            .iter()
            .enumerate()
            .map(|(w, acked)| heard.missing(w, acked.load(Ordering::Relaxed)))
            .sum();
        match heard.ended.lock().unwrap().clone() {
            Some((how, at)) => {
                lost_by_closed += missing;
                let entry = endings.entry(how).or_insert((0, f64::MAX));
                entry.0 += 1;
                entry.1 = entry.1.min(at);
            }
            None => lost += missing,
        }
        duplicated += heard.duplicates();
    }
    for (how, (count, first)) in &endings {
        println!(
            "soak ({store}): {count} listeners' sockets {how} (the first at {first:.1} s); {lost_by_closed} posts were not heard by closed sockets (a client reconnects and catches up by cursor)"
        );
    }
    println!(
        "soak ({store}): {:.0} s, {WRITERS} writers, {LISTENERS} listeners: {posted} posts ({:.0}/s), {} refused; {lost} lost and {duplicated} duplicated over the listeners whose socket stayed open; server RSS {rss_start} -> {} MB",
        length.as_secs_f64(),
        posted as f64 / length.as_secs_f64(),
        failed.load(Ordering::Relaxed),
        server.rss_mb()
    );
    let full_minutes = (length.as_secs() / 60).max(1) as usize;
    let mut p99s = Vec::new();
    for (minute, h) in histograms.iter().enumerate().take(full_minutes) {
        if h.count() == 0 {
            continue;
        }
        let p99 = h.quantile_ms(0.99);
        p99s.push(p99);
        println!(
            "soak ({store}): minute {}: {} frames, p50 {:.1} ms, p99 {:.1} ms send -> frame",
            minute + 1,
            h.count(),
            h.quantile_ms(0.5),
            p99
        );
    }
    if let (Some(first), Some(last)) = (p99s.first(), p99s.last()) {
        println!(
            "soak ({store}): p99 of the last minute / the first: {:.2}",
            last / first
        );
    }
    drop(server);
    drop(neo4j);
}

async fn storm() {
    const WEBHOOKS: usize = 20;
    const POSTS: usize = 120;
    let receiver = load_client::SilentReceiver::start().await;
    let server = Chorus::start(&[], None).await;
    let (owner, group) = server.group_with_members(0).await;
    for n in 0..WEBHOOKS {
        let url = format!("{}/hook/{n}", receiver.url);
        server
            .gql(
                &owner,
                "mutation($g: ID!, $u: String!) { createWebhook(input: {groupId: $g, url: $u, events: [MESSAGE_POSTED]}) { webhook { id } } }",
                json!({"g": group, "u": url}),
            )
            .await;
    }
    let base_fds = server.fds();
    let base_rss = server.rss_mb();
    let sampling = server.sample_while_running();
    let started = Instant::now();
    let posts: Vec<_> = (0..POSTS)
        .map(|n| {
            let (server, owner, group) = (server.clone(), owner.clone(), group.clone());
            tokio::spawn(
                async move { server.try_post(&owner, &group, &format!("storm {n}")).await },
            )
        })
        .collect();
    let mut posted = 0;
    for post in posts {
        posted += usize::from(post.await.unwrap());
    }
    let posted_in = started.elapsed();
    tokio::time::sleep(Duration::from_secs(30)).await;
    let samples = sampling.stop().await;
    println!(
        "storm: {WEBHOOKS} webhooks that never answer, {posted} of {POSTS} posts accepted in {:.1} s; the receiver saw at most {} connections at once",
        posted_in.as_secs_f64(),
        receiver.most_at_once()
    );
    println!(
        "storm: server fds {base_fds} before, at most {} during; RSS {base_rss} MB before, at most {} MB during; /health answered {} of {} checks (slowest {:.0} ms)",
        samples.max_fds,
        samples.max_rss_mb,
        samples.health_ok,
        samples.health_checks,
        samples.slowest_health_ms
    );
}
