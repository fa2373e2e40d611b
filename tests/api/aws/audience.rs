//! The audience fan-out reads: kept current by membership events and push
//! registrations, trusted by `deliver` in place of a store read per
//! recipient, and refusing what a former member left behind.

use super::delivery::{api, create_group, join, pump, subscribe, ws};
use super::{world, World};
use crate::skip::skip_without;
use chorus::delivery::audience::SubscriptionRow;
use chorus::domain::{GroupId, UserId};
use serde_json::json;

/// Alice runs one mutation field on the group, and SNS carries its events.
async fn as_alice(w: &World, field: &str, group: &str) {
    let router = w.env.api().unwrap();
    let mutation = format!("mutation($g: ID!) {{ {field} }}");
    api(&router, "alice", &mutation, json!({"g": group})).await;
    pump(w).await;
}

fn audience(w: &World) -> chorus::delivery::dynamo_audience::DynamoAudience {
    chorus::delivery::dynamo_audience::DynamoAudience::new(
        aws_sdk_dynamodb::Client::new(&w.env.sdk),
        w.env.config.aws.audience_table.clone().unwrap(),
        w.env.connections().unwrap(),
    )
}

/// A `groupEvents` subscription row as the `ws` Lambda stores it.
fn stored_row(group: &str, user: &str, connection: &str) -> SubscriptionRow {
    SubscriptionRow {
        connection_id: connection.into(),
        subscription_id: "live".into(),
        group_id: GroupId::parse(group).unwrap(),
        user_id: UserId::parse(user).unwrap(),
        query: subscribe(group)[1]["payload"]["query"]
            .as_str()
            .unwrap()
            .into(),
        variables: Some(json!({"g": group})),
        operation_name: None,
        token_expires_at: None,
        key: None,
    }
}

/// How many subscriptions to the group are stored.
async fn stored(w: &World, group: &str) -> usize {
    let group = GroupId::parse(group).unwrap();
    let registry = w.env.connections().unwrap();
    registry.subscriptions_of_group(&group).await.unwrap().len()
}

/// Whose push subscriptions the group's audience holds, over all shards.
pub(super) async fn audience_pushes(w: &World, group: &str) -> Vec<String> {
    use chorus::delivery::audience::{Audience, Shard};
    let audience = audience(w);
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
    skip_without!(without_moto);
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
    assert_eq!(stored(&w, &group).await, 0);
    assert!(
        audience_pushes(&w, &group).await.is_empty(),
        "his devices leave the audience"
    );

    // A subscription the audience knows to be a former member's (stored
    // just before the removal landed, say) is refused, not served.
    let registry = w.env.connections().unwrap();
    let late = stored_row(&group, "bob", "late=");
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
    assert_eq!(stored(&w, &group).await, 0, "the refused row is removed");
    assert!(
        w.push_service.received().is_empty(),
        "no push to a former member"
    );
}

#[tokio::test]
async fn a_member_the_audience_knows_is_served_without_asking_the_store() {
    skip_without!(without_moto);
    use chorus::delivery::audience::Audience;
    let w = world().await;
    let router = w.env.api().unwrap();
    let group = create_group(&router, "alice", "Club").await;
    pump(&w).await;
    // The audience says "ghost" is a member; the store has never heard of
    // them. Were each recipient checked against the store, ghost would get
    // FORBIDDEN; served from the audience, ghost hears the post.
    let ghost = chorus::domain::membership::Membership::founder(
        GroupId::parse(&group).unwrap(),
        UserId::parse("ghost").unwrap(),
        chrono::Utc::now(),
    );
    audience(&w).apply(&ghost, &[]).await.unwrap();
    let registry = w.env.connections().unwrap();
    registry
        .put_subscription(&stored_row(&group, "ghost", "ghost="))
        .await
        .unwrap();
    as_alice(
        &w,
        "postMessage(input: {groupId: $g, body: \"hi\"}) { id }",
        &group,
    )
    .await;
    let events = w.management.events("ghost=");
    assert_eq!(events.len(), 1, "{:?}", w.management.frames("ghost="));
    assert_eq!(events[0]["message"]["body"], "hi");
}
