use crate::helpers::{error_code, spawn_app};
use serde_json::json;

const MESSAGE: &str =
    "query($id: ID!) { message(id: $id) { body depth replyCount parent { id } ancestors { id }
    author { id name } group { id } editedAt deletedAt } }";

#[tokio::test]
async fn replies_nest_to_any_depth_with_parent_ancestors_and_counts() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    let root = alice.post(&g, "root").await;
    let a = alice.reply(&root, "a").await;
    let b = alice.reply(&a, "b").await;
    let c = alice.reply(&b, "c").await;
    alice.reply(&root, "second reply").await;
    let data = alice.ok(MESSAGE, json!({"id": c})).await;
    let m = &data["message"];
    assert_eq!(m["depth"], 3);
    assert_eq!(m["parent"]["id"], b.as_str());
    assert_eq!(m["ancestors"], json!([{"id": root}, {"id": a}, {"id": b}]));
    assert_eq!(m["author"], json!({"id": "alice", "name": "alice name"}));
    assert_eq!(m["group"]["id"], g.as_str());
    let data = alice.ok(MESSAGE, json!({"id": root})).await;
    assert_eq!(
        (
            data["message"]["replyCount"].as_i64(),
            data["message"]["depth"].as_i64()
        ),
        (Some(2), Some(0))
    );
    assert_eq!(data["message"]["ancestors"], json!([]));
    let top = alice
        .ok(
            "query($g: ID!) { group(id: $g) { messages { edges { node { body } } } } }",
            json!({"g": g}),
        )
        .await;
    assert_eq!(
        top["group"]["messages"]["edges"],
        json!([{"node": {"body": "root"}}]),
        "replies are not top-level"
    );
}

#[tokio::test]
async fn the_author_edits_and_others_cannot() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    let m = bob.post(&g, "typo").await;
    let q = "mutation($id: ID!, $b: String!) { editMessage(id: $id, body: $b) { body editedAt } }";
    assert_eq!(
        alice.err(q, json!({"id": m, "b": "hijack"})).await,
        "FORBIDDEN"
    );
    let data = bob.ok(q, json!({"id": m, "b": "fixed"})).await;
    assert_eq!(data["editMessage"]["body"], "fixed");
    assert!(data["editMessage"]["editedAt"].is_string());
    assert_eq!(
        bob.err(q, json!({"id": m, "b": "  "})).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        bob.ok(MESSAGE, json!({"id": m})).await["message"]["body"],
        "fixed",
        "a refused edit changes nothing"
    );
}

#[tokio::test]
async fn an_admin_deletes_a_message_leaving_a_tombstone_whose_replies_remain() {
    let app = spawn_app().await;
    let (alice, bob, carol) = (app.user("alice"), app.user("bob"), app.user("carol"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    alice.admit(&g, &carol).await;
    let m = bob.post(&g, "spam").await;
    let reply = carol.reply(&m, "don't").await;
    let q = "mutation($id: ID!) { deleteMessage(id: $id) { body deletedAt replyCount } }";
    assert_eq!(
        carol.err(q, json!({"id": m})).await,
        "FORBIDDEN",
        "another member cannot delete"
    );
    let data = alice.ok(q, json!({"id": m})).await;
    assert_eq!(data["deleteMessage"]["body"], json!(null));
    assert!(data["deleteMessage"]["deletedAt"].is_string());
    assert_eq!(
        alice.ok(q, json!({"id": m})).await["deleteMessage"]["deletedAt"],
        data["deleteMessage"]["deletedAt"],
        "deleting twice is harmless"
    );
    let replies = carol
        .ok(
            "query($id: ID!) { message(id: $id) { replies { edges { node { id body } } } } }",
            json!({"id": m}),
        )
        .await;
    assert_eq!(
        replies["message"]["replies"]["edges"],
        json!([{"node": {"id": reply, "body": "don't"}}])
    );
    let edit = "mutation($id: ID!) { editMessage(id: $id, body: \"back\") { body } }";
    assert_eq!(bob.err(edit, json!({"id": m})).await, "CONFLICT");
    let own = carol.ok(q, json!({"id": reply})).await;
    assert_eq!(
        own["deleteMessage"]["body"],
        json!(null),
        "authors delete their own messages"
    );
}

#[tokio::test]
async fn a_retried_post_with_the_same_client_message_id_returns_the_first_message() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    let q = "mutation($g: ID!, $b: String!) { postMessage(input: {groupId: $g, body: $b, clientMessageId: \"c-1\"}) { id body clientMessageId } }";
    let first = alice.ok(q, json!({"g": g, "b": "hello"})).await;
    let second = alice.ok(q, json!({"g": g, "b": "hello again"})).await;
    assert_eq!(first, second);
    assert_eq!(first["postMessage"]["clientMessageId"], "c-1");
    let r = "mutation($p: ID!) { replyToMessage(input: {parentId: $p, body: \"r\", clientMessageId: \"c-2\"}) { id } }";
    let parent = first["postMessage"]["id"].as_str().unwrap();
    assert_eq!(
        alice.ok(r, json!({"p": parent})).await,
        alice.ok(r, json!({"p": parent})).await
    );
    assert_eq!(alice.message_count(&g).await, 1);
}

#[tokio::test]
async fn message_bodies_must_be_one_to_ten_thousand_characters_after_trimming() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    let q =
        "mutation($g: ID!, $b: String!) { postMessage(input: {groupId: $g, body: $b}) { body } }";
    assert_eq!(
        alice.err(q, json!({"g": g, "b": " \n\t "})).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        alice.err(q, json!({"g": g, "b": "ж".repeat(10_001)})).await,
        "BAD_USER_INPUT"
    );
    let ok = alice
        .ok(
            q,
            json!({"g": g, "b": format!("  {}  ", "ж".repeat(10_000))}),
        )
        .await;
    assert_eq!(
        ok["postMessage"]["body"].as_str().unwrap().chars().count(),
        10_000
    );
    let q2 = "mutation($g: ID!, $c: String!) { postMessage(input: {groupId: $g, body: \"x\", clientMessageId: $c}) { id } }";
    assert_eq!(
        alice.err(q2, json!({"g": g, "c": "k".repeat(200)})).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        alice.message_count(&g).await,
        1,
        "refused posts left nothing"
    );
}

#[tokio::test]
async fn unknown_messages_are_null_or_not_found() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    assert_eq!(
        alice
            .ok("{ message(id: \"m_nope\") { id } }", json!({}))
            .await["message"],
        json!(null)
    );
    let q = "mutation { replyToMessage(input: {parentId: \"m_nope\", body: \"x\"}) { id } }";
    assert_eq!(alice.err(q, json!({})).await, "NOT_FOUND");
}

#[tokio::test]
async fn push_subscriptions_are_registered_validated_and_unregistered() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let p256dh =
        "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM";
    let auth = "tBHItJI5svbpez7KI4CCXg";
    let q = "mutation($e: String!, $p: String!, $a: String!) { registerPushSubscription(input: {endpoint: $e, p256dh: $p, auth: $a}) { endpoint createdAt } }";
    let data = alice
        .ok(
            q,
            json!({"e": "https://push.example.com/sub/1", "p": p256dh, "a": auth}),
        )
        .await;
    assert_eq!(
        data["registerPushSubscription"]["endpoint"],
        "https://push.example.com/sub/1"
    );
    assert_eq!(
        alice
            .err(q, json!({"e": "ftp://x", "p": p256dh, "a": auth}))
            .await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        alice
            .err(q, json!({"e": "https://x/y", "p": "short", "a": auth}))
            .await,
        "BAD_USER_INPUT"
    );
    let listed = alice
        .ok("{ myPushSubscriptions { endpoint } }", json!({}))
        .await;
    assert_eq!(
        listed["myPushSubscriptions"],
        json!([{"endpoint": "https://push.example.com/sub/1"}])
    );
    let un = "mutation($e: String!) { unregisterPushSubscription(endpoint: $e) }";
    let bob = app.user("bob");
    assert_eq!(
        bob.ok(un, json!({"e": "https://push.example.com/sub/1"}))
            .await["unregisterPushSubscription"],
        false,
        "not bob's"
    );
    assert_eq!(
        alice
            .ok(un, json!({"e": "https://push.example.com/sub/1"}))
            .await["unregisterPushSubscription"],
        true
    );
    assert_eq!(
        alice
            .ok("{ myPushSubscriptions { endpoint } }", json!({}))
            .await["myPushSubscriptions"],
        json!([])
    );
}

#[tokio::test]
async fn what_a_mutation_changed_is_seen_by_the_rest_of_its_request() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let bob = app.user("bob");
    let group = alice.create_group("Club").await;
    alice.admit(&group, &bob).await;
    alice.post(&group, "hello").await;
    // The first field reads the group as a member (the request keeps that
    // answer); leaving must be seen by the fields that follow.
    let q = r#"mutation($g: ID!, $body: String!) {
        first: postMessage(input: {groupId: $g, body: $body}) {
            group { messages(last: 1) { edges { node { body } } } } }
        left: leaveGroup(groupId: $g) {
            state group { messages(last: 1) { edges { node { body } } } } } }"#;
    let response = bob.gql(q, json!({"g": group, "body": "bye"})).await;
    // The non-null connection's error nulls `data`; the errors tell.
    let errors = response["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "the first read succeeded: {response}");
    assert_eq!(errors[0]["path"], json!(["left", "group", "messages"]));
    assert_eq!(error_code(&response).as_deref(), Some("FORBIDDEN"));
}
