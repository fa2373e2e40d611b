//! Bots on the Lambda path (moto): the `api` function takes a bot's key,
//! the `ws` function admits it at `$connect` and `connection_init`, and a
//! revoked key is refused by both at once.

use super::ws_lambda::{club, message, send, EVENTS};
use super::{fixture, world};
use crate::skip::skip_without;
use serde_json::{json, Value};

async fn graphql(router: &chorus::lambda::ApiService, key: &str, query: &str) -> Value {
    super::graphql(router, key, query, json!({})).await
}

/// The world's service, alice, the group's id and a bot alice made in it.
async fn bot_of(
    w: &super::World,
    group: &str,
) -> (
    std::sync::Arc<chorus::service::Service>,
    chorus::domain::UserId,
    chorus::domain::GroupId,
    chorus::service::BotWithKey,
) {
    let service = w.env.parts().unwrap().service;
    let alice = chorus::domain::UserId::parse("alice").unwrap();
    let group_id = chorus::domain::GroupId::parse(group).unwrap();
    let created = service.create_bot(&alice, &group_id, "CI").await.unwrap();
    (service, alice, group_id, created)
}

#[tokio::test]
async fn a_bot_posts_and_subscribes_through_the_lambdas_until_revoked() {
    skip_without!(without_moto);
    let w = world().await;
    let group = club(&w).await;
    let (service, alice, group_id, created) = bot_of(&w, &group).await;
    let key = created.api_key.as_str();
    let bot_user = created.bot.user_id.to_string();

    let api = w.env.api().unwrap();
    let post = format!(
        "mutation {{ postMessage(input: {{groupId: \"{group}\", body: \"build green\"}}) {{ author {{ id }} }} }}"
    );
    let posted = graphql(&api, key, &post).await;
    assert_eq!(
        posted["data"]["postMessage"]["author"]["id"],
        bot_user.as_str(),
        "{posted}"
    );

    let ws = w.env.ws().unwrap();
    let connected = send(
        &ws,
        "ws_connect.json",
        &[("CONNECTION", "bot="), ("TOKEN", key)],
    )
    .await;
    assert_eq!(connected.status_code, 200);
    message(
        &ws,
        "bot=",
        json!({"type": "connection_init", "payload": {"authorization": format!("Bearer {key}")}}),
    )
    .await;
    message(&ws, "bot=", json!({"id": "s1", "type": "subscribe", "payload": {"query": EVENTS, "variables": {"g": group}}})).await;
    assert_eq!(
        w.management.frames("bot="),
        vec![json!({"type": "connection_ack"})]
    );
    let registry = w.env.connections().unwrap();
    let stored = registry.subscriptions_of_group(&group_id).await.unwrap();
    assert!(
        stored.iter().any(|s| s.user_id.as_str() == bot_user),
        "{stored:?}"
    );

    service.revoke_bot(&alice, &created.bot.id).await.unwrap();
    let refused = graphql(&api, key, "{ me { id } }").await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    let again = send(
        &ws,
        "ws_connect.json",
        &[("CONNECTION", "bot2="), ("TOKEN", key)],
    )
    .await;
    assert_eq!(again.status_code, 401);
}

#[tokio::test]
async fn an_incoming_webhook_posts_through_the_api_function() {
    skip_without!(without_moto);
    let w = world().await;
    let group = club(&w).await;
    let api = w.env.api().unwrap();
    let alice = crate::helpers::token("alice");
    let create = format!(
        "mutation {{ createIncomingWebhook(groupId: \"{group}\", name: \"Alerts\") {{ url }} }}"
    );
    let created = graphql(&api, &alice, &create).await;
    let url = created["data"]["createIncomingWebhook"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = url
        .strip_prefix("https://k3x9v2.execute-api.us-east-1.amazonaws.com")
        .unwrap_or_else(|| panic!("the URL names the API's own address: {url}"));
    let mut parts = path.trim_start_matches("/hooks/").split('/');
    let (hook, secret) = (parts.next().unwrap(), parts.next().unwrap());

    let body = json!({"text": "CPU high on api-3"}).to_string();
    let event = fixture(
        "http_api_v2_post_hook.json",
        &[
            ("PATH", path),
            ("HOOK", hook),
            ("SECRET", secret),
            ("BODY", &body),
        ],
    );
    let (status, bytes) = super::invoke(&api, event).await;
    assert_eq!(status, 200);
    assert_eq!(&bytes[..], b"ok");
    let read = format!(
        "{{ group(id: \"{group}\") {{ messages {{ edges {{ node {{ body author {{ name }} }} }} }} }} }}"
    );
    let messages = graphql(&api, &alice, &read).await;
    assert_eq!(
        messages["data"]["group"]["messages"]["edges"][0]["node"],
        json!({"body": "CPU high on api-3", "author": {"name": "Alerts"}})
    );
}

#[tokio::test]
async fn a_rotated_key_closes_its_connections_at_subscribe_and_at_delivery() {
    skip_without!(without_moto);
    let w = world().await;
    let group = club(&w).await;
    let (service, alice, group_id, created) = bot_of(&w, &group).await;
    let key = created.api_key.as_str();
    let ws = w.env.ws().unwrap();
    let init =
        json!({"type": "connection_init", "payload": {"authorization": format!("Bearer {key}")}});
    let subscribe = |id: &str| json!({"id": id, "type": "subscribe", "payload": {"query": EVENTS, "variables": {"g": group}}});
    // One connection subscribed, one only initialised, both on the key.
    for connection in ["live=", "idle="] {
        let connected = send(
            &ws,
            "ws_connect.json",
            &[("CONNECTION", connection), ("TOKEN", key)],
        )
        .await;
        assert_eq!(connected.status_code, 200);
        message(&ws, connection, init.clone()).await;
    }
    message(&ws, "live=", subscribe("s1")).await;
    super::delivery::pump(&w).await;

    service
        .rotate_bot_key(&alice, &created.bot.id)
        .await
        .unwrap();
    // Where operations start: the idle connection's subscribe closes it.
    message(&ws, "idle=", subscribe("s2")).await;
    assert!(w.management.closed().contains(&"idle=".to_owned()));

    // Where events are delivered: the next post closes the live one and
    // sends it nothing.
    let bob = chorus::domain::UserId::parse("bob").unwrap();
    let body = chorus::domain::text::message_body("after rotation").unwrap();
    service
        .post_message(&bob, &group_id, body, None, &[])
        .await
        .unwrap();
    super::delivery::pump(&w).await;
    assert!(w.management.closed().contains(&"live=".to_owned()));
    assert!(
        !w.management
            .frames("live=")
            .iter()
            .any(|f| f.to_string().contains("after rotation")),
        "{:?}",
        w.management.frames("live=")
    );
    let registry = w.env.connections().unwrap();
    let stored = registry.subscriptions_of_group(&group_id).await.unwrap();
    assert!(
        stored.iter().all(|s| s.connection_id != "live="),
        "{stored:?}"
    );
}
