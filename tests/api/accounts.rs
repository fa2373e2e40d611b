//! Privacy through the API, on whichever store the suite runs on: a user
//! deletes their account (and nothing they wrote is readable afterwards
//! on any path the suite drives: pages, search, events, webhook retries,
//! files, devices), and exports their data.

use crate::attachments::{put, ticket, PNG, POST};
use crate::helpers::{spawn_app, spawn_app_with, Client, TestApp};
use crate::skip::skip_without;
use crate::ws_client::Ws;
use serde_json::{json, Value};
use std::time::Duration;

const DELETE: &str = "mutation($c: String!) { deleteMyAccount(confirm: $c) }";
const PAGE: &str =
    "query($g: ID!) { group(id: $g) { memberCount messages(first: 20) { edges { node {
  id body author { id name } replyCount reactions { key count }
  replies(first: 5) { edges { node { id body author { name } } } } } } } } }";
const SEARCH: &str = "query($q: String!) { searchMessages(query: $q) { edges { node { id } } } }";
const REQUEST: &str = "mutation { requestDataExport { id state url expiresAt createdAt } }";
const EXPORT: &str = "query($id: ID!) { dataExport(id: $id) { id state url expiresAt } }";

async fn delete(client: &Client<'_>) -> Value {
    client.ok(DELETE, json!({"c": client.id})).await
}

fn messages(page: &Value) -> Vec<Value> {
    let edges = page["group"]["messages"]["edges"].as_array().unwrap();
    edges.iter().map(|e| e["node"].clone()).collect()
}

/// Bob, a member of alice's group, leaves his traces: a post, a reply, a
/// reaction, a photo, a push subscription.
async fn bob_in_a_group(app: &TestApp) -> (String, String, String) {
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Harbor club").await;
    alice.admit(&g, &bob).await;
    let root = alice.post(&g, "tide tables anyone").await;
    bob.post(&g, "my secret mooring is pier nine").await;
    bob.reply(&root, "bob knows the harbor tides").await;
    bob.ok(
        "mutation($m: ID!) { addReaction(messageId: $m, key: \"👍\") { id } }",
        json!({"m": root}),
    )
    .await;
    let web = "mutation { registerPushSubscription(input: {endpoint: \"https://push.example/bob\",
        p256dh: \"BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4\",
        auth: \"BTBZMqHH6r4Tts7J_aSIgg\"}) { endpoint } }";
    bob.ok(web, json!({})).await;
    let upload = ticket(&bob, &g, "boat.png", "image/png", PNG.len()).await;
    assert_eq!(put(&upload, PNG, None).await, reqwest::StatusCode::OK);
    let file = upload["attachment"]["id"].as_str().unwrap();
    let vars = json!({"g": g, "body": "my boat", "files": [file]});
    let posted = bob.ok(POST, vars).await;
    let url = posted["postMessage"]["attachments"][0]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    (g, root, url)
}

#[tokio::test]
async fn a_deleted_account_leaves_tombstones_by_deleted_user_and_no_text_anywhere() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let (g, root, file_url) = bob_in_a_group(&app).await;
    assert_eq!(
        reqwest::get(&file_url).await.unwrap().status(),
        reqwest::StatusCode::OK
    );
    let mut ws = Ws::connect(&app, "alice").await;
    ws.subscribe("s1", &g).await;
    tokio::time::sleep(Duration::from_millis(100)).await;

    // A confirm that is not bob's own id changes nothing.
    for wrong in ["alice", "", "BOB"] {
        assert_eq!(bob.err(DELETE, json!({"c": wrong})).await, "BAD_USER_INPUT");
    }
    assert_eq!(
        alice.ok(PAGE, json!({"g": g})).await["group"]["memberCount"],
        2
    );

    assert_eq!(delete(&bob).await["deleteMyAccount"], true);

    // Live: each of bob's messages is announced deleted, with no text.
    let mut deleted = 0;
    while deleted < 3 {
        let event = tokio::time::timeout(Duration::from_secs(5), ws.recv())
            .await
            .expect("an event");
        let data = &event["payload"]["data"]["groupEvents"];
        assert_ne!(data["message"]["body"], "my secret mooring is pier nine");
        if data["type"] == "MESSAGE_DELETED" {
            assert_eq!(data["message"]["body"], Value::Null, "{data}");
            deleted += 1;
        }
    }
    // Pages: tombstones by "Deleted user", the tree kept, the reaction gone.
    let page = alice.ok(PAGE, json!({"g": g})).await;
    assert_eq!(page["group"]["memberCount"], 1);
    let text = page.to_string();
    for words in ["pier nine", "harbor tides", "my boat", "bob name"] {
        assert!(!text.contains(words), "{words} is still readable: {text}");
    }
    let nodes = messages(&page);
    let tombstones: Vec<&Value> = nodes.iter().filter(|m| m["body"].is_null()).collect();
    assert_eq!(tombstones.len(), 2, "{page}");
    for tombstone in &tombstones {
        assert_eq!(tombstone["author"]["name"], "Deleted user");
        let author = tombstone["author"]["id"].as_str().unwrap();
        assert!(author.starts_with("deleted_"), "{author}");
    }
    let root_node = nodes.iter().find(|m| m["id"] == root.as_str()).unwrap();
    assert_eq!(root_node["replyCount"], 1, "the thread stays");
    let reply = &root_node["replies"]["edges"][0]["node"];
    assert_eq!(
        (&reply["body"], &reply["author"]["name"]),
        (&Value::Null, &json!("Deleted user"))
    );
    assert_eq!(root_node["reactions"], json!([]));
    // Search finds none of it; the photo's bytes are gone.
    for words in ["mooring", "harbor tides", "boat"] {
        let found = alice.ok(SEARCH, json!({"q": words})).await;
        assert_eq!(found["searchMessages"]["edges"], json!([]), "{words}");
    }
    assert_eq!(
        reqwest::get(&file_url).await.unwrap().status(),
        reqwest::StatusCode::NOT_FOUND
    );
    // Signing in again starts an empty account: no groups, no devices.
    let again = bob
        .ok(
            "{ me { name } myGroups(first: 5) { edges { node { id } } } myPushSubscriptions { endpoint } }",
            json!({}),
        )
        .await;
    assert_eq!(again["myGroups"]["edges"], json!([]));
    assert_eq!(again["myPushSubscriptions"], json!([]));
    assert_eq!(again["me"]["name"], "bob name");
    let page = alice.ok(PAGE, json!({"g": g})).await;
    assert!(
        !page.to_string().contains("bob name"),
        "old tombstones stay the ghost's"
    );
}

#[tokio::test]
async fn an_owner_hands_over_first_and_a_group_owned_alone_closes() {
    let app = spawn_app().await;
    let (carol, dave) = (app.user("carol"), app.user("dave"));
    let shared = carol.create_group("Shared place").await;
    carol.admit(&shared, &dave).await;
    let solo = carol.create_group("Carols private corner").await;
    carol.post(&solo, "notes to self").await;
    let bot = "mutation($g: ID!) { createBot(groupId: $g, name: \"Carol's bot\") { apiKey } }";
    carol.ok(bot, json!({"g": shared})).await;
    assert_eq!(carol.err(DELETE, json!({"c": "carol"})).await, "CONFLICT");
    assert_eq!(carol.message_count(&shared).await, 0, "nothing changed");
    assert_eq!(carol.message_count(&solo).await, 1, "nothing changed");
    carol
        .ok(
            "mutation($g: ID!, $u: ID!) { transferOwnership(groupId: $g, userId: $u) { id } }",
            json!({"g": shared, "u": "dave"}),
        )
        .await;
    assert_eq!(delete(&carol).await["deleteMyAccount"], true);
    let closed = dave
        .ok(
            "query($g: ID!) { group(id: $g) { name description memberCount } }",
            json!({"g": solo}),
        )
        .await;
    let name = closed["group"]["name"].as_str().unwrap();
    assert!(name.starts_with("Deleted group "), "{closed}");
    assert_eq!(closed["group"]["memberCount"], 0);
    let search = "query($q: String!) { searchGroups(query: $q) { edges { node { id } } } }";
    for words in ["corner", "deleted"] {
        let found = dave.ok(search, json!({"q": words})).await;
        assert_eq!(found["searchGroups"]["edges"], json!([]), "{words}");
    }
    let kept = dave
        .ok(
            "query($g: ID!) { group(id: $g) { memberCount bots { name revokedAt } } }",
            json!({"g": shared}),
        )
        .await;
    assert_eq!(
        kept["group"]["memberCount"], 1,
        "dave; carol's bot left when revoked"
    );
    let bots = kept["group"]["bots"].as_array().unwrap();
    assert_eq!(bots.len(), 1, "{kept}");
    assert!(
        bots[0]["revokedAt"].is_string(),
        "carol's bot is revoked: {kept}"
    );
}

#[tokio::test]
async fn a_webhook_retry_after_the_deletion_carries_no_text() {
    skip_without!(without_python);
    let app = spawn_app_with(&[("CHORUS_WEBHOOK_RETRIES", "2")]).await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Hooks").await;
    alice.admit(&g, &bob).await;
    let (mut child, port, mut heard) = crate::webhook_sender::receiver("-", "500").await;
    let create = "mutation($g: ID!, $u: String!) { createWebhook(input: {groupId: $g, url: $u,
      events: [MESSAGE_POSTED]}) { secret } }";
    let url = format!("http://127.0.0.1:{port}/hook");
    let created = alice.ok(create, json!({"g": g, "u": url})).await;
    let secret = created["createWebhook"]["secret"].as_str().unwrap();
    use tokio::io::AsyncWriteExt;
    let stdin = child.stdin.as_mut().unwrap();
    stdin
        .write_all(format!("{secret}\n").as_bytes())
        .await
        .unwrap();

    bob.post(&g, "bob's words for the hook").await;
    let first = crate::webhook_sender::next(&mut heard).await;
    assert_eq!(first["status"], 500);
    assert_eq!(
        first["body"]["data"]["message"]["body"],
        "bob's words for the hook"
    );
    delete(&bob).await;
    let retry = crate::webhook_sender::next(&mut heard).await;
    assert_eq!(retry["status"], 200);
    assert_eq!(retry["id"], first["id"], "the same event");
    let message = &retry["body"]["data"]["message"];
    assert_eq!(message["body"], Value::Null, "{retry}");
    assert!(!retry.to_string().contains("bob"), "{retry}");
}

#[tokio::test]
async fn a_user_exports_exactly_their_own_data_once_a_day() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let (g, _, _) = bob_in_a_group(&app).await;
    alice.post(&g, "alice's private words").await;
    bob.ok(
        "mutation { registerDevice(platform: FCM, token: \"device-token-of-bob\") { platform } }",
        json!({}),
    )
    .await;

    let requested = bob.ok(REQUEST, json!({})).await["requestDataExport"].clone();
    let id = requested["id"].as_str().unwrap().to_owned();
    assert!(["PENDING", "READY"].contains(&requested["state"].as_str().unwrap()));
    let mut export = Value::Null;
    for _ in 0..100 {
        export = bob.ok(EXPORT, json!({"id": id})).await["dataExport"].clone();
        if export["state"] == "READY" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(export["state"], "READY", "{export}");
    let expires = chrono::DateTime::parse_from_rfc3339(export["expiresAt"].as_str().unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc);
    let left = expires - chrono::Utc::now();
    assert!(left > chrono::Duration::hours(23) && left <= chrono::Duration::hours(24));
    let url = export["url"].as_str().unwrap();
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let document: Value = response.json().await.unwrap();
    assert_eq!(document["user"]["id"], "bob");
    let bodies: Vec<&str> = (document["messages"].as_array().unwrap().iter())
        .filter_map(|m| m["body"].as_str())
        .collect();
    assert_eq!(bodies.len(), 3, "{bodies:?}");
    assert!(bodies.contains(&"my secret mooring is pier nine"));
    assert_eq!(document["reactions"][0]["key"], "👍");
    assert_eq!(document["memberships"][0]["groupName"], "Harbor club");
    assert_eq!(
        document["devices"].as_array().unwrap().len(),
        2,
        "web push and FCM"
    );
    let text = document.to_string();
    for private in [
        "alice's private words",
        "tide tables",
        "device-token-of-bob",
        "push.example",
    ] {
        assert!(!text.contains(private), "{private} is in the export");
    }
    // One a day: a second request returns the same export; nobody else
    // sees it.
    let again = bob.ok(REQUEST, json!({})).await;
    assert_eq!(again["requestDataExport"]["id"], id.as_str());
    assert_eq!(again["requestDataExport"]["state"], "READY");
    let theirs = alice.ok(EXPORT, json!({"id": id})).await;
    assert_eq!(theirs["dataExport"], Value::Null);
    let unknown = bob.ok(EXPORT, json!({"id": "ex_nothing"})).await;
    assert_eq!(unknown["dataExport"], Value::Null);
}

#[tokio::test]
async fn a_deletion_also_takes_reactions_left_in_a_group_and_on_deleted_messages() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Left behind").await;
    alice.admit(&g, &bob).await;
    let (kept, gone) = (alice.post(&g, "kept").await, alice.post(&g, "gone").await);
    let react = "mutation($m: ID!) { addReaction(messageId: $m, key: \"👍\") { id } }";
    for m in [&kept, &gone] {
        bob.ok(react, json!({"m": m})).await;
    }
    alice
        .ok(
            "mutation($m: ID!) { deleteMessage(id: $m) { id } }",
            json!({"m": gone}),
        )
        .await;
    bob.ok(
        "mutation($g: ID!) { leaveGroup(groupId: $g) { state } }",
        json!({"g": g}),
    )
    .await;
    assert_eq!(delete(&bob).await["deleteMyAccount"], true);
    let seen = alice
        .ok(
            "query($m: ID!) { message(id: $m) { reactions { key count } } }",
            json!({"m": kept}),
        )
        .await;
    assert_eq!(seen["message"]["reactions"], json!([]), "{seen}");
}
