//! End to end on the AWS path: a post through the `api` Lambda lands in the
//! events topic; `fanout` keeps the group's audience and splits the event
//! into one message per audience shard; `deliver` reads its shard, posts
//! frames to its subscriptions and pushes to its offline members, and drops
//! exactly the connections and push subscriptions that are gone.

use super::{fixture, world, World};
use crate::helpers::token;
use crate::skip::skip_without;
use aws_lambda_events::sns::SnsEventObj;
use chorus::domain::event::DomainEvent;
use chorus::domain::{GroupId, UserId};
use chorus::lambda::fanout::DeliveryShard;
use serde_json::{json, Value};

pub(super) async fn api(
    router: &chorus::lambda::ApiService,
    user: &str,
    query: &str,
    variables: Value,
) -> Value {
    let value = super::graphql(router, &token(user), query, variables).await;
    assert!(value.get("errors").is_none(), "{value}");
    value["data"].clone()
}

pub(super) fn sns_event<T: serde::Serialize + serde::de::DeserializeOwned>(
    message: &str,
) -> SnsEventObj<T> {
    serde_json::from_value(fixture("sns_notification.json", &[("MESSAGE", message)])).unwrap()
}

pub(super) async fn ws(w: &World, connection: &str, user: &str, bodies: &[Value]) {
    let handler = w.env.ws().unwrap();
    let connect = fixture(
        "ws_connect.json",
        &[("CONNECTION", connection), ("TOKEN", &token(user))],
    );
    assert_eq!(
        handler
            .handle(serde_json::from_value(connect).unwrap())
            .await
            .status_code,
        200
    );
    for body in bodies {
        let event = fixture(
            "ws_message.json",
            &[("CONNECTION", connection), ("BODY", &body.to_string())],
        );
        handler.handle(serde_json::from_value(event).unwrap()).await;
    }
}

pub(super) fn subscribe(group: &str) -> [Value; 2] {
    subscribe_with(
        group,
        "subscription($g: ID!) { groupEvents(groupId: $g) { id type cursor message { id body author { id } } } }",
    )
}

/// `connection_init`, then `query` subscribed as `live` for `group`.
pub(super) fn subscribe_with(group: &str, query: &str) -> [Value; 2] {
    [
        json!({"type": "connection_init"}),
        json!({"id": "live", "type": "subscribe", "payload": {"query": query, "variables": {"g": group}}}),
    ]
}

/// Creates a group through the `api` Lambda and returns its id.
pub(super) async fn create_group(
    router: &chorus::lambda::ApiService,
    owner: &str,
    name: &str,
) -> String {
    let create = "mutation($n: String!) { createGroup(input: {name: $n}) { id } }";
    api(router, owner, create, json!({"n": name})).await["createGroup"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// What SNS would do with everything published so far: each event through
/// `fanout` (as its subscriber), then each shard message through `deliver`.
/// Returns the events.
/// What one run of the pipeline carried.
pub(super) struct Pumped {
    /// The events the events topic received.
    pub events: Vec<DomainEvent>,
    /// The shards `fanout` published for `deliver` (none for an audience
    /// of one shard, which `fanout` delivers itself).
    pub shards_published: usize,
}

/// Runs what the events topic received through `fanout`, and what the
/// delivery topic then received through `deliver`.
pub(super) async fn pump(w: &World) -> Pumped {
    let fanout = w.env.fanout().unwrap();
    let deliver = w.env.deliver().unwrap();
    let events: Vec<DomainEvent> = w
        .events
        .drain(0)
        .await
        .iter()
        .map(|n| serde_json::from_str(n["Message"].as_str().unwrap()).unwrap())
        .collect();
    for event in &events {
        fanout.run(event).await.unwrap();
    }
    let shards = w.delivery.drain(0).await;
    deliver_all(&deliver, &shards).await;
    Pumped {
        events,
        shards_published: shards.len(),
    }
}

/// Each delivery-topic notification through the `deliver` handler.
pub(super) async fn deliver_all(
    deliver: &chorus::lambda::deliver::Deliver,
    notifications: &[Value],
) {
    for notification in notifications {
        let message = notification["Message"].as_str().unwrap();
        chorus::lambda::deliver(deliver, sns_event::<DeliveryShard>(message))
            .await
            .unwrap();
    }
}

/// `member` applies to `group` and `owner` approves, through the `api` Lambda.
pub(super) async fn join(
    router: &chorus::lambda::ApiService,
    group: &str,
    owner: &str,
    member: &str,
) {
    api(
        router,
        member,
        "mutation($g: ID!) { applyToGroup(groupId: $g) { state } }",
        json!({"g": group}),
    )
    .await;
    api(
        router,
        owner,
        "mutation($g: ID!, $u: ID!) { approveApplication(groupId: $g, userId: $u) { state } }",
        json!({"g": group, "u": member}),
    )
    .await;
}

#[tokio::test]
async fn a_post_reaches_every_subscribed_socket_of_its_group_and_pushes_to_offline_members() {
    skip_without!(without_moto);
    let w = world().await;
    let router = w.env.api().unwrap();
    let group = create_group(&router, "alice", "Club").await;
    let other = create_group(&router, "zed", "Elsewhere").await;
    let register = "mutation($e: String!, $p: String!, $a: String!) { registerPushSubscription(input: {endpoint: $e, p256dh: $p, auth: $a}) { endpoint } }";
    let register_as = |user: &'static str| {
        let (endpoint, p256dh, auth) = w.push_service.subscribe(user);
        let router = router.clone();
        async move {
            let vars = json!({"e": endpoint, "p": p256dh, "a": auth});
            api(&router, user, register, vars).await;
        }
    };
    // Carol's device is known before she joins, Bob's and Dave's after.
    register_as("carol").await;
    for member in ["bob", "carol", "dave"] {
        join(&router, &group, "alice", member).await;
    }
    pump(&w).await; // the memberships reach the audience
    register_as("dave").await;
    register_as("bob").await;
    w.push_service.make_gone("dave");
    ws(&w, "alice=", "alice", &subscribe(&group)).await;
    ws(&w, "bob-phone=", "bob", &subscribe(&group)).await;
    ws(&w, "bob-laptop=", "bob", &subscribe(&group)).await;
    ws(&w, "zed=", "zed", &subscribe(&other)).await;
    w.management.make_gone("bob-laptop=");

    // api: the post commits and its event is published with attributes.
    let post =
        "mutation($g: ID!) { postMessage(input: {groupId: $g, body: \"Sunday at ten?\"}) { id } }";
    let message_id = api(&router, "alice", post, json!({"g": group})).await["postMessage"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let published = w.events.drain(1).await;
    assert_eq!(published.len(), 1, "{published:?}");
    assert_eq!(
        published[0]["MessageAttributes"]["type"]["Value"],
        "MESSAGE_POSTED"
    );
    assert_eq!(
        published[0]["MessageAttributes"]["groupId"]["Value"],
        group.as_str()
    );
    let event_json = published[0]["Message"].as_str().unwrap();
    let event_id = serde_json::from_str::<Value>(event_json).unwrap()["id"].clone();
    assert!(
        event_id.as_str().unwrap().starts_with("ev_"),
        "{event_json}"
    );

    // fanout: four members, two per shard: two shards, one PublishBatch.
    let report = w
        .env
        .fanout()
        .unwrap()
        .run(&serde_json::from_str::<DomainEvent>(event_json).unwrap())
        .await
        .unwrap();
    assert_eq!((report.shards, report.publish_calls), (2, 1));
    chorus::lambda::fanout(&w.env.fanout().unwrap(), sns_event(event_json))
        .await
        .unwrap();
    let shards = w.delivery.drain(4).await;
    assert_eq!(shards.len(), 4, "two fan-outs of two shards");

    // deliver: every shard of one fan-out.
    let deliver = w.env.deliver().unwrap();
    deliver_all(&deliver, &shards[..2]).await;
    for connection in ["alice=", "bob-phone="] {
        let frames = w.management.frames(connection);
        let next = frames
            .iter()
            .find(|f| f["type"] == "next")
            .unwrap_or_else(|| panic!("{connection}: {frames:?}"));
        assert_eq!(next["id"], "live");
        let delivered = &next["payload"]["data"]["groupEvents"];
        assert_eq!(delivered["id"], event_id, "one id for every recipient");
        assert_eq!(
            next["payload"]["data"]["groupEvents"]["message"],
            json!({"id": message_id, "body": "Sunday at ten?", "author": {"id": "alice"}})
        );
    }
    assert!(
        w.management
            .frames("zed=")
            .iter()
            .all(|f| f["type"] != "next"),
        "another group's socket hears nothing"
    );
    let registry = w.env.connections().unwrap();
    assert!(
        registry.connection("bob-laptop=").await.unwrap().is_none(),
        "the gone connection is removed"
    );
    assert!(
        registry.connection("bob-phone=").await.unwrap().is_some(),
        "and only that one"
    );
    let subscriptions = registry
        .subscriptions_of_group(&GroupId::parse(&group).unwrap())
        .await
        .unwrap();
    assert_eq!(subscriptions.len(), 2);

    let received = w.push_service.received();
    assert_eq!(
        received.len(),
        1,
        "one push, to carol: {received:?} refused: {:?}",
        w.push_service.refused()
    );
    let (name, payload) = &received[0];
    assert_eq!(name, "carol");
    assert_eq!(payload["messageId"], message_id.as_str());
    assert_eq!(payload["id"], event_id, "pushes carry the event's id too");
    assert_eq!(payload["preview"], "Sunday at ten?");
    assert_eq!(payload["groupId"], group.as_str());
    use chorus::service::ports::PushRegistry;
    let push = chorus::delivery::dynamo_push::DynamoPushRegistry::new(
        aws_sdk_dynamodb::Client::new(&w.env.sdk),
        w.env.config.aws.push_table.clone().unwrap(),
        None,
    );
    for (user, expected) in [("dave", 0), ("carol", 1), ("bob", 1)] {
        let found = push.of_users(&[UserId::parse(user).unwrap()]).await;
        let n = found.unwrap().len();
        assert_eq!(
            n, expected,
            "{user}'s endpoints (dave's gone one is removed)"
        );
    }
    let audience = super::audience::audience_pushes(&w, &group).await;
    assert_eq!(audience, vec!["bob", "carol"], "and gone from the audience");

    // A redelivery (the second fan-out of the same event) carries the same
    // id, so the client can drop it.
    deliver_all(&deliver, &shards[2..]).await;
    let ids: Vec<Value> = w
        .management
        .events("alice=")
        .iter()
        .map(|e| e["id"].clone())
        .collect();
    assert_eq!(ids, vec![event_id.clone(), event_id]);
}

#[tokio::test]
async fn reaction_events_reach_sockets_through_fanout_and_never_push() {
    skip_without!(without_moto);
    let w = world().await;
    let router = w.env.api().unwrap();
    let group = create_group(&router, "alice", "Club").await;
    join(&router, &group, "alice", "bob").await;
    let register = "mutation($e: String!, $p: String!, $a: String!) { registerPushSubscription(input: {endpoint: $e, p256dh: $p, auth: $a}) { endpoint } }";
    let (endpoint, p256dh, auth) = w.push_service.subscribe("alice");
    let vars = json!({"e": endpoint, "p": p256dh, "a": auth});
    api(&router, "alice", register, vars).await;
    let post = "mutation($g: ID!) { postMessage(input: {groupId: $g, body: \"ship?\"}) { id } }";
    let message = api(&router, "alice", post, json!({"g": group})).await["postMessage"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    pump(&w).await;
    let pushed = w.push_service.received().len();
    let query =
        "subscription($g: ID!) { groupEvents(groupId: $g) { type reaction { key user { id } }
        message { id reactions { key count viewerReacted } } } }";
    let live = subscribe_with(&group, query);
    ws(&w, "bob=", "bob", &live).await;
    let react = "mutation($m: ID!) { addReaction(messageId: $m, key: \"🚀\") { id } }";
    api(&router, "alice", react, json!({"m": message})).await;
    api(&router, "alice", react, json!({"m": message})).await;
    let events = pump(&w).await.events;
    assert_eq!(events.len(), 1, "a repeat publishes nothing: {events:?}");
    let heard = w.management.events("bob=");
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert_eq!(heard[0]["type"], "REACTION_ADDED");
    assert_eq!(
        heard[0]["reaction"],
        json!({"key": "🚀", "user": {"id": "alice"}})
    );
    assert_eq!(
        heard[0]["message"]["reactions"],
        json!([{"key": "🚀", "count": 1, "viewerReacted": false}])
    );
    assert_eq!(
        w.push_service.received().len(),
        pushed,
        "reactions never push"
    );
}

#[tokio::test]
async fn a_report_is_published_for_webhooks_and_reaches_no_socket() {
    skip_without!(without_moto);
    let w = world().await;
    let router = w.env.api().unwrap();
    let group = create_group(&router, "alice", "Club").await;
    join(&router, &group, "alice", "bob").await;
    let post = "mutation($g: ID!) { postMessage(input: {groupId: $g, body: \"spam\"}) { id } }";
    let message = api(&router, "bob", post, json!({"g": group})).await["postMessage"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    pump(&w).await;
    let live = subscribe_with(
        &group,
        "subscription($g: ID!) { groupEvents(groupId: $g) { type } }",
    );
    ws(&w, "alice=", "alice", &live).await;
    let report = "mutation($m: ID!) { reportMessage(messageId: $m, reason: SPAM) { id } }";
    api(&router, "alice", report, json!({"m": message})).await;
    let events = pump(&w).await.events;
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(
        w.management.events("alice=").is_empty(),
        "not even an admin's socket hears a report"
    );
}

#[tokio::test]
async fn typing_reaches_sockets_through_fanout_once_per_throttle() {
    skip_without!(without_moto);
    let w = world().await;
    let router = w.env.api().unwrap();
    let group = create_group(&router, "alice", "Club").await;
    join(&router, &group, "alice", "bob").await;
    pump(&w).await;
    let query =
        "subscription($g: ID!) { groupEvents(groupId: $g) { type typing { user { id } typing } } }";
    let live = subscribe_with(&group, query);
    ws(&w, "alice=", "alice", &live).await;
    let typing = "mutation($g: ID!) { setTyping(groupId: $g) }";
    api(&router, "bob", "{ me { id } }", json!({})).await; // bob's lastSeenAt
    let (tables, outbox) = (dynamo_items(&w).await, pending(&w).await);
    for _ in 0..5 {
        api(&router, "bob", typing, json!({"g": group})).await;
    }
    assert_eq!(dynamo_items(&w).await, tables, "no DynamoDB write per call");
    assert_eq!(pending(&w).await, outbox, "nothing in the outbox");
    let pumped = pump(&w).await;
    let events = pumped.events;
    assert_eq!(events.len(), 1, "five calls, one indicator: {events:?}");
    assert_eq!(events[0].kind, chorus::domain::event::EventKind::Typing);
    assert_eq!(events[0].member_count, Some(2), "fanout need not read it");
    assert_eq!(pumped.shards_published, 0, "a small group: one hop");
    let heard = w.management.events("alice=");
    assert_eq!(
        heard,
        vec![json!({"type": "TYPING", "typing": {"user": {"id": "bob"}, "typing": true}})]
    );
}

/// Every item of every DynamoDB table the world uses, as text.
async fn dynamo_items(w: &World) -> Vec<String> {
    let client = aws_sdk_dynamodb::Client::new(&w.env.sdk);
    let aws = &w.env.config.aws;
    let tables = [
        &aws.connections_table,
        &aws.push_table,
        &aws.audience_table,
        &aws.rate_limit_table,
    ];
    let mut items = Vec::new();
    for table in tables.into_iter().flatten() {
        let scan = client.scan().table_name(table).send().await.unwrap();
        let mut rows: Vec<String> = scan
            .items()
            .iter()
            .map(|item| {
                format!(
                    "{:?}",
                    item.iter().collect::<std::collections::BTreeMap<_, _>>()
                )
            })
            .collect();
        rows.sort();
        items.push(format!("{table}: {rows:?}"));
    }
    items
}

/// The ids of the events the outbox holds.
async fn pending(w: &World) -> Vec<String> {
    let events = w
        .env
        .store
        .pending_events(chrono::Utc::now() + chrono::Duration::hours(1), usize::MAX)
        .await
        .unwrap();
    events.iter().map(|e| e.id.to_string()).collect()
}

#[tokio::test]
async fn presence_on_aws_is_read_from_the_connections_table() {
    skip_without!(without_moto);
    let w = world().await;
    let router = w.env.api().unwrap();
    let group = create_group(&router, "alice", "Club").await;
    join(&router, &group, "alice", "bob").await;
    let query = "{ node(id: \"bob\") { ... on User { presence { online } } } }";
    let offline = api(&router, "alice", query, json!({})).await;
    assert_eq!(offline["node"]["presence"]["online"], false);
    ws(&w, "bob=", "bob", &subscribe(&group)).await;
    let online = api(&router, "alice", query, json!({})).await;
    assert_eq!(online["node"]["presence"]["online"], true);
}
