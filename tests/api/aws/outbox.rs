//! Committed ⇒ delivered: twenty messages are posted while SNS refuses
//! every publish (the events topic is gone); the mutations succeed, the
//! events wait in the outbox, and once SNS is back the sweeper publishes
//! them. The subscriber sees each exactly once after dropping duplicates
//! by `GroupEvent.id`, none lost.

use super::delivery::{api, create_group, deliver_all, pump, sns_event, subscribe, ws};
use super::{world, TopicProbe};
use crate::skip::skip_without;
use serde_json::json;
use std::collections::BTreeMap;

#[tokio::test]
async fn events_posted_while_sns_refuses_reach_the_subscriber_once_it_recovers() {
    skip_without!(without_moto);
    let w = world().await;
    let router = w.env.api().unwrap();
    let group = create_group(&router, "alice", "Outage").await;
    pump(&w).await; // alice's membership reaches the audience
    ws(&w, "alice=", "alice", &subscribe(&group)).await;
    let sns = aws_sdk_sns::Client::new(&w.env.sdk);
    let topic_name = w.events.topic_arn.rsplit(':').next().unwrap().to_owned();

    // SNS refuses: the events topic no longer exists.
    sns.delete_topic()
        .topic_arn(&w.events.topic_arn)
        .send()
        .await
        .unwrap();
    let post =
        "mutation($g: ID!, $b: String!) { postMessage(input: {groupId: $g, body: $b}) { id } }";
    let mut posted = Vec::new();
    let mut slowest = std::time::Duration::ZERO;
    for n in 0..20 {
        let started = std::time::Instant::now();
        let body = format!("during the outage #{n}");
        api(&router, "alice", post, json!({"g": group, "b": body})).await;
        slowest = slowest.max(started.elapsed());
        posted.push(body);
    }
    println!("slowest mutation while SNS refused: {slowest:?}");
    assert!(w.events.drain(0).await.is_empty(), "nothing got through");
    let service = w.env.parts().unwrap().service;
    let later = chrono::Utc::now() + chrono::Duration::minutes(1);
    let refused = service.sweep_outbox(later).await.unwrap();
    assert_eq!(
        (refused.published, refused.failed > 0),
        (0, true),
        "still down: {refused:?}"
    );

    // SNS is back (the topic and its subscriber again); the sweeper runs.
    let events = TopicProbe::new(&w.env.sdk, &topic_name).await;
    assert_eq!(events.topic_arn, w.events.topic_arn);
    let swept = service.sweep_outbox(later).await.unwrap();
    assert_eq!((swept.published, swept.failed), (20, 0));
    let again = service.sweep_outbox(later).await.unwrap();
    assert_eq!(
        again.published, 0,
        "confirmed events are not published again"
    );

    // Every published event through fanout and deliver; the first one
    // twice, as SNS may redeliver.
    let published = events.drain(20).await;
    assert_eq!(published.len(), 20);
    let fanout = w.env.fanout().unwrap();
    let mut messages: Vec<&str> = published
        .iter()
        .map(|n| n["Message"].as_str().unwrap())
        .collect();
    messages.push(messages[0]);
    for message in &messages {
        chorus::lambda::fanout(&fanout, sns_event(message))
            .await
            .unwrap();
    }
    let deliver = w.env.deliver().unwrap();
    deliver_all(&deliver, &w.delivery.drain(messages.len()).await).await;

    // The client: frames on its socket, duplicates dropped by event id.
    let frames = w.management.events("alice=");
    assert_eq!(frames.len(), 21, "one redelivery included");
    let seen: BTreeMap<String, String> = frames
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap().to_owned(),
                e["message"]["body"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut bodies: Vec<String> = seen.into_values().collect();
    bodies.sort();
    posted.sort();
    assert_eq!(bodies, posted, "each event exactly once, none lost");
}
