use crate::helpers::spawn_app;
use serde_json::json;

#[tokio::test]
async fn creating_a_group_makes_the_creator_its_owner_and_only_member() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let data = alice
        .ok(
            r#"mutation { createGroup(input: {name: "  Climbers ", description: "rocks", visibility: PUBLIC}) {
                name description visibility memberCount viewerMembership { state role } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data["createGroup"],
        json!({"name": "Climbers", "description": "rocks", "visibility": "PUBLIC", "memberCount": 1,
               "viewerMembership": {"state": "MEMBER", "role": "OWNER"}})
    );
    let mine = alice
        .ok("{ myGroups { edges { node { name } } } }", json!({}))
        .await;
    assert_eq!(mine["myGroups"]["edges"][0]["node"]["name"], "Climbers");
}

#[tokio::test]
async fn an_invalid_group_name_is_refused_and_creates_nothing() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let q = "mutation($n: String!) { createGroup(input: {name: $n}) { id } }";
    assert_eq!(alice.err(q, json!({"n": "   "})).await, "BAD_USER_INPUT");
    assert_eq!(
        alice.err(q, json!({"n": "x".repeat(101)})).await,
        "BAD_USER_INPUT"
    );
    alice.ok(q, json!({"n": "x".repeat(100)})).await;
    let mine = alice
        .ok("{ myGroups { edges { node { name } } } }", json!({}))
        .await;
    assert_eq!(mine["myGroups"]["edges"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn admins_update_a_group_and_members_cannot() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Old").await;
    alice.admit(&g, &bob).await;
    let q = "mutation($g: ID!) { updateGroup(input: {id: $g, name: \"New\", description: \"d\"}) { name description } }";
    assert_eq!(bob.err(q, json!({"g": g})).await, "FORBIDDEN");
    let data = alice.ok(q, json!({"g": g})).await;
    assert_eq!(
        data["updateGroup"],
        json!({"name": "New", "description": "d"})
    );
    let clear = "mutation($g: ID!) { updateGroup(input: {id: $g, description: null}) { name description } }";
    let data = alice.ok(clear, json!({"g": g})).await;
    assert_eq!(
        data["updateGroup"],
        json!({"name": "New", "description": null})
    );
    let q = "mutation { updateGroup(input: {id: \"g_nope\", name: \"x\"}) { name } }";
    assert_eq!(alice.err(q, json!({})).await, "NOT_FOUND");
}

#[tokio::test]
async fn outsiders_find_a_private_group_and_see_only_its_public_face() {
    let app = spawn_app().await;
    let (alice, eve) = (app.user("alice"), app.user("eve"));
    let g = alice.create_group("Secret Garden").await;
    alice.post(&g, "hidden").await;
    let found = eve
        .ok("{ searchGroups(query: \"garden\") { edges { node { id name memberCount viewerMembership { state } } } } }", json!({}))
        .await;
    assert_eq!(
        found["searchGroups"]["edges"][0]["node"],
        json!({"id": g, "name": "Secret Garden", "memberCount": 1, "viewerMembership": null})
    );
    for field in [
        "messages { edges { cursor } }",
        "members { edges { cursor } }",
        "applications { edges { cursor } }",
    ] {
        let q = format!("query($g: ID!) {{ group(id: $g) {{ name {field} }} }}");
        assert_eq!(eve.err(&q, json!({"g": g})).await, "FORBIDDEN", "{field}");
    }
    let missing = eve
        .ok("{ group(id: \"g_unknown\") { id } }", json!({}))
        .await;
    assert_eq!(missing["group"], json!(null));
}

#[tokio::test]
async fn a_public_groups_messages_are_readable_by_any_signed_in_user_but_posting_needs_membership()
{
    let app = spawn_app().await;
    let (alice, eve) = (app.user("alice"), app.user("eve"));
    let data = alice
        .ok(
            "mutation { createGroup(input: {name: \"Open\", visibility: PUBLIC}) { id } }",
            json!({}),
        )
        .await;
    let g = data["createGroup"]["id"].as_str().unwrap().to_owned();
    alice.post(&g, "hello world").await;
    let read = eve
        .ok(
            "query($g: ID!) { group(id: $g) { messages { edges { node { body } } } } }",
            json!({"g": g}),
        )
        .await;
    assert_eq!(
        read["group"]["messages"]["edges"][0]["node"]["body"],
        "hello world"
    );
    let q = "mutation($g: ID!) { postMessage(input: {groupId: $g, body: \"hi\"}) { id } }";
    assert_eq!(eve.err(q, json!({"g": g})).await, "FORBIDDEN");
}

#[tokio::test]
async fn mutations_beyond_the_rate_limit_are_refused_with_a_retry_hint() {
    let app =
        crate::helpers::spawn_app_with(&[("CHORUS_RATE_BURST", "3"), ("CHORUS_RATE_PER_SEC", "1")])
            .await;
    let alice = app.user("alice");
    let g = alice.create_group("Busy").await;
    alice.post(&g, "one").await;
    alice.post(&g, "two").await;
    let response = alice
        .gql(
            "mutation($g: ID!) { postMessage(input: {groupId: $g, body: \"three\"}) { id } }",
            json!({"g": g}),
        )
        .await;
    assert_eq!(
        crate::helpers::error_code(&response).as_deref(),
        Some("RATE_LIMITED")
    );
    assert!(
        response["errors"][0]["extensions"]["retryAfterMs"]
            .as_u64()
            .unwrap()
            > 0
    );
    let page = alice
        .ok(
            "query($g: ID!) { group(id: $g) { messages { edges { node { body } } } } }",
            json!({"g": g}),
        )
        .await;
    assert_eq!(
        page["group"]["messages"]["edges"].as_array().unwrap().len(),
        2,
        "the refused post left nothing"
    );
    let bob = app.user("bob");
    bob.create_group("Bob's").await;
}
