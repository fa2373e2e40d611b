//! Bots through the API: created by admins, acting with their key in their
//! one group and nowhere else, refused at once after rotate and revoke.

use crate::helpers::{error_code, spawn_app, spawn_app_with, Client, TestApp};
use crate::ws_client::Ws;
use serde_json::{json, Value};

const CREATE: &str = "mutation($g: ID!, $n: String!) { createBot(groupId: $g, name: $n) {
    apiKey bot { id name keyPrefix user { id name isBot } group { id } createdBy { id } createdAt lastUsedAt revokedAt } } }";
const ROTATE: &str = "mutation($b: ID!) { rotateBotKey(botId: $b) { apiKey bot { keyPrefix } } }";
const REVOKE: &str = "mutation($b: ID!) { revokeBot(botId: $b) { revokedAt } }";
const POST: &str =
    "mutation($g: ID!, $b: String!) { postMessage(input: {groupId: $g, body: $b}) { id author { id name } } }";
const BOTS: &str = "query($g: ID!) { group(id: $g) { memberCount bots { id name keyPrefix lastUsedAt revokedAt disabledReason } } }";

fn bot_client<'a>(app: &'a TestApp, key: &str, user: &str) -> Client<'a> {
    Client {
        app,
        token: Some(key.to_owned()),
        id: user.to_owned(),
    }
}

/// Creates a bot in `group` as `admin`: its key, bot id and user id.
async fn create_bot(admin: &Client<'_>, group: &str) -> (String, String, String) {
    let data = admin
        .ok(CREATE, json!({"g": group, "n": "Deploy bot"}))
        .await;
    let created = &data["createBot"];
    (
        created["apiKey"].as_str().unwrap().to_owned(),
        created["bot"]["id"].as_str().unwrap().to_owned(),
        created["bot"]["user"]["id"].as_str().unwrap().to_owned(),
    )
}

/// A new PUBLIC group of `owner`.
async fn public_group(owner: &Client<'_>) -> String {
    let data = owner
        .ok(
            "mutation { createGroup(input: {name: \"Open\", visibility: PUBLIC}) { id } }",
            json!({}),
        )
        .await;
    data["createGroup"]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_bot_acts_in_its_group_with_its_key_and_nowhere_else() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Ops").await;
    let other = public_group(&alice).await;
    alice.post(&other, "public words").await;
    let data = alice.ok(CREATE, json!({"g": g, "n": "Deploy bot"})).await;
    let created = &data["createBot"];
    let key = created["apiKey"].as_str().unwrap();
    assert!(key.starts_with("chorus_bot_") && key.len() >= 50, "{key}");
    let bot = &created["bot"];
    assert!(key.starts_with(bot["keyPrefix"].as_str().unwrap()));
    assert_eq!(bot["user"]["name"], "Deploy bot");
    assert_eq!(bot["user"]["isBot"], true);
    let me = alice.ok("{ me { isBot } }", json!({})).await;
    assert_eq!(me["me"]["isBot"], false);
    assert_eq!(bot["createdBy"]["id"], "alice");
    assert_eq!(bot["group"]["id"], g.as_str());
    let bot_user = bot["user"]["id"].as_str().unwrap();
    let robot = bot_client(&app, key, bot_user);

    // Its group: posts, replies, edits its own, reads.
    let posted = robot.ok(POST, json!({"g": g, "b": "deployed v1"})).await;
    assert_eq!(posted["postMessage"]["author"]["id"], bot_user);
    let id = posted["postMessage"]["id"].as_str().unwrap().to_owned();
    robot.reply(&id, "and v1.1").await;
    let edit = "mutation($m: ID!) { editMessage(id: $m, body: \"deployed v1.0\") { body } }";
    assert_eq!(
        robot.ok(edit, json!({"m": id})).await["editMessage"]["body"],
        "deployed v1.0"
    );
    assert_eq!(alice.message_count(&g).await, 1);
    let alices = alice.post(&g, "thanks").await;
    assert_eq!(robot.err(edit, json!({"m": alices})).await, "FORBIDDEN");

    // Everywhere else: FORBIDDEN, even where any person may read.
    let read = "query($g: ID!) { group(id: $g) { messages { edges { node { body } } } } }";
    let hidden = robot.gql(read, json!({"g": other})).await;
    assert_eq!(
        hidden,
        json!({"data": {"group": null}}),
        "as if it did not exist"
    );
    assert_eq!(
        robot.err(POST, json!({"g": other, "b": "x"})).await,
        "FORBIDDEN"
    );
    for (query, vars) in [
        (
            "mutation { createGroup(input: {name: \"Mine\"}) { id } }",
            json!({}),
        ),
        (
            "query { searchGroups(query: \"Open\") { edges { node { id } } } }",
            json!({}),
        ),
        (
            "mutation($g: ID!) { applyToGroup(groupId: $g) { state } }",
            json!({"g": other}),
        ),
        (
            "mutation($g: ID!) { createBot(groupId: $g, name: \"child\") { apiKey } }",
            json!({"g": g}),
        ),
        (
            "mutation($g: ID!) { leaveGroup(groupId: $g) { state } }",
            json!({"g": g}),
        ),
    ] {
        assert_eq!(robot.err(query, vars.clone()).await, "FORBIDDEN", "{query}");
    }
    let message = "query($m: ID!) { message(id: $m) { body } }";
    let public_message = alice.post(&other, "more").await;
    assert_eq!(
        robot.err(message, json!({"m": public_message})).await,
        "FORBIDDEN"
    );
    assert_eq!(
        alice.message_count(&other).await,
        2,
        "nothing changed there"
    );
}

#[tokio::test]
async fn the_key_is_shown_once_and_only_admins_see_or_make_bots() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let bob = app.user("bob");
    let g = alice.create_group("Ops").await;
    alice.admit(&g, &bob).await;
    let (key, bot_id, _) = create_bot(&alice, &g).await;
    let listed = alice.gql(BOTS, json!({"g": g})).await;
    assert_eq!(listed["data"]["group"]["bots"][0]["id"], bot_id.as_str());
    assert_eq!(listed["data"]["group"]["memberCount"], 3);
    let node = "query($id: ID!) { node(id: $id) { ... on Bot { name keyPrefix } } }";
    let seen = alice.gql(node, json!({"id": bot_id})).await;
    assert_eq!(seen["data"]["node"]["name"], "Deploy bot");
    for response in [&listed, &seen] {
        assert!(
            !response.to_string().contains(&key[15..]),
            "the key is never read back"
        );
    }
    // Bob is a member, not an admin.
    assert_eq!(bob.err(BOTS, json!({"g": g})).await, "FORBIDDEN");
    assert_eq!(
        bob.gql(node, json!({"id": bot_id})).await["data"]["node"],
        Value::Null
    );
    assert_eq!(
        bob.err(CREATE, json!({"g": g, "n": "mine"})).await,
        "FORBIDDEN"
    );
    assert_eq!(bob.err(REVOKE, json!({"b": bot_id})).await, "FORBIDDEN");
    assert_eq!(
        alice.err(CREATE, json!({"g": g, "n": "  "})).await,
        "BAD_USER_INPUT"
    );
}

#[tokio::test]
async fn a_rotated_away_revoked_or_forged_key_is_unauthenticated() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Ops").await;
    let (old_key, bot_id, bot_user) = create_bot(&alice, &g).await;
    let old = bot_client(&app, &old_key, &bot_user);
    old.post(&g, "before").await;
    let used = alice.ok(BOTS, json!({"g": g})).await;
    assert!(used["group"]["bots"][0]["lastUsedAt"].is_string(), "{used}");

    let rotated = alice.ok(ROTATE, json!({"b": bot_id})).await;
    let new_key = rotated["rotateBotKey"]["apiKey"].as_str().unwrap();
    assert_ne!(new_key, old_key);
    assert_eq!(
        old.err(POST, json!({"g": g, "b": "x"})).await,
        "UNAUTHENTICATED"
    );
    let new = bot_client(&app, new_key, &bot_user);
    new.post(&g, "after rotation").await;

    let revoked = alice.ok(REVOKE, json!({"b": bot_id})).await;
    assert!(revoked["revokeBot"]["revokedAt"].is_string());
    assert_eq!(
        new.err(POST, json!({"g": g, "b": "x"})).await,
        "UNAUTHENTICATED"
    );
    let after = alice.ok(BOTS, json!({"g": g})).await;
    assert_eq!(after["group"]["memberCount"], 1, "the bot left");
    assert_eq!(alice.err(ROTATE, json!({"b": bot_id})).await, "CONFLICT");
    assert_eq!(alice.message_count(&g).await, 2);

    let forged = format!("chorus_bot_{}", "A".repeat(43));
    for key in [forged.as_str(), "chorus_bot_short", "chorus_bot_"] {
        let response = app.post(Some(key), "{ me { id } }", json!({})).await;
        assert_eq!(response.status(), 401, "{key}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_code(&body).as_deref(), Some("UNAUTHENTICATED"));
    }
}

#[tokio::test]
async fn a_bot_subscribes_with_its_key_and_is_rate_limited_like_a_person() {
    let app = spawn_app_with(&[("CHORUS_RATE_BURST", "3"), ("CHORUS_RATE_PER_SEC", "1")]).await;
    let alice = app.user("alice");
    let g = alice.create_group("Ops").await;
    let (key, _, bot_user) = create_bot(&alice, &g).await;
    let mut ws = bot_socket(&app, &key, &g).await;
    alice.post(&g, "hello bot").await;
    let event = ws.recv().await;
    assert_eq!(
        event["payload"]["data"]["groupEvents"]["message"]["body"], "hello bot",
        "{event}"
    );

    let robot = bot_client(&app, &key, &bot_user);
    let mut codes = Vec::new();
    for n in 0..5 {
        let response = robot
            .gql(POST, json!({"g": g, "b": format!("spam {n}")}))
            .await;
        codes.push(error_code(&response));
    }
    assert!(
        codes.contains(&Some("RATE_LIMITED".to_owned())),
        "{codes:?}"
    );
}

/// A socket initialised with a bot's key.
async fn bot_connection(app: &TestApp, key: &str) -> Ws {
    let mut ws = Ws::open(app).await;
    ws.send(
        json!({"type": "connection_init", "payload": {"authorization": format!("Bearer {key}")}}),
    )
    .await;
    assert_eq!(ws.recv().await["type"], "connection_ack");
    ws
}

/// A socket initialised with a bot's key and subscribed to `group`.
async fn bot_socket(app: &TestApp, key: &str, group: &str) -> Ws {
    let mut ws = bot_connection(app, key).await;
    ws.subscribe("s1", group).await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    ws
}

#[tokio::test]
async fn rotating_or_revoking_a_key_closes_the_sockets_it_opened() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Ops").await;
    let (key, bot_id, _) = create_bot(&alice, &g).await;

    // Rotation: the next event closes the old key's socket (4403) and
    // carries nothing to it; a socket on the new key keeps receiving.
    let mut old = bot_socket(&app, &key, &g).await;
    let rotated = alice.ok(ROTATE, json!({"b": bot_id})).await;
    let new_key = rotated["rotateBotKey"]["apiKey"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut current = bot_socket(&app, &new_key, &g).await;
    alice.post(&g, "after rotation").await;
    assert_eq!(old.recv().await, json!({"close": 4403}));
    let event = current.recv().await;
    assert_eq!(
        event["payload"]["data"]["groupEvents"]["message"]["body"],
        "after rotation"
    );

    // Where operations start: a second socket on the new key, then a
    // revocation; its next `subscribe` is refused with 4403.
    let mut idle = bot_connection(&app, &new_key).await;
    alice.ok(REVOKE, json!({"b": bot_id})).await;
    idle.subscribe("s2", &g).await;
    assert_eq!(idle.recv().await, json!({"close": 4403}));
}

#[tokio::test]
async fn a_banned_admins_bot_stops_until_an_owner_enables_it() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let bob = app.user("bob");
    let g = alice.create_group("Ops").await;
    alice.admit(&g, &bob).await;
    alice
        .ok(
            "mutation($g: ID!) { setMemberRole(groupId: $g, userId: \"bob\", role: ADMIN) { role } }",
            json!({"g": g}),
        )
        .await;
    let (key, bot_id, bot_user) = create_bot(&bob, &g).await;
    let robot = bot_client(&app, &key, &bot_user);
    robot.ok(POST, json!({"g": g, "b": "on duty"})).await;

    alice
        .ok(
            "mutation($g: ID!) { banMember(groupId: $g, userId: \"bob\") { state } }",
            json!({"g": g}),
        )
        .await;
    assert_eq!(
        robot.err("{ me { id } }", json!({})).await,
        "UNAUTHENTICATED"
    );
    let listed = alice.ok(BOTS, json!({"g": g})).await;
    let reason = listed["group"]["bots"][0]["disabledReason"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(reason.contains("banned"), "{listed}");

    let enable = "mutation($b: ID!) { enableBot(botId: $b) { disabledReason } }";
    let enabled = alice.ok(enable, json!({"b": bot_id})).await;
    assert_eq!(enabled["enableBot"]["disabledReason"], Value::Null);
    robot.ok(POST, json!({"g": g, "b": "back on duty"})).await;
}

#[tokio::test]
async fn a_bot_sees_nothing_outside_its_group_and_cannot_tell_foreign_from_missing() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Ops").await;
    let public = public_group(&alice).await;
    let (key, _, bot_user) = create_bot(&alice, &g).await;
    let robot = bot_client(&app, &key, &bot_user);
    let foreign_membership = alice
        .ok(
            "query($g: ID!) { group(id: $g) { viewerMembership { id } } }",
            json!({"g": public}),
        )
        .await["group"]["viewerMembership"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let missing = "g_0123456789abcdef0123456789abcdef";
    let asked = robot
        .gql(
            "query($ids: [ID!]!, $f: ID!, $m: ID!) { nodes(ids: $ids) { id }
               foreign: group(id: $f) { id } missing: group(id: $m) { id } }",
            json!({"ids": [g, public, missing, foreign_membership], "f": public, "m": missing}),
        )
        .await;
    assert!(asked.get("errors").is_none(), "{asked}");
    assert_eq!(
        asked["data"],
        json!({"nodes": [{"id": g}, null, null, null], "foreign": null, "missing": null})
    );
}

#[tokio::test]
async fn a_bot_reacts_in_its_group_and_nowhere_else() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Ops").await;
    let public = public_group(&alice).await;
    let (key, _, bot_user) = create_bot(&alice, &g).await;
    let robot = bot_client(&app, &key, &bot_user);
    let here = alice.post(&g, "deployed").await;
    let there = alice.post(&public, "open words").await;
    let react = "mutation($m: ID!) { addReaction(messageId: $m, key: \":white_check_mark:\") {
        reactions { key count viewerReacted } } }";
    let done = robot.ok(react, json!({"m": here})).await;
    assert_eq!(
        done["addReaction"]["reactions"],
        json!([{"key": ":white_check_mark:", "count": 1, "viewerReacted": true}])
    );
    assert_eq!(robot.err(react, json!({"m": there})).await, "FORBIDDEN");
}
