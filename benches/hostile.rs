//! The worst requests one can build against the limits, timed through the
//! schema (release build, memory store): how long each takes to be
//! refused or run, and the process's peak memory after all of them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use async_graphql::Request;
use chorus::graphql::Viewer;
use std::time::Instant;

/// `query { ...F<levels> }`, each fragment spreading the one below ten times.
fn fragment_bomb(levels: usize) -> String {
    let mut q = format!("query {{ ...F{levels} }}\nfragment F0 on Query {{ __typename }}\n");
    for n in 1..=levels {
        let spreads = vec![format!("...F{}", n - 1); 10].join(" ");
        q.push_str(&format!("fragment F{n} on Query {{ {spreads} }}\n"));
    }
    q
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

#[tokio::main]
async fn main() {
    let config = chorus::config::Config::from_lookup(|_| None).unwrap();
    let store: std::sync::Arc<dyn chorus::store::Store> =
        std::sync::Arc::new(chorus::store::memory::MemoryStore::new());
    let chorus::app::Parts {
        service, schema, ..
    } = chorus::app::parts(
        &config,
        chorus::service::Ports {
            store,
            events: std::sync::Arc::new(chorus::delivery::broker::Broker::new()),
            push: std::sync::Arc::new(chorus::delivery::push::MemoryPushRegistry::default()),
            limiter: chorus::app::local_limiter(&config),
            webhooks: chorus::app::webhook_delivery(&config, true).unwrap(),
            devices: std::sync::Arc::new(chorus::service::ports::NoDeviceEndpoints),
            online: std::sync::Arc::new(chorus::delivery::broker::Broker::new()),
            publish_wait: config.publish_wait,
            files: std::sync::Arc::new(chorus::service::ports::NoFileStorage),
            upload_rules: Default::default(),
            search_limiter: std::sync::Arc::new(chorus::service::rate_limit::RateLimiter::new(
                100, 100,
            )),
            report_limiter: std::sync::Arc::new(chorus::service::rate_limit::RateLimiter::new(
                100, 100,
            )),
            jobs: None,
        },
    );
    // A 100-deep chain of 10,000-character replies.
    let alice = chorus::domain::UserId::parse("alice").unwrap();
    let profile = chorus::domain::user::Profile {
        id: alice.clone(),
        name: "Alice".into(),
        email: None,
        picture_url: None,
    };
    service.sign_in(&profile).await.unwrap();
    let new = chorus::domain::group::NewGroup {
        name: chorus::domain::text::group_name("Deep").unwrap(),
        description: None,
        visibility: Default::default(),
    };
    let group = service.create_group(&alice, new).await.unwrap();
    let body = chorus::domain::text::message_body(&"x".repeat(10_000)).unwrap();
    let mut leaf = service
        .post_message(&alice, &group.id, body.clone(), None, &[])
        .await
        .unwrap()
        .id;
    for _ in 0..100 {
        leaf = service
            .reply(&alice, &leaf, body.clone(), None, &[])
            .await
            .unwrap()
            .id;
    }
    let aliases: String = (0..49)
        .map(|i| format!(" a{i}: ancestors(last: 100) {{ body }}"))
        .collect();
    let cases = [
        ("fragment bomb, 7 levels (10^7 fields)", fragment_bomb(7), false),
        ("fragment bomb, 40 levels", fragment_bomb(40), false),
        (
            "49 x ancestors(last: 100) of 10k bodies (within complexity)",
            format!("{{ message(id: \"{leaf}\") {{ {aliases} }} }}"),
            true,
        ),
        (
            "ancestors nested 3 deep",
            format!("{{ message(id: \"{leaf}\") {{ ancestors {{ ancestors {{ ancestors {{ body }} }} }} }} }}"),
            true,
        ),
    ];
    for (name, query, signed_in) in cases {
        let viewer = Viewer(signed_in.then(|| alice.clone()));
        let started = Instant::now();
        let response = schema.execute(Request::new(query).data(viewer)).await;
        let took = started.elapsed();
        let outcome = response
            .errors
            .first()
            .map_or("answered".to_owned(), |e| format!("refused: {}", e.message));
        println!("{name}: {took:?}, {outcome}");
    }
    rate_limiter_at_capacity();
    println!("peak RSS after all: {:.1} MB", peak_rss_mb());
}

/// The rate limiter once 100,000 users have buckets: each check of a new
/// user must stay O(1), not scan the buckets.
fn rate_limiter_at_capacity() {
    let limiter = chorus::service::rate_limit::RateLimiter::new(120, 20);
    let users: Vec<_> = (0..120_000)
        .map(|i| chorus::domain::UserId::parse(&format!("user-{i}")).unwrap())
        .collect();
    for user in &users[..100_000] {
        let _ = limiter.check(user);
    }
    let started = Instant::now();
    for user in &users[100_000..] {
        let _ = limiter.check(user);
    }
    let per_check = started.elapsed() / 20_000;
    println!(
        "rate limiter at 100k buckets: {per_check:?} per check of a new user ({} held)",
        limiter.len()
    );
}
