//! The local server logs the pushes a new message makes (no push service
//! to call), by the rule `deliver` follows: offline members, per level,
//! never the author, and never the message's text.

use crate::helpers::spawn_app;
use crate::privacy::{record, recorded};
use crate::ws_client::Ws;
use serde_json::json;
use std::time::Duration;

const MARKER: &str = "push (local: logged, not sent)";

fn push_lines() -> Vec<String> {
    recorded()
        .lines()
        .filter(|l| l.contains(MARKER))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn pushes_are_logged_for_offline_members_by_level() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    let register = "mutation($p: DevicePlatform!, $t: String!) {
        registerDevice(platform: $p, token: $t) { id } }";
    for (name, platform) in [
        ("alice", "FCM"),
        ("bob", "FCM"),
        ("carol", "APNS"),
        ("dave", "FCM"),
    ] {
        let user = app.user(name);
        if name != "alice" {
            alice.admit(&g, &user).await;
        }
        let token = format!("{name}-phone");
        user.ok(register, json!({"p": platform, "t": token})).await;
    }
    let web = "mutation { registerPushSubscription(input: {endpoint: \"https://push.example/bob\",
        p256dh: \"BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4\",
        auth: \"BTBZMqHH6r4Tts7J_aSIgg\"}) { endpoint } }";
    app.user("bob").ok(web, json!({})).await;
    app.user("dave")
        .ok(
            "mutation($g: ID!) { setNotificationLevel(groupId: $g, level: NONE) { notificationLevel } }",
            json!({"g": g}),
        )
        .await;
    // Carol is online: her subscription hears the post itself.
    let mut carol = Ws::connect(&app, "carol").await;
    carol.subscribe("s", &g).await;
    tokio::time::sleep(Duration::from_millis(100)).await;

    record();
    alice.post(&g, "a private plan for sunday").await;
    assert_eq!(carol.recv().await["type"], "next");
    for _ in 0..100 {
        if push_lines().len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let lines = push_lines();
    assert_eq!(lines.len(), 2, "bob's phone and browser: {lines:#?}");
    assert!(lines.iter().all(|l| l.contains("bob")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.contains("FCM")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.contains("web push")), "{lines:#?}");
    assert!(
        !recorded().contains("private plan"),
        "the text stays out of the logs"
    );
}
