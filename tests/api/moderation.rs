//! Moderation through the API, on whichever store the suite runs on: timed
//! mutes and bans, what a muted member may still do, and the moderation
//! log for owners and admins only.

use crate::helpers::{error_code, spawn_app};
use serde_json::{json, Value};

const MUTE: &str = "mutation($g: ID!, $u: ID!, $until: DateTime, $r: String) {
  muteMember(groupId: $g, userId: $u, until: $until, reason: $r) { state mutedUntil } }";
const BAN: &str = "mutation($g: ID!, $u: ID!, $until: DateTime, $r: String) {
  banMember(groupId: $g, userId: $u, until: $until, reason: $r) { state bannedUntil } }";
const LOG: &str = "query($g: ID!) { group(id: $g) { moderationLog(first: 10) { edges { node {
  action actor { id } targetUser { id } reason until at } } } } }";

fn in_hours(h: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(h))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[tokio::test]
async fn a_muted_member_reads_but_cannot_post_reply_or_react_until_unmuted() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    let root = alice.post(&g, "hello").await;
    let until = in_hours(1);
    let muted = alice
        .ok(
            MUTE,
            json!({"g": g, "u": bob.id, "until": until, "r": "spam"}),
        )
        .await;
    assert_eq!(muted["muteMember"]["state"], "MEMBER");
    let shown = muted["muteMember"]["mutedUntil"].as_str().unwrap();
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(shown).unwrap(),
        chrono::DateTime::parse_from_rfc3339(&until).unwrap()
    );
    let post = "mutation($g: ID!) { postMessage(input: {groupId: $g, body: \"hi\"}) { id } }";
    let reply = "mutation($p: ID!) { replyToMessage(input: {parentId: $p, body: \"hi\"}) { id } }";
    let react = "mutation($m: ID!) { addReaction(messageId: $m, key: \"👍\") { id } }";
    for (query, vars) in [
        (post, json!({"g": g})),
        (reply, json!({"p": root})),
        (react, json!({"m": root})),
    ] {
        let refused = bob.gql(query, vars).await;
        assert_eq!(
            error_code(&refused).as_deref(),
            Some("FORBIDDEN"),
            "{refused}"
        );
        let at = refused["errors"][0]["extensions"]["until"]
            .as_str()
            .unwrap();
        assert_eq!(
            chrono::DateTime::parse_from_rfc3339(at).unwrap(),
            chrono::DateTime::parse_from_rfc3339(&until).unwrap()
        );
    }
    assert_eq!(
        bob.message_count(&g).await,
        1,
        "reads, and nothing was posted"
    );
    let unmute =
        "mutation($g: ID!, $u: ID!) { unmuteMember(groupId: $g, userId: $u) { mutedUntil } }";
    let unmuted = alice.ok(unmute, json!({"g": g, "u": bob.id})).await;
    assert_eq!(unmuted["unmuteMember"]["mutedUntil"], Value::Null);
    bob.post(&g, "thanks").await;
    assert_eq!(
        alice.err(unmute, json!({"g": g, "u": bob.id})).await,
        "CONFLICT"
    );
    // Without an end: until unmuted.
    let forever = alice.ok(MUTE, json!({"g": g, "u": bob.id})).await;
    assert_eq!(
        forever["muteMember"]["mutedUntil"],
        "9999-12-31T23:59:59+00:00"
    );
}

#[tokio::test]
async fn until_is_in_the_future_and_within_a_year_and_only_admins_moderate() {
    let app = spawn_app().await;
    let (alice, bob, carol) = (app.user("alice"), app.user("bob"), app.user("carol"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    alice.admit(&g, &carol).await;
    for until in [in_hours(-1), in_hours(24 * 400)] {
        for query in [MUTE, BAN] {
            let vars = json!({"g": g, "u": bob.id, "until": until});
            assert_eq!(alice.err(query, vars).await, "BAD_USER_INPUT", "{until}");
        }
    }
    let vars = json!({"g": g, "u": bob.id});
    assert_eq!(carol.err(MUTE, vars.clone()).await, "FORBIDDEN");
    assert_eq!(carol.err(LOG, json!({"g": g})).await, "FORBIDDEN");
    let log = alice.ok(LOG, json!({"g": g})).await;
    assert_eq!(
        log["group"]["moderationLog"]["edges"],
        json!([]),
        "refused actions leave no entry"
    );
}

#[tokio::test]
async fn the_log_records_each_action_with_its_actor_reason_and_until() {
    let app = spawn_app().await;
    let (alice, bob, carol) = (app.user("alice"), app.user("bob"), app.user("carol"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    alice.admit(&g, &carol).await;
    let until = in_hours(2);
    alice
        .ok(
            MUTE,
            json!({"g": g, "u": bob.id, "until": until, "r": "flooding"}),
        )
        .await;
    let banned = alice
        .ok(
            BAN,
            json!({"g": g, "u": carol.id, "until": until, "r": "abuse"}),
        )
        .await;
    assert_eq!(banned["banMember"]["state"], "BANNED");
    assert!(banned["banMember"]["bannedUntil"].is_string());
    assert_eq!(
        carol
            .err(
                "mutation($g: ID!) { applyToGroup(groupId: $g) { state } }",
                json!({"g": g})
            )
            .await,
        "FORBIDDEN"
    );
    let role = "mutation($g: ID!, $u: ID!) { setMemberRole(groupId: $g, userId: $u, role: ADMIN) { role } }";
    alice.ok(role, json!({"g": g, "u": bob.id})).await;
    let log = alice.ok(LOG, json!({"g": g})).await;
    let entries: Vec<(String, String, Value)> = log["group"]["moderationLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let n = &e["node"];
            assert_eq!(n["actor"]["id"], alice.id.as_str());
            (
                n["action"].as_str().unwrap().to_owned(),
                n["targetUser"]["id"].as_str().unwrap().to_owned(),
                n["reason"].clone(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        vec![
            ("MUTED".into(), bob.id.clone(), json!("flooding")),
            ("BANNED".into(), carol.id.clone(), json!("abuse")),
            ("ROLE_CHANGED".into(), bob.id.clone(), Value::Null),
        ]
    );
    // The new admin reads the log too.
    let seen = bob.ok(LOG, json!({"g": g})).await;
    assert_eq!(
        seen["group"]["moderationLog"]["edges"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}
