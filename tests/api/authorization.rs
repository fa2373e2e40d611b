//! The authorization matrix: who may do what in a private group.

use crate::helpers::{error_code, spawn_app, Client, TestApp};
use crate::subscriptions::Ws;
use serde_json::json;
use std::time::Duration;

const ROLES: [&str; 7] = [
    "anonymous",
    "outsider",
    "applicant",
    "member",
    "admin",
    "owner",
    "banned",
];
const ACTIONS: [&str; 11] = [
    "read group",
    "read messages",
    "post",
    "reply",
    "react",
    "read threads and receipts",
    "pin",
    "approve",
    "ban",
    "subscribe",
    "read pins",
];

/// The expected outcome of each (role, action): `None` allowed, else the code.
fn expected(role: &str, action: &str) -> Option<&'static str> {
    match (role, action) {
        ("anonymous", _) => Some("UNAUTHENTICATED"),
        (_, "read group") => None,
        ("admin" | "owner", _) => None,
        ("member", "approve" | "ban" | "pin") => Some("FORBIDDEN"),
        ("member", _) => None,
        _ => Some("FORBIDDEN"),
    }
}

struct World<'a> {
    app: &'a TestApp,
    owner: Client<'a>,
    group: String,
    message: String,
}

async fn world(app: &TestApp) -> World<'_> {
    let owner = app.user("owner");
    let group = owner.create_group("Private club").await;
    let message = owner.post(&group, "members only").await;
    owner.admit(&group, &app.user("member")).await;
    owner.admit(&group, &app.user("admin")).await;
    owner
        .ok("mutation($g: ID!) { setMemberRole(groupId: $g, userId: \"admin\", role: ADMIN) { role } }", json!({"g": group}))
        .await;
    app.user("applicant").apply(&group).await;
    owner.admit(&group, &app.user("banned")).await;
    owner
        .ok(
            "mutation($g: ID!) { banMember(groupId: $g, userId: \"banned\") { state } }",
            json!({"g": group}),
        )
        .await;
    World {
        app,
        owner,
        group,
        message,
    }
}

fn client<'a>(app: &'a TestApp, role: &str) -> Client<'a> {
    if role == "anonymous" {
        app.anonymous()
    } else {
        app.user(role)
    }
}

/// Attempts `action` as `role`; `None` if allowed, else the error code.
async fn attempt(w: &World<'_>, role: &str, action: &str) -> Option<String> {
    let c = client(w.app, role);
    let g = &w.group;
    let response = match action {
        "read group" => {
            c.gql(
                "query($g: ID!) { group(id: $g) { id name } }",
                json!({"g": g}),
            )
            .await
        }
        "read messages" => {
            c.gql(
                "query($g: ID!) { group(id: $g) { messages { edges { cursor } } } }",
                json!({"g": g}),
            )
            .await
        }
        "post" => {
            c.gql(
                "mutation($g: ID!) { postMessage(input: {groupId: $g, body: \"hi\"}) { id } }",
                json!({"g": g}),
            )
            .await
        }
        "reply" => {
            c.gql(
                "mutation($m: ID!) { replyToMessage(input: {parentId: $m, body: \"hi\"}) { id } }",
                json!({"m": w.message}),
            )
            .await
        }
        "react" => {
            c.gql(
                "mutation($m: ID!) { addReaction(messageId: $m, key: \"👍\") { id } }",
                json!({"m": w.message}),
            )
            .await
        }
        "read threads and receipts" => {
            c.gql(
                "query($m: ID!, $g: ID!) { node(id: $m) { ... on Message { thread { replyCount }
                   seenBy { edges { cursor } } reactors(key: \"👍\") { edges { cursor } } } }
                   myThreads(groupId: $g) { edges { cursor } } }",
                json!({"m": w.message, "g": g}),
            )
            .await
        }
        "pin" => {
            c.gql(
                "mutation($m: ID!) { pinMessage(id: $m) { id } }",
                json!({"m": w.message}),
            )
            .await
        }
        "read pins" => {
            c.gql(
                "query($g: ID!) { group(id: $g) { pinnedMessages { edges { cursor } } } }",
                json!({"g": g}),
            )
            .await
        }
        "approve" => {
            let target = format!("applicant-for-{role}");
            w.app.user(&target).apply(g).await;
            c.gql("mutation($g: ID!, $u: ID!) { approveApplication(groupId: $g, userId: $u) { state } }", json!({"g": g, "u": target})).await
        }
        "ban" => {
            let target = w.app.user(&format!("target-for-{role}"));
            w.owner.admit(g, &target).await;
            c.gql(
                "mutation($g: ID!, $u: ID!) { banMember(groupId: $g, userId: $u) { state } }",
                json!({"g": g, "u": target.id}),
            )
            .await
        }
        "subscribe" => return subscribe(w, role).await,
        _ => unreachable!(),
    };
    if let Some(code) = error_code(&response) {
        return Some(code);
    }
    assert!(
        response["data"]
            .as_object()
            .unwrap()
            .values()
            .all(|v| !v.is_null()),
        "{response}"
    );
    None
}

async fn subscribe(w: &World<'_>, role: &str) -> Option<String> {
    let mut ws = if role == "anonymous" {
        let mut ws = Ws::open(w.app).await;
        ws.send(json!({"type": "connection_init"})).await;
        ws.recv().await;
        ws
    } else {
        Ws::connect(w.app, role).await
    };
    ws.subscribe("s", &w.group).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    w.owner.post(&w.group, "event").await;
    let reply = ws.recv().await;
    let errors = if reply["type"] == "error" {
        &reply["payload"]
    } else {
        &reply["payload"]["errors"]
    };
    match errors[0]["extensions"]["code"].as_str() {
        Some(code) => Some(code.to_owned()),
        None => {
            assert_eq!(
                reply["payload"]["data"]["groupEvents"]["type"], "MESSAGE_POSTED",
                "{reply}"
            );
            None
        }
    }
}

#[tokio::test]
async fn every_role_is_allowed_or_denied_exactly_as_the_matrix_says() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let mut mismatches = Vec::new();
    for role in ROLES {
        for action in ACTIONS {
            let got = attempt(&w, role, action).await;
            let want = expected(role, action);
            if got.as_deref() != want {
                mismatches.push(format!("{role} / {action}: expected {want:?}, got {got:?}"));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
