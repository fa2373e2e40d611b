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

const REPORT: &str = "mutation($m: ID!, $r: ReportReason!, $n: String) {
  reportMessage(messageId: $m, reason: $r, note: $n) { id state reason note reporter { id } message { id } } }";
const REPORTS: &str = "query($g: ID!, $s: ReportState) { group(id: $g) { reports(state: $s) {
  edges { node { id state action reason note resolvedBy { id } message { id body } } } } } }";
const RESOLVE: &str = "mutation($id: ID!, $a: ReportAction!, $until: DateTime, $n: String) {
  resolveReport(id: $id, action: $a, until: $until, note: $n) { state action resolvedBy { id } } }";

/// The story of the issue: a member reports, the admin receives it (no one
/// else does, not even on `groupEvents`), mutes the author for an hour from
/// the report, and sees both in the log.
#[tokio::test]
async fn a_report_reaches_the_admins_only_and_its_resolution_is_logged() {
    let app = spawn_app().await;
    let (alice, bob, carol) = (app.user("alice"), app.user("bob"), app.user("carol"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    alice.admit(&g, &carol).await;
    let spam = carol.post(&g, "cheap watches").await;
    let mut ws = crate::ws_client::Ws::connect(&app, "bob").await;
    ws.subscribe("s1", &g).await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let vars = json!({"m": spam, "r": "SPAM", "n": "third time today"});
    let report = bob.ok(REPORT, vars.clone()).await["reportMessage"].clone();
    assert_eq!(report["state"], "OPEN");
    let repeat = bob.ok(REPORT, vars).await["reportMessage"].clone();
    assert_eq!(repeat["id"], report["id"], "a repeat is the first report");
    // The next thing bob's socket hears is a post, not the report.
    alice.post(&g, "after the report").await;
    let heard = ws.recv().await;
    assert_eq!(
        heard["payload"]["data"]["groupEvents"]["type"], "MESSAGE_POSTED",
        "{heard}"
    );
    for outsider in [&bob, &carol] {
        assert_eq!(outsider.err(REPORTS, json!({"g": g})).await, "FORBIDDEN");
    }
    let node = "query($id: ID!) { node(id: $id) { id } }";
    let hidden = bob.ok(node, json!({"id": report["id"]})).await;
    assert_eq!(
        hidden["node"],
        Value::Null,
        "a report is the admins' to see"
    );
    let listed = alice.ok(REPORTS, json!({"g": g})).await;
    let edges = listed["group"]["reports"]["edges"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(edges.len(), 1);
    assert_eq!(edges[0]["node"]["note"], "third time today");
    assert_eq!(edges[0]["node"]["message"]["body"], "cheap watches");

    let until = in_hours(1);
    let vars = json!({"id": report["id"], "a": "MUTE_AUTHOR", "until": until, "n": "spam"});
    let resolved = alice.ok(RESOLVE, vars.clone()).await["resolveReport"].clone();
    assert_eq!(
        resolved,
        json!({"state": "RESOLVED", "action": "MUTE_AUTHOR", "resolvedBy": {"id": alice.id}})
    );
    assert_eq!(alice.err(RESOLVE, vars).await, "CONFLICT", "resolved once");
    let post = "mutation($g: ID!) { postMessage(input: {groupId: $g, body: \"more\"}) { id } }";
    assert_eq!(carol.err(post, json!({"g": g})).await, "FORBIDDEN", "muted");
    let open = alice.ok(REPORTS, json!({"g": g})).await;
    assert_eq!(open["group"]["reports"]["edges"], json!([]));
    let done = alice.ok(REPORTS, json!({"g": g, "s": "RESOLVED"})).await;
    assert_eq!(
        done["group"]["reports"]["edges"].as_array().unwrap().len(),
        1
    );
    let log = alice.ok(LOG, json!({"g": g})).await;
    let actions: Vec<&str> = log["group"]["moderationLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["MUTED", "REPORT_RESOLVED"]);
}

#[tokio::test]
async fn reports_refuse_own_unreadable_and_too_many_messages() {
    let app = spawn_app().await;
    let (alice, bob, eve) = (app.user("alice"), app.user("bob"), app.user("eve"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    let own = bob.post(&g, "mine").await;
    assert_eq!(
        bob.err(REPORT, json!({"m": own, "r": "OTHER"})).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        eve.err(REPORT, json!({"m": own, "r": "OTHER"})).await,
        "FORBIDDEN"
    );
    let long = "x".repeat(501);
    let vars = json!({"m": own, "r": "OTHER", "n": long});
    assert_eq!(alice.err(REPORT, vars).await, "BAD_USER_INPUT");
    let mut refused = None;
    for i in 0..11 {
        let m = alice.post(&g, &format!("message {i}")).await;
        let reply = bob.gql(REPORT, json!({"m": m, "r": "SPAM"})).await;
        if let Some(code) = error_code(&reply) {
            refused = Some((
                i,
                code,
                reply["errors"][0]["extensions"]["retryAfterMs"].clone(),
            ));
            break;
        }
    }
    let (at, code, retry) = refused.expect("the 11th report in an hour is refused");
    assert_eq!((at, code.as_str()), (10, "RATE_LIMITED"));
    assert!(retry.as_u64().unwrap() > 0);
}

#[tokio::test]
async fn slow_mode_holds_plain_members_to_one_post_a_window() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    let set = "mutation($g: ID!, $s: Int!) { updateGroup(input: {id: $g, slowModeSeconds: $s}) { slowModeSeconds } }";
    for bad in [-1, 3601] {
        assert_eq!(
            alice.err(set, json!({"g": g, "s": bad})).await,
            "BAD_USER_INPUT"
        );
    }
    assert_eq!(bob.err(set, json!({"g": g, "s": 30})).await, "FORBIDDEN");
    let on = alice.ok(set, json!({"g": g, "s": 30})).await;
    assert_eq!(on["updateGroup"]["slowModeSeconds"], 30);
    let post = "mutation($g: ID!, $c: String) { postMessage(input: {groupId: $g, body: \"hi\", clientMessageId: $c}) { id } }";
    let first = bob.ok(post, json!({"g": g, "c": "one"})).await["postMessage"]["id"].clone();
    let retried = bob.ok(post, json!({"g": g, "c": "one"})).await["postMessage"]["id"].clone();
    assert_eq!(first, retried, "a retry returns the first message");
    let refused = bob.gql(post, json!({"g": g, "c": "two"})).await;
    assert_eq!(error_code(&refused).as_deref(), Some("RATE_LIMITED"));
    let wait = refused["errors"][0]["extensions"]["retryAfterMs"]
        .as_u64()
        .unwrap();
    assert!(wait > 25_000 && wait <= 30_000, "{wait}");
    let next = "query($g: ID!) { group(id: $g) { viewerNextPostAt } }";
    assert!(bob.ok(next, json!({"g": g})).await["group"]["viewerNextPostAt"].is_string());
    assert_eq!(
        alice.ok(next, json!({"g": g})).await["group"]["viewerNextPostAt"],
        Value::Null
    );
    alice.post(&g, "admins are exempt").await;
    alice.post(&g, "twice").await;
    let log = alice.ok(LOG, json!({"g": g})).await;
    let entry = &log["group"]["moderationLog"]["edges"][0]["node"];
    assert_eq!(entry["action"], "SLOW_MODE_CHANGED");
}

#[tokio::test]
async fn deletes_by_admins_pins_and_bots_are_logged_and_own_deletes_are_not() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    let delete = "mutation($m: ID!) { deleteMessage(id: $m) { id } }";
    let own = bob.post(&g, "oops").await;
    bob.ok(delete, json!({"m": own})).await;
    let theirs = bob.post(&g, "rude").await;
    alice.ok(delete, json!({"m": theirs})).await;
    let kept = bob.post(&g, "pin me").await;
    let pin = "mutation($m: ID!) { pinMessage(id: $m) { id } }";
    alice.ok(pin, json!({"m": kept})).await;
    alice.ok(pin, json!({"m": kept})).await;
    alice
        .ok(
            "mutation($m: ID!) { unpinMessage(id: $m) { id } }",
            json!({"m": kept}),
        )
        .await;
    let create = "mutation($g: ID!) { createBot(groupId: $g, name: \"Helper\") { bot { id } } }";
    let bot = alice.ok(create, json!({"g": g})).await["createBot"]["bot"]["id"].clone();
    let revoke = "mutation($b: ID!) { revokeBot(botId: $b) { id } }";
    alice.ok(revoke, json!({"b": bot})).await;
    alice.ok(revoke, json!({"b": bot})).await;
    let log = alice.ok(LOG, json!({"g": g})).await;
    let entries: Vec<(String, Value)> = log["group"]["moderationLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let n = &e["node"];
            (
                n["action"].as_str().unwrap().to_owned(),
                n["targetUser"]["id"].clone(),
            )
        })
        .collect();
    let actions: Vec<&str> = entries.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "MESSAGE_DELETED",
            "PINNED",
            "UNPINNED",
            "BOT_CREATED",
            "BOT_REVOKED"
        ],
        "one entry per change: none for the author's own delete or the repeats"
    );
    assert_eq!(entries[0].1, json!(bob.id));
}

#[tokio::test]
async fn an_unban_lets_the_user_apply_again_and_webhook_changes_are_logged() {
    let app = spawn_app().await;
    let (alice, bob, carol) = (app.user("alice"), app.user("bob"), app.user("carol"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &carol).await;
    bob.ok("{ me { id } }", json!({})).await;
    let unban =
        "mutation($g: ID!, $u: ID!) { unbanMember(groupId: $g, userId: $u) { state bannedUntil } }";
    assert_eq!(
        alice.err(unban, json!({"g": g, "u": bob.id})).await,
        "CONFLICT"
    );
    alice
        .ok(BAN, json!({"g": g, "u": bob.id, "until": in_hours(5)}))
        .await;
    assert_eq!(
        carol.err(unban, json!({"g": g, "u": bob.id})).await,
        "FORBIDDEN"
    );
    let lifted = alice.ok(unban, json!({"g": g, "u": bob.id})).await;
    assert_eq!(
        lifted["unbanMember"],
        json!({"state": "LEFT", "bannedUntil": null})
    );
    bob.apply(&g).await;

    let create = "mutation($g: ID!) { createWebhook(input: {groupId: $g,
      url: \"https://hooks.example.com/in?token=abc\", events: [MESSAGE_POSTED]}) { webhook { id } } }";
    let id = alice.ok(create, json!({"g": g})).await["createWebhook"]["webhook"]["id"].clone();
    alice
        .ok(
            "mutation($id: ID!) { updateWebhook(input: {id: $id, enabled: false}) { enabled } }",
            json!({"id": id}),
        )
        .await;
    alice
        .ok(
            "mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }",
            json!({"id": id}),
        )
        .await;
    alice
        .ok(
            "mutation($id: ID!) { deleteWebhook(id: $id) }",
            json!({"id": id}),
        )
        .await;
    let log = alice.ok(LOG, json!({"g": g})).await;
    let entries: Vec<(String, String)> = log["group"]["moderationLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let node = &e["node"];
            let reason = node["reason"].as_str().unwrap_or_default().to_owned();
            (node["action"].as_str().unwrap().to_owned(), reason)
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("BANNED", ""),
        ("UNBANNED", ""),
        ("WEBHOOK_CHANGED", "created"),
        ("WEBHOOK_CHANGED", "updated"),
        ("WEBHOOK_CHANGED", "secret rotated"),
        ("WEBHOOK_CHANGED", "deleted"),
    ]
    .iter()
    .map(|(a, r)| (a.to_string(), r.to_string()))
    .collect();
    assert_eq!(entries, expected);
    assert!(!log.to_string().contains("token=abc"), "no URL in the log");
}
