//! Incoming webhooks: what tools that post to Slack's incoming webhooks
//! send, posted as the hook's bot; responding as Slack does.

use crate::helpers::{spawn_app, spawn_app_with, Client};
use crate::ws_client::Ws;
use serde_json::{json, Value};

const CREATE: &str = "mutation($g: ID!) { createIncomingWebhook(groupId: $g, name: \"Alerts\") {
    url incomingWebhook { id createdAt group { id } bot { id name user { id } } } } }";
const HOOKS: &str =
    "query($g: ID!) { group(id: $g) { memberCount incomingWebhooks { id bot { name } } } }";
const DELETE: &str = "mutation($h: ID!) { deleteIncomingWebhook(id: $h) }";
const LATEST: &str = "query($g: ID!) { group(id: $g) { messages(last: 1) { edges { node {
    id body author { id } replies { edges { node { body author { id } } } } } } } } }";

/// A new hook of `group`: its URL, its id and the user it posts as.
async fn create_hook(admin: &Client<'_>, group: &str) -> (String, String, String) {
    let data = admin.ok(CREATE, json!({"g": group})).await;
    let created = &data["createIncomingWebhook"];
    (
        created["url"].as_str().unwrap().to_owned(),
        created["incomingWebhook"]["id"]
            .as_str()
            .unwrap()
            .to_owned(),
        created["incomingWebhook"]["bot"]["user"]["id"]
            .as_str()
            .unwrap()
            .to_owned(),
    )
}

/// What `curl` gets back for a Slack-style POST: status and body.
async fn curl(url: &str, body: &str) -> (u16, String) {
    curl_as(url, "application/json", &["--data", body]).await
}

/// `curl -X POST` with a content type and data arguments.
async fn curl_as(url: &str, content_type: &str, data: &[&str]) -> (u16, String) {
    let out = tokio::process::Command::new("curl")
        .args(["-sS", "-m", "10", "-X", "POST", "-H"])
        .arg(format!("Content-type: {content_type}"))
        .args(data)
        .args(["-w", "\n%{http_code}", url])
        .output()
        .await
        .expect("curl runs");
    let text = String::from_utf8(out.stdout).unwrap();
    let (body, status) = text.rsplit_once('\n').unwrap();
    (status.parse().unwrap(), body.to_owned())
}

#[tokio::test]
async fn a_slack_style_post_with_curl_shows_up_as_a_message_and_an_event() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Ops").await;
    let (url, hook, bot_user) = create_hook(&alice, &g).await;
    assert!(url.starts_with(&app.url("/hooks/")), "{url}");
    assert!(url.contains(&hook));
    let mut ws = Ws::connect(&app, "alice").await;
    ws.subscribe("s1", &g).await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;

    let (status, body) = curl(&url, r#"{"text":"Disk 91% full on db-1"}"#).await;
    assert_eq!((status, body.as_str()), (200, "ok"));
    let event = ws.recv().await;
    let posted = &event["payload"]["data"]["groupEvents"];
    assert_eq!(posted["type"], "MESSAGE_POSTED", "{event}");
    assert_eq!(posted["message"]["body"], "Disk 91% full on db-1");
    assert_eq!(posted["message"]["author"]["id"], bot_user.as_str());

    let latest = alice.ok(LATEST, json!({"g": g})).await;
    let message = &latest["group"]["messages"]["edges"][0]["node"];
    let id = message["id"].as_str().unwrap();
    // Replies: Slack's `thread_ts`, or `parentId`.
    let reply = json!({"text": "resolved", "thread_ts": id}).to_string();
    assert_eq!(curl(&url, &reply).await, (200, "ok".to_owned()));
    let reply = json!({"text": "really", "parentId": id, "username": "ignored"}).to_string();
    assert_eq!(curl(&url, &reply).await, (200, "ok".to_owned()));
    let latest = alice.ok(LATEST, json!({"g": g})).await;
    let replies = &latest["group"]["messages"]["edges"][0]["node"]["replies"]["edges"];
    assert_eq!(
        replies[0]["node"],
        json!({"body": "resolved", "author": {"id": bot_user}})
    );
    assert_eq!(replies[1]["node"]["body"], "really");
}

#[tokio::test]
async fn bad_posts_are_answered_as_slack_does_and_post_nothing() {
    let app = spawn_app_with(&[("CHORUS_MAX_BODY_BYTES", "2048")]).await;
    let alice = app.user("alice");
    let g = alice.create_group("Ops").await;
    let (url, hook, _) = create_hook(&alice, &g).await;
    let (base, _secret) = url.rsplit_once('/').unwrap();
    let cases = [
        (
            url.clone(),
            r#"{"attachments": []}"#.to_owned(),
            400,
            "no_text",
        ),
        (url.clone(), r#"{"text": "   "}"#.to_owned(), 400, "no_text"),
        (url.clone(), "text=hello".to_owned(), 400, "invalid_payload"),
        (
            url.clone(),
            r#"{"text": "x", "thread_ts": "m_nope"}"#.to_owned(),
            400,
            "invalid_thread_ts",
        ),
        (
            url.clone(),
            json!({"text": "x".repeat(3000)}).to_string(),
            413,
            "request_too_large",
        ),
        (
            format!("{base}/wrong-secret"),
            r#"{"text": "x"}"#.to_owned(),
            404,
            "no_service",
        ),
        (
            app.url("/hooks/ih_unknown/secret"),
            r#"{"text": "x"}"#.to_owned(),
            404,
            "no_service",
        ),
    ];
    for (to, body, status, answer) in cases {
        assert_eq!(
            curl(&to, &body).await,
            (status, answer.to_owned()),
            "{body}"
        );
    }
    assert_eq!(alice.message_count(&g).await, 0);

    assert_eq!(
        alice.ok(DELETE, json!({"h": hook})).await["deleteIncomingWebhook"],
        true
    );
    assert_eq!(
        curl(&url, r#"{"text": "late"}"#).await,
        (404, "no_service".to_owned())
    );
    assert_eq!(
        alice.ok(DELETE, json!({"h": hook})).await["deleteIncomingWebhook"],
        false
    );
    assert_eq!(alice.message_count(&g).await, 0);
}

#[tokio::test]
async fn hooks_are_for_admins_listed_without_their_secret_and_rate_limited() {
    let app = spawn_app_with(&[("CHORUS_RATE_BURST", "4"), ("CHORUS_RATE_PER_SEC", "1")]).await;
    let alice = app.user("alice");
    let bob = app.user("bob");
    let g = alice.create_group("Ops").await;
    alice.admit(&g, &bob).await;
    assert_eq!(bob.err(CREATE, json!({"g": g})).await, "FORBIDDEN");
    let (url, hook, _) = create_hook(&alice, &g).await;
    let listed: Value = alice.ok(HOOKS, json!({"g": g})).await;
    assert_eq!(
        listed["group"]["incomingWebhooks"],
        json!([{"id": hook, "bot": {"name": "Alerts"}}])
    );
    assert_eq!(
        listed["group"]["memberCount"], 3,
        "the hook's bot is a member"
    );
    let secret = url.rsplit('/').next().unwrap();
    let node = alice
        .gql(
            "query($h: ID!) { node(id: $h) { id ... on IncomingWebhook { bot { keyPrefix } } } }",
            json!({"h": hook}),
        )
        .await;
    assert_eq!(node["data"]["node"]["id"], hook.as_str());
    assert!(!node.to_string().contains(secret) && !listed.to_string().contains(secret));
    assert_eq!(bob.err(HOOKS, json!({"g": g})).await, "FORBIDDEN");
    assert_eq!(bob.err(DELETE, json!({"h": hook})).await, "FORBIDDEN");

    let mut statuses = Vec::new();
    for n in 0..6 {
        let body = json!({"text": format!("alert {n}")}).to_string();
        statuses.push(curl(&url, &body).await.0);
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    assert_eq!(statuses[0], 200);
}

#[tokio::test]
async fn a_hook_made_over_a_websocket_gets_the_same_absolute_url() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let group = alice.create_group("Ops").await;
    let mut ws = Ws::connect(&app, "alice").await;
    ws.send(json!({"id": "m", "type": "subscribe", "payload": {"query": CREATE, "variables": {"g": group}}}))
        .await;
    let next = ws.recv().await;
    assert_eq!(next["type"], "next", "{next}");
    let url = next["payload"]["data"]["createIncomingWebhook"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let prefix = format!("http://{}/hooks/ih_", app.addr);
    assert!(url.starts_with(&prefix), "{url}");
    let (status, body) = curl(&url, r#"{"text":"from a socket-made hook"}"#).await;
    assert_eq!((status, body.as_str()), (200, "ok"));
}

#[tokio::test]
async fn of_concurrent_deletes_of_one_hook_exactly_one_says_it_deleted() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Ops").await;
    let (_, hook, _) = create_hook(&alice, &g).await;
    let deletes = (0..6).map(|_| alice.ok(DELETE, json!({"h": hook})));
    let answers = futures_util::future::join_all(deletes).await;
    let deleted = answers
        .iter()
        .filter(|a| a["deleteIncomingWebhook"] == true)
        .count();
    assert_eq!(deleted, 1, "{answers:?}");
}

#[tokio::test]
async fn alertmanager_grafana_and_blocks_payloads_post_their_words() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Ops").await;
    let (url, _, _) = create_hook(&alice, &g).await;
    let fixture = |name: &str| crate::helpers::repo_file(&format!("tests/fixtures/slack/{name}"));
    let latest = || async {
        let data = alice.ok(LATEST, json!({"g": g})).await;
        data["group"]["messages"]["edges"][0]["node"]["body"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    // Alertmanager's default: one attachment with a title and a fallback.
    let file = format!("@{}", fixture("alertmanager.json"));
    let sent = curl_as(&url, "application/json", &["--data-binary", &file]).await;
    assert_eq!(sent, (200, "ok".to_owned()));
    assert_eq!(latest().await, "[FIRING:1] HighCPU (api-3 critical)");

    // Grafana's: title and text of its attachment.
    let file = format!("@{}", fixture("grafana.json"));
    let sent = curl_as(&url, "application/json", &["--data-binary", &file]).await;
    assert_eq!(sent, (200, "ok".to_owned()));
    let body = latest().await;
    assert!(
        body.starts_with("[FIRING:1] DiskFull Infra (prod)\n**Firing**"),
        "{body}"
    );
    assert!(body.contains("Disk nearly full on db-1"), "{body}");

    // Blocks only.
    let file = format!("@{}", fixture("blocks.json"));
    let sent = curl_as(&url, "application/json", &["--data-binary", &file]).await;
    assert_eq!(sent, (200, "ok".to_owned()));
    assert_eq!(
        latest().await,
        "Deploy finished\n*chorus v2.4.0* is live in prod\n*Duration:* 4m 12s\nTriggered by ci"
    );

    // Slack's form: the JSON in `payload=`, as curl --data-urlencode sends it.
    let file = format!("payload@{}", fixture("alertmanager.json"));
    let form = "application/x-www-form-urlencoded";
    let sent = curl_as(&url, form, &["--data-urlencode", &file]).await;
    assert_eq!(sent, (200, "ok".to_owned()));
    assert_eq!(latest().await, "[FIRING:1] HighCPU (api-3 critical)");
    let sent = curl_as(&url, form, &["--data", "text=hello"]).await;
    assert_eq!(sent, (400, "invalid_payload".to_owned()));
    assert_eq!(
        alice.message_count(&g).await,
        4,
        "the bad form posted nothing"
    );
}

#[tokio::test]
async fn a_hooks_url_ignores_forwarded_hosts_and_follows_the_public_url() {
    let hook_url = |app: &crate::helpers::TestApp, group: String, forwarded: &'static str| {
        let body = json!({"query": CREATE, "variables": {"g": group}});
        let request = app
            .http
            .post(app.url("/graphql"))
            .bearer_auth(crate::helpers::token("alice"))
            .header("X-Forwarded-Host", forwarded)
            .header("X-Forwarded-Proto", "https")
            .json(&body)
            .send();
        async move {
            let reply: Value = request.await.unwrap().json().await.unwrap();
            reply["data"]["createIncomingWebhook"]["url"]
                .as_str()
                .unwrap_or_else(|| panic!("{reply}"))
                .to_owned()
        }
    };
    let app = spawn_app().await;
    let g = app.user("alice").create_group("Ops").await;
    let url = hook_url(&app, g, "evil.test").await;
    assert!(url.starts_with(&app.url("/hooks/ih_")), "{url}");

    let app = spawn_app_with(&[("CHORUS_PUBLIC_URL", "https://chat.example.com/")]).await;
    let g = app.user("alice").create_group("Ops").await;
    let url = hook_url(&app, g, "evil.test").await;
    assert!(
        url.starts_with("https://chat.example.com/hooks/ih_"),
        "{url}"
    );
}
