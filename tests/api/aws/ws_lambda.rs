//! The `ws` Lambda's protocol conversation, fed real API Gateway events.

use super::{fixture, world, World};
use crate::helpers::token;
use crate::skip::skip_without;
use aws_lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use serde_json::{json, Value};

pub(super) async fn send(
    handler: &chorus::lambda::ws::WsHandler,
    name: &str,
    replacements: &[(&str, &str)],
) -> ApiGatewayProxyResponse {
    let event: ApiGatewayWebsocketProxyRequest =
        serde_json::from_value(fixture(name, replacements)).unwrap();
    handler.handle(event).await
}

pub(super) async fn message(
    handler: &chorus::lambda::ws::WsHandler,
    connection: &str,
    body: Value,
) {
    let response = send(
        handler,
        "ws_message.json",
        &[("CONNECTION", connection), ("BODY", &body.to_string())],
    )
    .await;
    assert_eq!(response.status_code, 200);
}

/// A group owned by alice with bob as a member.
pub(super) async fn club(w: &World) -> String {
    let service = w.env.parts().unwrap().service;
    for (id, name) in [("alice", "Alice"), ("bob", "Bob"), ("eve", "Eve")] {
        let profile = chorus::domain::user::Profile {
            id: chorus::domain::UserId::parse(id).unwrap(),
            name: name.into(),
            email: None,
            picture_url: None,
        };
        service.sign_in(&profile).await.unwrap();
    }
    let alice = chorus::domain::UserId::parse("alice").unwrap();
    let bob = chorus::domain::UserId::parse("bob").unwrap();
    let new = chorus::domain::group::NewGroup {
        name: chorus::domain::text::group_name("Club").unwrap(),
        description: None,
        visibility: Default::default(),
    };
    let group = service.create_group(&alice, new).await.unwrap();
    use chorus::domain::membership::Action;
    service
        .change_membership(&bob, &group.id, &bob, Action::Apply { note: None })
        .await
        .unwrap();
    service
        .change_membership(&alice, &group.id, &bob, Action::Approve)
        .await
        .unwrap();
    group.id.to_string()
}

pub(super) const EVENTS: &str =
    "subscription($g: ID!) { groupEvents(groupId: $g) { type message { body } } }";

#[tokio::test]
async fn a_full_graphql_transport_ws_conversation_on_the_ws_lambda() {
    skip_without!(without_moto);
    let w = world().await;
    let handler = w.env.ws().unwrap();
    let group = club(&w).await;
    let registry = w.env.connections().unwrap();

    let refused = send(
        &handler,
        "ws_connect.json",
        &[("CONNECTION", "nobody="), ("TOKEN", "not-a-token")],
    )
    .await;
    assert_eq!(
        refused.status_code, 401,
        "a bad token is refused at $connect"
    );

    let connected = send(
        &handler,
        "ws_connect.json",
        &[("CONNECTION", "bob="), ("TOKEN", &token("bob"))],
    )
    .await;
    assert_eq!(connected.status_code, 200);
    assert_eq!(
        connected.headers["sec-websocket-protocol"],
        "graphql-transport-ws"
    );

    message(
        &handler,
        "bob=",
        json!({"type": "connection_init", "payload": {}}),
    )
    .await;
    message(&handler, "bob=", json!({"type": "ping"})).await;
    message(&handler, "bob=", json!({"id": "s1", "type": "subscribe", "payload": {"query": EVENTS, "variables": {"g": group}}})).await;
    message(
        &handler,
        "bob=",
        json!({"id": "q1", "type": "subscribe", "payload": {"query": "{ me { id } }"}}),
    )
    .await;
    assert_eq!(
        w.management.frames("bob="),
        vec![
            json!({"type": "connection_ack"}),
            json!({"type": "pong"}),
            json!({"type": "next", "id": "q1", "payload": {"data": {"me": {"id": "bob"}}}}),
            json!({"type": "complete", "id": "q1"}),
        ]
    );
    let stored = registry
        .subscriptions_of_group(&chorus::domain::GroupId::parse(&group).unwrap())
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (
            stored[0].connection_id.as_str(),
            stored[0].subscription_id.as_str(),
            stored[0].user_id.as_str()
        ),
        ("bob=", "s1", "bob")
    );

    // A non-member's subscribe is refused with an error for that id.
    send(
        &handler,
        "ws_connect.json",
        &[("CONNECTION", "eve="), ("TOKEN", &token("eve"))],
    )
    .await;
    message(&handler, "eve=", json!({"type": "connection_init"})).await;
    message(&handler, "eve=", json!({"id": "x", "type": "subscribe", "payload": {"query": EVENTS, "variables": {"g": group}}})).await;
    let eve = w.management.frames("eve=");
    assert_eq!(eve[1]["type"], "error");
    assert_eq!(eve[1]["payload"][0]["extensions"]["code"], "FORBIDDEN");

    // complete removes the subscription; $disconnect removes everything.
    message(&handler, "bob=", json!({"id": "s1", "type": "complete"})).await;
    assert!(registry
        .subscriptions_of_group(&chorus::domain::GroupId::parse(&group).unwrap())
        .await
        .unwrap()
        .is_empty());
    message(&handler, "bob=", json!({"id": "s2", "type": "subscribe", "payload": {"query": EVENTS, "variables": {"g": group}}})).await;
    let disconnected = send(&handler, "ws_disconnect.json", &[("CONNECTION", "bob=")]).await;
    assert_eq!(disconnected.status_code, 200);
    assert!(registry.connection("bob=").await.unwrap().is_none());
    assert!(registry
        .subscriptions_of_group(&chorus::domain::GroupId::parse(&group).unwrap())
        .await
        .unwrap()
        .is_empty());
    assert!(
        registry.connection("eve=").await.unwrap().is_some(),
        "other connections stay"
    );
}

#[tokio::test]
async fn protocol_violations_on_the_ws_lambda_close_with_the_protocols_codes() {
    skip_without!(without_moto);
    let w = world().await;
    let handler = w.env.ws().unwrap();
    let group = club(&w).await;
    let subscribe = |id: &str| {
        json!({"id": id, "type": "subscribe", "payload": {"query": EVENTS, "variables": {"g": group}}}).to_string()
    };
    for (connection, user) in [
        ("c1=", "bob"),
        ("c2=", "bob"),
        ("c3=", "bob"),
        ("c4=", "bob"),
    ] {
        send(
            &handler,
            "ws_connect.json",
            &[("CONNECTION", connection), ("TOKEN", &token(user))],
        )
        .await;
    }
    let code = |r: Result<Vec<_>, chorus::graphql::ws::protocol::Close>| r.err().map(|c| c.code());
    assert_eq!(
        code(handler.decide("c1=", &subscribe("a")).await),
        Some(4401),
        "subscribe before connection_init"
    );
    assert_eq!(
        code(handler.decide("c2=", "{\"type\":\"nope\"}").await),
        Some(4400),
        "invalid message"
    );
    handler
        .decide("c3=", r#"{"type":"connection_init"}"#)
        .await
        .unwrap();
    assert_eq!(
        code(handler.decide("c3=", r#"{"type":"connection_init"}"#).await),
        Some(4429),
        "second connection_init"
    );
    handler
        .decide("c4=", r#"{"type":"connection_init"}"#)
        .await
        .unwrap();
    handler.decide("c4=", &subscribe("dup")).await.unwrap();
    assert_eq!(
        code(handler.decide("c4=", &subscribe("dup")).await),
        Some(4409),
        "duplicate subscription id"
    );
    let other = format!(
        r#"{{"type":"connection_init","payload":{{"authorization":"Bearer {}"}}}}"#,
        token("eve")
    );
    send(
        &handler,
        "ws_connect.json",
        &[("CONNECTION", "c5="), ("TOKEN", &token("bob"))],
    )
    .await;
    assert_eq!(
        code(handler.decide("c5=", &other).await),
        Some(4403),
        "connection_init as someone else"
    );

    // Through the Lambda entry point a violation closes the connection.
    message(&handler, "c2=", json!({"type": "nope"})).await;
    assert!(w.management.closed().contains(&"c2=".to_owned()));
}
