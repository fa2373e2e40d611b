//! The audience fan-out reads: kept current by membership events and push
//! registrations, trusted by `deliver` in place of a store read per
//! recipient, and refusing what a former member left behind.

use super::delivery::{api, create_group, join, pump, subscribe, ws};
use super::{world, World};
use chorus::domain::{GroupId, UserId};
use serde_json::json;

/// Whose push subscriptions the group's audience holds, over all shards.
/// Alice runs one mutation field on the group, and SNS carries its events.
async fn as_alice(w: &World, field: &str, group: &str) {
    let router = w.env.api().unwrap();
    let mutation = format!("mutation($g: ID!) {{ {field} }}");
    api(&router, "alice", &mutation, json!({"g": group})).await;
    pump(w).await;
}

pub(super) async fn audience_pushes(w: &World, group: &str) -> Vec<String> {
    use chorus::delivery::audience::{Audience, Shard};
    let audience = chorus::delivery::dynamo_audience::DynamoAudience::new(
        aws_sdk_dynamodb::Client::new(&w.env.sdk),
        w.env.config.aws.audience_table.clone().unwrap(),
        w.env.connections().unwrap(),
    );
    let group = GroupId::parse(group).unwrap();
    let mut users = Vec::new();
    for shard in Shard::split(1, 1) {
        let found = audience.shard(&group, shard).await.unwrap();
        users.extend(found.pushes.into_iter().map(|p| p.user_id.to_string()));
    }
    users.sort();
    users
}

#[tokio::test]
async fn a_removed_member_gets_the_change_then_complete_then_nothing() {
    let w = world().await;
    let router = w.env.api().unwrap();
    let group = create_group(&router, "alice", "Club").await;
    join(&router, &group, "alice", "bob").await;
    let (endpoint, p256dh, auth) = w.push_service.subscribe("bob");
    let register = "mutation($e: String!, $p: String!, $a: String!) { registerPushSubscription(input: {endpoint: $e, p256dh: $p, auth: $a}) { endpoint } }";
    api(
        &router,
        "bob",
        register,
        json!({"e": endpoint, "p": p256dh, "a": auth}),
    )
    .await;
    pump(&w).await;
    assert_eq!(audience_pushes(&w, &group).await, vec!["bob"]);
    ws(&w, "bob=", "bob", &subscribe(&group)).await;
    as_alice(
        &w,
        "removeMember(groupId: $g, userId: \"bob\") { state }",
        &group,
    )
    .await;
    let frames = w.management.frames("bob=");
    let types: Vec<&str> = frames.iter().map(|f| f["type"].as_str().unwrap()).collect();
    assert_eq!(types, vec!["connection_ack", "next", "complete"]);
    let registry = w.env.connections().unwrap();
    assert!(registry
        .subscriptions_of_group(&GroupId::parse(&group).unwrap())
        .await
        .unwrap()
        .is_empty());
    assert!(
        audience_pushes(&w, &group).await.is_empty(),
        "his devices leave the audience"
    );

    // A subscription the audience knows to be a former member's (stored
    // just before the removal landed, say) is refused, not served.
    let late = chorus::delivery::dynamo::SubscriptionRow {
        connection_id: "late=".into(),
        subscription_id: "live".into(),
        group_id: GroupId::parse(&group).unwrap(),
        user_id: UserId::parse("bob").unwrap(),
        query: subscribe(&group)[1]["payload"]["query"]
            .as_str()
            .unwrap()
            .into(),
        variables: Some(json!({"g": group})),
        operation_name: None,
        token_expires_at: None,
    };
    registry.put_subscription(&late).await.unwrap();
    as_alice(
        &w,
        "postMessage(input: {groupId: $g, body: \"after\"}) { id }",
        &group,
    )
    .await;
    let refused = w.management.frames("late=");
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0]["type"], "error");
    assert_eq!(refused[0]["payload"][0]["extensions"]["code"], "FORBIDDEN");
    assert!(registry
        .subscriptions_of_group(&GroupId::parse(&group).unwrap())
        .await
        .unwrap()
        .is_empty());
    assert!(
        w.push_service.received().is_empty(),
        "no push to a former member"
    );
}
