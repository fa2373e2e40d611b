//! Fan-out latency: `cargo bench --bench fanout` (needs moto at
//! `MOTO_ENDPOINT`; `scripts/bench` starts it). For groups of 10, 1,000 and
//! 10,000 WebSocket subscribers, times `fanout` (DynamoDB query by group +
//! PublishBatch of 100-recipient batches) and then each `deliver` batch
//! against a Management API endpoint that answers after 20 ms. Batches are
//! timed one after another, each as the lone Lambda it is on AWS; the end to
//! end figure assumes they run in parallel: fanout + slowest batch.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]
#![recursion_limit = "256"]

#[path = "../tests/api/aws/fakes.rs"]
mod fakes;

use chorus::config::Config;
use chorus::delivery::dynamo::{ConnectionRegistry, SubscriptionRow};
use chorus::domain::event::{DomainEvent, EventKind};
use chorus::domain::membership::Action;
use chorus::domain::message::NewMessage;
use chorus::domain::user::Profile;
use chorus::domain::{GroupId, UserId};
use chorus::lambda::fanout::DeliveryBatch;
use chorus::lambda::Env;
use chorus::store::memory::MemoryStore;
use chorus::store::Store;
use futures_util::StreamExt;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "../tests/api/aws/setup.rs"]
mod setup;

const QUERY: &str = "subscription($g: ID!) { groupEvents(groupId: $g) { type cursor message { id body author { id name } } } }";

async fn group_with_members(store: &Arc<dyn Store>, members: usize) -> (GroupId, UserId) {
    let owner = UserId::parse("owner").unwrap();
    let now = chorus::domain::now();
    store
        .upsert_user(
            &Profile {
                id: owner.clone(),
                name: "Owner".into(),
                email: None,
                picture_url: None,
            },
            now,
        )
        .await
        .unwrap();
    let new = chorus::domain::group::NewGroup {
        name: chorus::domain::text::group_name(&format!("g{members}")).unwrap(),
        description: None,
        visibility: Default::default(),
    };
    let group = store.create_group(&new, &owner, now).await.unwrap().0;
    for i in 0..members {
        let user = UserId::parse(&format!("u{i}")).unwrap();
        store
            .upsert_user(
                &Profile {
                    id: user.clone(),
                    name: format!("User {i}"),
                    email: None,
                    picture_url: None,
                },
                now,
            )
            .await
            .unwrap();
        store
            .transition(&group.id, &user, &user, &Action::Apply { note: None }, now)
            .await
            .unwrap();
        store
            .transition(&group.id, &owner, &user, &Action::Approve, now)
            .await
            .unwrap();
    }
    (group.id, owner)
}

async fn subscribe_all(registry: &ConnectionRegistry, group: &GroupId, members: usize) {
    futures_util::stream::iter(0..members)
        .map(|i| {
            let row = SubscriptionRow {
                connection_id: format!("{group}-c{i}="),
                subscription_id: "live".into(),
                group_id: group.clone(),
                user_id: UserId::parse(&format!("u{i}")).unwrap(),
                query: QUERY.into(),
                variables: Some(serde_json::json!({ "g": group })),
                operation_name: None,
                token_expires_at: None,
            };
            async move { registry.put_subscription(&row).await.unwrap() }
        })
        .buffer_unordered(32)
        .collect::<Vec<_>>()
        .await;
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort_unstable();
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let sdk = setup::sdk().await;
    let run = uuid::Uuid::now_v7().simple().to_string();
    let (connections, push) = (format!("bench-conn-{run}"), format!("bench-push-{run}"));
    setup::create_tables(&aws_sdk_dynamodb::Client::new(&sdk), &connections, &push).await;
    let events = setup::TopicProbe::new(&sdk, &format!("bench-events-{run}")).await;
    let delivery = setup::TopicProbe::new(&sdk, &format!("bench-delivery-{run}")).await;
    let management = fakes::ManagementApi::start(Duration::from_millis(20)).await;
    let vars: HashMap<&str, String> = HashMap::from([
        ("EVENTS_TOPIC_ARN", events.topic_arn.clone()),
        ("DELIVERY_TOPIC_ARN", delivery.topic_arn.clone()),
        ("CONNECTIONS_TABLE", connections),
        ("PUSH_TABLE", push),
        ("WS_MANAGEMENT_ENDPOINT", management.endpoint()),
    ]);
    let config = Config::from_lookup(|k| vars.get(k).cloned()).unwrap();
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let env = Env {
        config,
        sdk,
        store: store.clone(),
    };
    let (fanout, deliver, registry) = (
        env.fanout().unwrap(),
        env.deliver().unwrap(),
        env.connections().unwrap(),
    );

    println!("fan-out to N WebSocket subscribers; Management API answers after 20 ms per call; batches of 100");
    println!(
        "{:>7} {:>9} {:>8} {:>13} {:>13} {:>15}",
        "N", "fanout", "batches", "batch median", "batch max", "end to end*"
    );
    for members in [10, 1_000, 10_000] {
        let (group, owner) = group_with_members(&store, members).await;
        subscribe_all(&registry, &group, members).await;
        let new = NewMessage {
            group_id: group.clone(),
            parent_id: None,
            author_id: owner,
            body: chorus::domain::text::message_body("hello everyone").unwrap(),
            client_message_id: None,
            now: chorus::domain::now(),
        };
        let message = store.post_message(&new).await.unwrap().value.message;
        let event = DomainEvent::message(EventKind::MessagePosted, message, chorus::domain::now());

        let started = Instant::now();
        let report = fanout.run(&event).await.unwrap();
        let fanout_time = started.elapsed();
        let batches: Vec<DeliveryBatch> = delivery
            .drain(report.batches)
            .await
            .iter()
            .map(|n| serde_json::from_str(n["Message"].as_str().unwrap()).unwrap())
            .collect();
        assert_eq!(batches.len(), report.batches);
        let mut times = Vec::new();
        for batch in &batches {
            let started = Instant::now();
            let done = deliver.run(batch).await;
            times.push(started.elapsed());
            assert_eq!(
                done.frames,
                batch.sockets.len(),
                "every socket got its frame"
            );
        }
        let slowest = times.iter().max().copied().unwrap_or_default();
        println!(
            "{members:>7} {:>9.1?} {:>8} {:>13.1?} {:>13.1?} {:>15.1?}",
            fanout_time,
            batches.len(),
            median(times.clone()),
            slowest,
            fanout_time + slowest
        );
    }
    println!("* fanout + slowest batch: the batches run as parallel deliver Lambdas on AWS");
}
