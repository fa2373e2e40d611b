//! The `ws` Lambda's limits: token lifetime and sockets per user.

use super::world;
use super::ws_lambda::{club, message, send, EVENTS};
use crate::helpers::token;
use crate::skip::skip_without;
use serde_json::json;

/// A dev token for `user` that expires `secs` from now.
/// A token that expires `secs` seconds from now (at least `secs - 1`: the
/// claim is whole seconds), and that expiry.
fn token_expiring_in(user: &str, secs: i64) -> (String, i64) {
    let lifetime = 30 * 24 * 3600;
    let iat = chrono::Utc::now().timestamp() - lifetime + secs;
    let token = chorus::auth::dev::DevTokens::new(crate::helpers::DEV_SECRET.to_owned().into())
        .issue_at(user, user, iat)
        .unwrap();
    (token, iat + lifetime)
}

/// Sleeps until the clock has passed `expires_at`, however slow the machine
/// was before: the tests wait on the token's own expiry, not a fixed delay.
async fn wait_past(expires_at: i64) {
    let left = expires_at * 1000 + 100 - chrono::Utc::now().timestamp_millis();
    if let Ok(left) = u64::try_from(left) {
        tokio::time::sleep(std::time::Duration::from_millis(left)).await;
    }
}

#[tokio::test]
async fn a_connection_whose_token_expired_is_closed_at_subscribe_and_at_delivery() {
    skip_without!(without_moto);
    let w = world().await;
    let handler = w.env.ws().unwrap();
    let group = club(&w).await;
    let registry = w.env.connections().unwrap();
    let (token, expires_at) = token_expiring_in("bob", 4);
    for connection in ["short=", "later="] {
        send(
            &handler,
            "ws_connect.json",
            &[("CONNECTION", connection), ("TOKEN", &token)],
        )
        .await;
        message(&handler, connection, json!({"type": "connection_init"})).await;
    }
    let subscribe = json!({"id": "s1", "type": "subscribe", "payload": {"query": EVENTS, "variables": {"g": group}}});
    message(&handler, "short=", subscribe.clone()).await;
    let group_id = chorus::domain::GroupId::parse(&group).unwrap();
    let stored = registry.subscriptions_of_group(&group_id).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert!(stored[0].token_expires_at.is_some());
    wait_past(expires_at).await;

    // A subscribe after expiry closes the connection.
    message(&handler, "later=", subscribe).await;
    assert!(w.management.closed().contains(&"later=".to_owned()));
    assert!(registry.connection("later=").await.unwrap().is_none());

    // Delivery to the subscription stored before expiry closes it too.
    let event = chorus::domain::event::DomainEvent::membership(
        chorus::domain::membership::Membership::founder(
            group_id.clone(),
            chorus::domain::UserId::parse("alice").unwrap(),
            chrono::Utc::now(),
        ),
        chrono::Utc::now(),
    );
    let job = chorus::lambda::fanout::DeliveryShard {
        event,
        shard: chorus::delivery::audience::Shard { index: 0, count: 1 },
    };
    let report = w.env.deliver().unwrap().run(&job).await.unwrap();
    assert_eq!((report.frames, report.expired_connections), (0, 1));
    assert!(w
        .management
        .frames("short=")
        .iter()
        .all(|f| f["type"] != "next"));
    assert!(w.management.closed().contains(&"short=".to_owned()));
    assert!(registry.connection("short=").await.unwrap().is_none());
}

#[tokio::test]
async fn a_user_over_the_socket_cap_is_refused_at_connect_until_one_closes() {
    skip_without!(without_moto);
    let mut w = world().await;
    w.env.config.limits.max_sockets_per_user = 2;
    let handler = w.env.ws().unwrap();
    club(&w).await;
    let connect = |connection: &'static str, user: &'static str| {
        let handler = &handler;
        async move {
            send(
                handler,
                "ws_connect.json",
                &[("CONNECTION", connection), ("TOKEN", &token(user))],
            )
            .await
            .status_code
        }
    };
    assert_eq!(connect("b1=", "bob").await, 200);
    assert_eq!(connect("b2=", "bob").await, 200);
    assert_eq!(
        connect("b3=", "bob").await,
        429,
        "a third socket is refused"
    );
    assert_eq!(connect("a1=", "alice").await, 200, "other users are not");
    let registry = w.env.connections().unwrap();
    assert!(registry.connection("b3=").await.unwrap().is_none());

    send(&handler, "ws_disconnect.json", &[("CONNECTION", "b1=")]).await;
    assert_eq!(
        connect("b4=", "bob").await,
        200,
        "a closed socket frees its place"
    );
    assert_eq!(connect("b5=", "bob").await, 429);

    // A socket whose token has expired no longer counts.
    let (short, expires_at) = token_expiring_in("bob", 4);
    w.env.config.limits.max_sockets_per_user = 3;
    let handler = w.env.ws().unwrap();
    let status = send(
        &handler,
        "ws_connect.json",
        &[("CONNECTION", "b6="), ("TOKEN", &short)],
    )
    .await
    .status_code;
    assert_eq!(status, 200);
    let refused = send(
        &handler,
        "ws_connect.json",
        &[("CONNECTION", "b7="), ("TOKEN", &token("bob"))],
    )
    .await;
    assert_eq!(refused.status_code, 429);
    wait_past(expires_at).await;
    let admitted = send(
        &handler,
        "ws_connect.json",
        &[("CONNECTION", "b8="), ("TOKEN", &token("bob"))],
    )
    .await;
    assert_eq!(admitted.status_code, 200);
}
