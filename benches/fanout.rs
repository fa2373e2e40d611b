//! Fan-out latency: `cargo bench --bench fanout` (needs moto at
//! `MOTO_ENDPOINT`; `scripts/bench` starts it).
//!
//! 1. On moto (real DynamoDB and SNS calls): groups of 10 and 300
//!    members, each with an open subscription, their audience built by the
//!    membership events; times `fanout` and each shard's `deliver`.
//! 2. The scale curve, 10 to 100,000 subscribers, with the audience and
//!    the delivery topic modelled at AWS's latencies (`support/model.rs`)
//!    and the real `deliver` code posting to a Management API fake that
//!    answers after 20 ms. Shards are timed one after another, each as the
//!    lone Lambda it is on AWS. An audience of one shard is delivered by
//!    `fanout` itself: commit -> last frame = event publish (25 ms) +
//!    SNS->Lambda (70) + fanout. A larger one: event publish (25) +
//!    SNS->Lambda (70) + fanout + SNS->Lambda (70) + slowest shard. The
//!    typing row starts where `setTyping` publishes its indicator.
//!
//! chorus runs on one thread, as a Lambda with one vCPU (the template gives
//! `fanout` and `deliver` 1,769 MB for that); the Management API fake runs on a thread of
//! its own, since on AWS its work is not the Lambda's. The instances are
//! warm, as a busy group's are: their connections are open.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]
#![recursion_limit = "256"]

use chorus_testkit::aws::fakes;

use chorus::config::Config;
use chorus::delivery::audience::SubscriptionRow;
use chorus::delivery::dynamo_connections::ConnectionRegistry;
use chorus::domain::event::{DomainEvent, EventKind};
use chorus::domain::membership::Action;
use chorus::domain::message::NewMessage;
use chorus::domain::user::Profile;
use chorus::domain::{GroupId, UserId};
use chorus::lambda::fanout::DeliveryShard;
use chorus::lambda::Env;
use chorus::store::memory::MemoryStore;
use chorus::store::Store;
use futures_util::{FutureExt, StreamExt};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "support/model.rs"]
mod model;
use chorus_testkit::aws::setup;

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
    let group = store.create_group(&new, &owner, now).await.unwrap().value.0;
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
                key: None,
            };
            async move { registry.put_subscription(&row).await.unwrap() }
        })
        .buffer_unordered(32)
        .collect::<Vec<_>>()
        .await;
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

async fn post(store: &Arc<dyn Store>, group: &GroupId, owner: &UserId) -> DomainEvent {
    let new = NewMessage {
        id: chorus::domain::MessageId::generate(),
        attachments: Vec::new(),
        to: chorus::domain::message::Parent::Group(group.clone()),
        author_id: owner.clone(),
        body: chorus::domain::text::message_body("hello everyone").unwrap(),
        client_message_id: None,
        now: chorus::domain::now(),
    };
    // The event as the send announces it (with the member count it saw).
    let mut recorded = store.post_message(&new).await.unwrap();
    assert_eq!(recorded.events[0].kind, EventKind::MessagePosted);
    recorded.events.remove(0)
}

/// Each shard through `deliver`, one after another: (median, slowest, frames).
async fn deliver_all(
    deliver: &chorus::lambda::deliver::Deliver,
    shards: &[String],
) -> (Duration, Duration, usize) {
    let (mut times, mut frames) = (Vec::new(), 0);
    for message in shards {
        let shard: DeliveryShard = serde_json::from_str(message).unwrap();
        let started = Instant::now();
        frames += deliver.run(&shard).await.unwrap().frames;
        times.push(started.elapsed());
    }
    let slowest = times.iter().max().copied().unwrap_or_default();
    (median(times), slowest, frames)
}

/// Starts a fake on a runtime and thread of its own.
fn on_own_thread<F, Fut>(start: F) -> fakes::ManagementApi
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = fakes::ManagementApi>,
{
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            tx.send(start().await).unwrap();
            std::future::pending::<()>().await
        })
    });
    rx.recv().unwrap()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let sdk = setup::sdk().await;
    let run = uuid::Uuid::now_v7().simple().to_string();
    let (connections, push) = (format!("bench-conn-{run}"), format!("bench-push-{run}"));
    let audience = format!("bench-audience-{run}");
    let dynamo = aws_sdk_dynamodb::Client::new(&sdk);
    setup::create_tables(&dynamo, &connections, &push, &audience).await;
    let events = setup::TopicProbe::new(&sdk, &format!("bench-events-{run}")).await;
    let delivery = setup::TopicProbe::new(&sdk, &format!("bench-delivery-{run}")).await;
    let management = on_own_thread(|| fakes::ManagementApi::start(model::MANAGEMENT_POST));
    let vars: HashMap<&str, String> = HashMap::from([
        ("EVENTS_TOPIC_ARN", events.topic_arn.clone()),
        (
            "CHORUS_SECRETS_KEY",
            "9yG3Bq0pDk5Qx2cR7vJm1sZ8tWn4hLa6eUo0iYb3fXs=".to_owned(),
        ),
        ("DELIVERY_TOPIC_ARN", delivery.topic_arn.clone()),
        ("CONNECTIONS_TABLE", connections),
        ("PUSH_TABLE", push),
        ("AUDIENCE_TABLE", audience),
        ("WS_MANAGEMENT_ENDPOINT", management.endpoint()),
    ]);
    let config = Config::from_lookup(|k| vars.get(k).cloned()).unwrap();
    let shard_size = config.aws.fanout_shard_size;
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

    println!("1. moto: N members with a subscription each; {shard_size} members per shard");
    println!(
        "{:>7} {:>9} {:>7} {:>13} {:>13}",
        "N", "fanout", "shards", "shard median", "shard max"
    );
    for members in [10, 300] {
        let (group, owner) = group_with_members(&store, members).await;
        // The membership events build the audience, as on AWS.
        let pending = store
            .pending_events(chorus::domain::now(), usize::MAX)
            .await
            .unwrap();
        futures_util::stream::iter(&pending)
            .for_each_concurrent(16, |event| async {
                fanout.run(event).await.unwrap();
            })
            .await;
        let ids: Vec<_> = pending.iter().map(|e| e.id.clone()).collect();
        store.confirm_events(&ids).await.unwrap();
        while !delivery.drain(0).await.is_empty() {} // their own deliveries: not timed
                                                     // The members open their sockets once they are members (a socket
                                                     // opened before would have been refused by their application's event).
        subscribe_all(&registry, &group, members).await;
        let event = post(&store, &group, &owner).await;
        let started = Instant::now();
        let report = fanout.run(&event).await.unwrap();
        let fanout_time = started.elapsed();
        let published = report.shards - usize::from(report.direct_frames.is_some());
        let shards: Vec<String> = delivery
            .drain(published)
            .await
            .iter()
            .map(|n| n["Message"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(shards.len(), published);
        let (median, slowest, frames) = deliver_all(&deliver, &shards).await;
        let frames = frames + report.direct_frames.unwrap_or(0);
        assert_eq!(frames, members, "every socket got its frame");
        println!(
            "{members:>7} {fanout_time:>9.1?} {:>7} {median:>13.1?} {slowest:>13.1?}{}",
            report.shards,
            if published == 0 {
                "  (delivered by fanout)"
            } else {
                ""
            }
        );
    }

    println!();
    println!(
        "2. model: Query page 8 ms, PublishBatch 25 ms, Management post 20 ms, SNS->Lambda 70 ms"
    );
    println!(
        "{:>10} {:>9} {:>7} {:>13} {:>13} {:>18}",
        "N", "fanout", "shards", "shard median", "shard max", "commit->last frame"
    );
    let rows = [
        (10, Signal::Message),
        (100, Signal::Message),
        (1_000, Signal::Message),
        (10_000, Signal::Message),
        (100_000, Signal::Message),
        (100, Signal::Typing),
    ];
    for (members, signal) in rows {
        let owner = UserId::parse("owner").unwrap();
        let (group, _) = group_with_members(&store, 0).await;
        let audience = Arc::new(model::ModelAudience::new(
            group.clone(),
            (0..members)
                .map(|i| UserId::parse(&format!("m{members}-{i}")).unwrap())
                .collect(),
            QUERY.into(),
        ));
        let queue = Arc::new(model::ModelQueue::default());
        let modelled = || async {
            let mut deliver = env.deliver().unwrap();
            deliver.audience = audience.clone();
            warm(&deliver).await;
            deliver
        };
        let fanout = chorus::lambda::fanout::Fanout {
            audience: audience.clone(),
            push: Arc::new(chorus::delivery::push::MemoryPushRegistry::default()),
            queue: queue.clone(),
            direct: Arc::new(modelled().await),
            shard_size,
        };
        let deliver = modelled().await;
        let event = match signal {
            // The modelled members are not in the store: the send's count is.
            Signal::Message => post(&store, &group, &owner)
                .await
                .with_member_count(Some(members as u64)),
            // An indicator carries the count its membership check read.
            Signal::Typing => typing(&group, &owner).with_member_count(Some(members as u64)),
        };
        let started = Instant::now();
        let report = fanout.run(&event).await.unwrap();
        let fanout_time = started.elapsed();
        let shards = std::mem::take(&mut *queue.published.lock().unwrap());
        let (median, slowest, frames) = deliver_all(&deliver, &shards).await;
        assert_eq!(
            frames + report.direct_frames.unwrap_or(0),
            members,
            "every socket got its frame"
        );
        let total = if shards.is_empty() {
            model::PUBLISH_BATCH + model::SNS_TO_LAMBDA + fanout_time
        } else {
            model::PUBLISH_BATCH + model::SNS_TO_LAMBDA * 2 + fanout_time + slowest
        };
        let name = match signal {
            Signal::Message => members.to_string(),
            Signal::Typing => format!("typing {members}"),
        };
        println!(
            "{name:>10} {fanout_time:>9.1?} {:>7} {median:>13.1?} {slowest:>13.1?} {total:>18.1?}",
            report.shards
        );
    }
}

/// Warms an instance, as a busy group's are: the connections to the
/// Management API a shard needs are open (each instance has its own pool;
/// a cold one would also time opening up to 512 of them).
async fn warm(deliver: &chorus::lambda::deliver::Deliver) {
    futures_util::stream::iter(0..256)
        .for_each_concurrent(None, |_| {
            deliver.management.post("warm=", "{}".into()).map(drop)
        })
        .await;
}

#[derive(Clone, Copy)]
enum Signal {
    Message,
    Typing,
}

/// A typing indicator, as `setTyping` publishes it.
fn typing(group: &GroupId, user: &UserId) -> DomainEvent {
    let now = chorus::domain::now();
    let indicator = chorus::domain::typing::Typing {
        user_id: user.clone(),
        group_id: group.clone(),
        parent_id: None,
        typing: true,
        expires_at: now + chrono::Duration::seconds(6),
    };
    DomainEvent::of_typing(indicator, now)
}
