//! Read markers, unread counts, levels and mentions through the schema.

use crate::helpers::{error_code, spawn_app, spawn_app_with};
use serde_json::json;

const GROUP: &str = "query($g: ID!) { group(id: $g) { unreadCount unreadMentionCount
    viewerMembership { notificationLevel lastReadAt } } }";
const MARK: &str = "mutation($g: ID!, $m: ID!) { markRead(groupId: $g, upTo: $m) {
    lastReadAt state } }";
const SUMMARY: &str = "{ unreadSummary { groups messages mentions } }";

#[tokio::test]
async fn a_member_sees_unread_counts_move_with_their_marker_and_mentions() {
    let app = spawn_app().await;
    let (alice, bob, eve) = (app.user("alice"), app.user("bob"), app.user("eve"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    let first = alice.post(&g, "hi @bob and @eve").await;
    let reply = alice.reply(&first, "a reply").await;
    bob.post(&g, "mine").await;
    let data = bob.ok(GROUP, json!({"g": g})).await;
    assert_eq!(
        data["group"],
        json!({"unreadCount": 2, "unreadMentionCount": 1,
               "viewerMembership": {"notificationLevel": "ALL", "lastReadAt": null}})
    );
    let mentions = alice
        .ok(
            "query($m: ID!) { message(id: $m) { mentions { id name } } }",
            json!({"m": first}),
        )
        .await;
    assert_eq!(
        mentions["message"]["mentions"],
        json!([{"id": "bob", "name": "bob name"}]),
        "eve is no member"
    );
    assert_eq!(
        bob.ok(SUMMARY, json!({})).await["unreadSummary"],
        json!({"groups": 1, "messages": 2, "mentions": 1})
    );
    let marked = bob.ok(MARK, json!({"g": g, "m": reply})).await;
    assert!(marked["markRead"]["lastReadAt"].is_string());
    assert_eq!(marked["markRead"]["state"], "MEMBER");
    let data = bob.ok(GROUP, json!({"g": g})).await;
    assert_eq!(
        (
            data["group"]["unreadCount"].as_i64(),
            data["group"]["unreadMentionCount"].as_i64()
        ),
        (Some(0), Some(0))
    );
    assert_eq!(
        bob.ok(SUMMARY, json!({})).await["unreadSummary"],
        json!({"groups": 0, "messages": 0, "mentions": 0})
    );
    // Non-members see nothing unread and cannot mark.
    let data = eve.ok(GROUP, json!({"g": g})).await;
    assert_eq!(data["group"]["unreadCount"], 0);
    assert_eq!(
        eve.err(MARK, json!({"g": g, "m": reply})).await,
        "FORBIDDEN"
    );
    // Whatever the message: a non-member learns nothing of where it is.
    let eves = eve.create_group("Eve's").await;
    let mine = eve.post(&eves, "mine").await;
    for m in [mine.as_str(), "m_nope"] {
        assert_eq!(
            eve.err(MARK, json!({"g": g, "m": m})).await,
            "FORBIDDEN",
            "{m}"
        );
    }
}

#[tokio::test]
async fn markers_refuse_other_groups_and_bad_ids_and_levels_are_kept() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    let other = alice.create_group("Other").await;
    let elsewhere = alice.post(&other, "elsewhere").await;
    assert_eq!(
        alice.err(MARK, json!({"g": g, "m": elsewhere})).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        alice.err(MARK, json!({"g": g, "m": "m_nope"})).await,
        "NOT_FOUND"
    );
    let set = "mutation($g: ID!, $l: NotificationLevel!) {
        setNotificationLevel(groupId: $g, level: $l) { notificationLevel } }";
    let data = alice.ok(set, json!({"g": g, "l": "MENTIONS"})).await;
    assert_eq!(
        data["setNotificationLevel"]["notificationLevel"],
        "MENTIONS"
    );
    let data = alice.ok(GROUP, json!({"g": g})).await;
    assert_eq!(
        data["group"]["viewerMembership"]["notificationLevel"],
        "MENTIONS"
    );
    assert_eq!(
        alice.err(set, json!({"g": g, "l": "LOUD"})).await,
        "BAD_USER_INPUT"
    );
    let eve = app.user("eve");
    assert_eq!(
        eve.err(set, json!({"g": g, "l": "NONE"})).await,
        "FORBIDDEN"
    );
}

#[tokio::test]
async fn marking_read_is_rate_limited() {
    let app = spawn_app_with(&[("CHORUS_RATE_BURST", "3"), ("CHORUS_RATE_PER_SEC", "1")]).await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    let m = alice.post(&g, "hello").await;
    let mut codes = Vec::new();
    for _ in 0..5 {
        codes.push(error_code(&alice.gql(MARK, json!({"g": g, "m": m})).await));
    }
    assert!(
        codes.contains(&Some("RATE_LIMITED".to_owned())),
        "{codes:?}"
    );
}
