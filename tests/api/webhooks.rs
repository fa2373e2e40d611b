//! Outgoing webhooks through the API and the local runner: retried with the
//! same webhook-id until a receiver verifying with the reference library
//! accepts, disabled by 410 and by 5 exhausted events, re-enabled fresh,
//! managed by owner and admins only, never pointed at the deployment's own
//! network when the rule is on.

use crate::helpers::{error_code, spawn_app_with, Client};
use crate::skip::skip_without;
use crate::webhook_sender::{next, receiver};
use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;

const CREATE: &str = "mutation($g: ID!, $u: String!, $e: [WebhookEventType!]!) {
    createWebhook(input: {groupId: $g, url: $u, events: $e}) {
      secret webhook { id url events enabled disabledReason group { id } } } }";
const WEBHOOK: &str = "query($id: ID!) { node(id: $id) { ... on Webhook { enabled disabledReason
    deliveries(last: 100) { edges { node { eventId attempt status error durationMs at } } } } } }";
const UPDATE: &str = "mutation($id: ID!, $on: Boolean) {
    updateWebhook(input: {id: $id, enabled: $on}) { enabled disabledReason } }";

/// Fast retries, so a whole schedule runs in a test.
fn app_vars(retries: &str) -> Vec<(&'static str, String)> {
    vec![("CHORUS_WEBHOOK_RETRIES", retries.to_owned())]
}

async fn create(admin: &Client<'_>, group: &str, url: &str) -> (String, String) {
    let data = admin
        .ok(
            CREATE,
            json!({"g": group, "u": url, "e": ["MESSAGE_POSTED"]}),
        )
        .await;
    let created = &data["createWebhook"];
    (
        created["webhook"]["id"].as_str().unwrap().to_owned(),
        created["secret"].as_str().unwrap().to_owned(),
    )
}

/// The webhook as its admin sees it, once it has kept `attempts` attempts.
async fn after_attempts(admin: &Client<'_>, id: &str, attempts: usize) -> Value {
    for _ in 0..100 {
        let data = admin.ok(WEBHOOK, json!({"id": id})).await;
        if data["node"]["deliveries"]["edges"]
            .as_array()
            .unwrap()
            .len()
            >= attempts
        {
            return data["node"].clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{id} never kept {attempts} attempts");
}

fn attempts(webhook: &Value) -> Vec<Value> {
    let edges = webhook["deliveries"]["edges"].as_array().unwrap();
    edges.iter().map(|e| e["node"].clone()).collect()
}

#[tokio::test]
async fn an_event_is_retried_with_the_same_id_until_the_receiver_accepts() {
    skip_without!(without_python);
    let vars = app_vars("0.2,0.2,0.2");
    let app = spawn_app_with(&[(vars[0].0, vars[0].1.as_str())]).await;
    let alice = app.user("alice");
    let g = alice.create_group("Ops").await;
    let (mut child, port, mut heard) = receiver("-", "500,500").await;
    let url = format!("http://127.0.0.1:{port}/hook");
    let (id, secret) = create(&alice, &g, &url).await;
    assert!(secret.starts_with("whsec_"), "{secret}");
    let stdin = child.stdin.as_mut().unwrap();
    stdin
        .write_all(format!("{secret}\n").as_bytes())
        .await
        .unwrap();

    let message = alice.post(&g, "deploy finished").await;
    let mut ids = Vec::new();
    for expected in [500, 500, 200] {
        let got = next(&mut heard).await;
        assert_eq!(got["verified"], true, "{got}");
        assert_eq!(got["status"], expected);
        ids.push(got["id"].as_str().unwrap().to_owned());
        let body = &got["body"];
        assert_eq!(body["type"], "message.posted");
        assert_eq!(body["data"]["groupId"], g.as_str());
        assert_eq!(body["data"]["message"]["id"], message.as_str());
        assert_eq!(body["data"]["message"]["body"], "deploy finished");
        assert_eq!(body["data"]["message"]["author"]["name"], "alice name");
        assert!(body["data"]["message"]["cursor"].is_string());
    }
    assert!(ids.iter().all(|i| i == &ids[0] && i.starts_with("ev_")));

    let webhook = after_attempts(&alice, &id, 3).await;
    let kept = attempts(&webhook);
    let numbers: Vec<_> = kept.iter().map(|d| d["attempt"].clone()).collect();
    let statuses: Vec<_> = kept.iter().map(|d| d["status"].clone()).collect();
    assert_eq!(numbers, vec![json!(1), json!(2), json!(3)]);
    assert_eq!(statuses, vec![json!(500), json!(500), json!(200)]);
    assert!(kept.iter().all(|d| d["eventId"] == ids[0].as_str()));
    assert_eq!(webhook["enabled"], true);

    // An event type it did not ask for is not sent.
    alice
        .ok(
            "mutation($m: ID!) { editMessage(id: $m, body: \"edited\") { id } }",
            json!({"m": message}),
        )
        .await;
    let again = alice.post(&g, "second").await;
    let got = next(&mut heard).await;
    assert_eq!(got["body"]["data"]["message"]["id"], again.as_str());
}

#[tokio::test]
async fn gone_disables_at_once_and_five_exhausted_events_disable_until_re_enabled() {
    skip_without!(without_python);
    let vars = app_vars("0.05");
    let app = spawn_app_with(&[(vars[0].0, vars[0].1.as_str())]).await;
    let alice = app.user("alice");
    let g = alice.create_group("Ops").await;

    let (_gone_child, gone_port, _gone_heard) = receiver("whsec_dGVzdA==", "410").await;
    let (gone, _) = create(&alice, &g, &format!("http://127.0.0.1:{gone_port}/")).await;
    let (_child, port, _heard) = receiver("whsec_dGVzdA==", &["500"; 10].join(",")).await;
    let (failing, _) = create(&alice, &g, &format!("http://127.0.0.1:{port}/")).await;

    for n in 0..5 {
        alice.post(&g, &format!("alert {n}")).await;
        // Each event's two attempts, before the next event.
        after_attempts(&alice, &failing, 2 * (n + 1)).await;
    }
    let gone = after_attempts(&alice, &gone, 1).await;
    assert_eq!(gone["enabled"], false);
    assert_eq!(gone["disabledReason"], "410 Gone");
    assert_eq!(attempts(&gone).len(), 1, "no retry after 410");

    let failed = after_attempts(&alice, &failing, 10).await;
    assert_eq!(failed["enabled"], false);
    assert_eq!(failed["disabledReason"], "5 consecutive failures");
    alice.post(&g, "while disabled").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let still = after_attempts(&alice, &failing, 10).await;
    assert_eq!(
        attempts(&still).len(),
        10,
        "a disabled webhook is not called"
    );

    let enabled = alice.ok(UPDATE, json!({"id": failing, "on": true})).await;
    assert_eq!(
        enabled["updateWebhook"],
        json!({"enabled": true, "disabledReason": null})
    );
    // The receiver now accepts (its ten 500s are spent).
    alice.post(&g, "after re-enabling").await;
    let fresh = after_attempts(&alice, &failing, 11).await;
    assert_eq!(attempts(&fresh)[10]["status"], 200);
    assert_eq!(attempts(&fresh)[10]["attempt"], 1);
}

#[tokio::test]
async fn only_owners_and_admins_manage_webhooks_and_secrets_show_once() {
    let app = spawn_app_with(&[]).await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Ops").await;
    alice.admit(&g, &bob).await;
    let url = "https://hooks.example.com/in";
    let denied = bob
        .gql(CREATE, json!({"g": g, "u": url, "e": ["MESSAGE_POSTED"]}))
        .await;
    assert_eq!(error_code(&denied).as_deref(), Some("FORBIDDEN"));
    let (id, secret) = create(&alice, &g, url).await;
    let key = alice
        .ok(
            "mutation($g: ID!) { createBot(groupId: $g, name: \"CI\") { apiKey } }",
            json!({"g": g}),
        )
        .await["createBot"]["apiKey"]
        .as_str()
        .unwrap()
        .to_owned();
    let bot = Client {
        app: &app,
        token: Some(key),
        id: String::new(),
    };
    let by_bot = bot
        .gql(CREATE, json!({"g": g, "u": url, "e": ["MESSAGE_POSTED"]}))
        .await;
    assert_eq!(error_code(&by_bot).as_deref(), Some("FORBIDDEN"));
    let listed = bob
        .gql(
            "query($g: ID!) { group(id: $g) { webhooks { id } } }",
            json!({"g": g}),
        )
        .await;
    assert_eq!(error_code(&listed).as_deref(), Some("FORBIDDEN"));
    let hidden = bob
        .ok(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(hidden["node"], Value::Null);
    let deleted = bob
        .gql(
            "mutation($id: ID!) { deleteWebhook(id: $id) }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(error_code(&deleted).as_deref(), Some("FORBIDDEN"));

    let rotated = alice
        .ok(
            "mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret webhook { id } } }",
            json!({"id": id}),
        )
        .await;
    let new_secret = rotated["rotateWebhookSecret"]["secret"].as_str().unwrap();
    assert!(new_secret.starts_with("whsec_") && new_secret != secret);
    let listed = alice
        .ok(
            "query($g: ID!) { group(id: $g) { webhooks { id url events enabled } } }",
            json!({"g": g}),
        )
        .await;
    assert_eq!(
        listed["group"]["webhooks"],
        json!([{"id": id, "url": url, "events": ["MESSAGE_POSTED"], "enabled": true}])
    );
    let empty = alice.gql(CREATE, json!({"g": g, "u": url, "e": []})).await;
    assert_eq!(error_code(&empty).as_deref(), Some("BAD_USER_INPUT"));
    let delete = "mutation($id: ID!) { deleteWebhook(id: $id) }";
    assert_eq!(
        alice.ok(delete, json!({"id": id})).await["deleteWebhook"],
        true
    );
    assert_eq!(
        alice.ok(delete, json!({"id": id})).await["deleteWebhook"],
        false
    );
}

#[tokio::test]
async fn with_the_address_rule_on_private_urls_are_refused_at_creation() {
    let app = spawn_app_with(&[("CHORUS_WEBHOOK_ALLOW_PRIVATE", "false")]).await;
    let alice = app.user("alice");
    let g = alice.create_group("Ops").await;
    for url in [
        "https://127.0.0.1/",
        "http://hooks.example.com/",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/",
        "https://[fd00:ec2::254]/",
        "https://localhost/",
    ] {
        let refused = alice
            .gql(CREATE, json!({"g": g, "u": url, "e": ["MESSAGE_POSTED"]}))
            .await;
        assert_eq!(
            error_code(&refused).as_deref(),
            Some("BAD_USER_INPUT"),
            "{url}"
        );
    }
    let listed = alice
        .ok(
            "query($g: ID!) { group(id: $g) { webhooks { id } } }",
            json!({"g": g}),
        )
        .await;
    assert_eq!(
        listed["group"]["webhooks"],
        json!([]),
        "nothing was registered"
    );
}

#[tokio::test]
async fn with_the_address_rule_on_push_endpoints_are_checked_as_webhook_urls() {
    let app = spawn_app_with(&[("CHORUS_WEBHOOK_ALLOW_PRIVATE", "false")]).await;
    let alice = app.user("alice");
    let register = "mutation($e: String!) { registerPushSubscription(input: {endpoint: $e,
        p256dh: \"BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM\",
        auth: \"tBHItJI5svbpez7KI4CCXg\"}) { endpoint } }";
    for endpoint in [
        "http://127.0.0.1@evil.test/",
        "http://127.0.0.1/push",
        "http://localhost:9/push",
        "https://127.0.0.1/push",
        "https://[::ffff:0:a00:1]/push",
        "https://user:pw@push.example.com/x",
    ] {
        let refused = alice.gql(register, json!({"e": endpoint})).await;
        assert_eq!(
            error_code(&refused).as_deref(),
            Some("BAD_USER_INPUT"),
            "{endpoint}: {refused}"
        );
    }
    let listed = alice
        .ok("{ myPushSubscriptions { endpoint } }", json!({}))
        .await;
    assert_eq!(listed["myPushSubscriptions"], json!([]));
}

#[tokio::test]
async fn a_name_that_does_not_resolve_and_one_that_resolves_privately_are_told_alike() {
    let app = spawn_app_with(&[("CHORUS_WEBHOOK_ALLOW_PRIVATE", "false")]).await;
    let alice = app.user("alice");
    let g = alice.create_group("Ops").await;
    let message = |url: &'static str| {
        let alice = &alice;
        let g = g.clone();
        async move {
            let refused = alice
                .gql(CREATE, json!({"g": g, "u": url, "e": ["MESSAGE_POSTED"]}))
                .await;
            assert_eq!(error_code(&refused).as_deref(), Some("BAD_USER_INPUT"));
            refused["errors"][0]["message"].as_str().unwrap().to_owned()
        }
    };
    let private = message("https://localhost/hook").await;
    let missing = message("https://no-such-host.invalid/hook").await;
    assert_eq!(private, missing);
}

#[tokio::test]
async fn reaction_and_pin_events_reach_a_webhook_with_the_message_key_and_reactor() {
    skip_without!(without_python);
    let app = spawn_app_with(&[]).await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Ops").await;
    alice.admit(&g, &bob).await;
    let events = json!(["REACTION_ADDED", "REACTION_REMOVED", "MESSAGE_PINNED"]);
    let (_child, mut heard) = crate::webhook_sender::registered(&alice, &g, events).await;
    let m = alice.post(&g, "ship it").await;
    let react = "mutation($m: ID!, $k: String!) { addReaction(messageId: $m, key: $k) { id } }";
    bob.ok(react, json!({"m": m, "k": "🚀"})).await;
    bob.ok(react, json!({"m": m, "k": "🚀"})).await;
    let unreact =
        "mutation($m: ID!, $k: String!) { removeReaction(messageId: $m, key: $k) { id } }";
    bob.ok(unreact, json!({"m": m, "k": "🚀"})).await;
    let got = next(&mut heard).await;
    assert_eq!(got["verified"], true, "{got}");
    let body = &got["body"];
    assert_eq!(
        body["type"], "reaction.added",
        "the post was not asked for: {body}"
    );
    assert_eq!(body["data"]["groupId"], g.as_str());
    let reaction = &body["data"]["reaction"];
    assert_eq!(reaction["messageId"], m.as_str());
    assert_eq!(reaction["key"], "🚀");
    assert_eq!(reaction["user"], json!({"id": "bob", "name": "bob name"}));
    assert_eq!(body["data"]["message"]["author"]["name"], "alice name");
    let got = next(&mut heard).await;
    assert_eq!(
        got["body"]["type"], "reaction.removed",
        "the repeat sent nothing: {got}"
    );
    assert_eq!(got["body"]["data"]["reaction"]["user"]["id"], "bob");
    let pin = "mutation($m: ID!) { pinMessage(id: $m) { id } }";
    alice.ok(pin, json!({"m": m})).await;
    let got = next(&mut heard).await;
    assert_eq!(got["body"]["type"], "message.pinned");
    assert_eq!(got["body"]["data"]["message"]["id"], m.as_str());
}

#[tokio::test]
async fn a_report_reaches_a_webhook_without_the_reporters_note() {
    skip_without!(without_python);
    let app = spawn_app_with(&[]).await;
    let (alice, bob, carol) = (app.user("alice"), app.user("bob"), app.user("carol"));
    let g = alice.create_group("Ops").await;
    alice.admit(&g, &bob).await;
    alice.admit(&g, &carol).await;
    let (_child, mut heard) =
        crate::webhook_sender::registered(&alice, &g, json!(["REPORT_CREATED"])).await;
    let m = carol.post(&g, "cheap watches").await;
    let report = "mutation($m: ID!) { reportMessage(messageId: $m, reason: SPAM, note: \"my private words\") { id } }";
    let id = bob.ok(report, json!({"m": m})).await["reportMessage"]["id"].clone();
    let got = next(&mut heard).await;
    assert_eq!(got["verified"], true, "{got}");
    let body = &got["body"];
    assert_eq!(body["type"], "report.created");
    assert_eq!(
        body["data"]["report"],
        json!({"id": id, "messageId": m, "authorId": carol.id, "reporterId": bob.id,
               "reason": "SPAM", "createdAt": body["data"]["report"]["createdAt"]})
    );
    assert!(!body.to_string().contains("my private words"));
}
