use crate::helpers::{spawn_app, Client};
use serde_json::{json, Value};

const PAGE: &str = "query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  message(id: $id) { replies(first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { body } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }";

async fn page(client: &Client<'_>, root: &str, args: Value) -> Value {
    let mut vars = args;
    vars["id"] = json!(root);
    client.ok(PAGE, vars).await["message"]["replies"].clone()
}

fn bodies(page: &Value) -> Vec<String> {
    page["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["body"].as_str().unwrap().to_owned())
        .collect()
}

fn names(range: std::ops::RangeInclusive<usize>) -> Vec<String> {
    range.map(|i| format!("r{i}")).collect()
}

async fn thread(app: &crate::helpers::TestApp, replies: usize) -> (Client<'_>, String) {
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    let root = alice.post(&g, "root").await;
    for i in 1..=replies {
        alice.reply(&root, &format!("r{i}")).await;
    }
    (alice, root)
}

#[tokio::test]
async fn pages_walk_forward_with_exact_page_info() {
    let app = spawn_app().await;
    let (alice, root) = thread(&app, 25).await;
    let first = page(&alice, &root, json!({"first": 10})).await;
    assert_eq!(bodies(&first), names(1..=10));
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    assert_eq!(first["pageInfo"]["hasPreviousPage"], false);
    assert_eq!(
        first["pageInfo"]["startCursor"],
        first["edges"][0]["cursor"]
    );
    let second = page(
        &alice,
        &root,
        json!({"first": 10, "after": first["pageInfo"]["endCursor"]}),
    )
    .await;
    assert_eq!(bodies(&second), names(11..=20));
    assert_eq!(second["pageInfo"]["hasPreviousPage"], true);
    let third = page(
        &alice,
        &root,
        json!({"first": 10, "after": second["pageInfo"]["endCursor"]}),
    )
    .await;
    assert_eq!(bodies(&third), names(21..=25));
    assert_eq!(third["pageInfo"]["hasNextPage"], false);
}

#[tokio::test]
async fn pages_walk_backward_and_still_list_oldest_first() {
    let app = spawn_app().await;
    let (alice, root) = thread(&app, 25).await;
    let last = page(&alice, &root, json!({"last": 10})).await;
    assert_eq!(bodies(&last), names(16..=25));
    assert_eq!(
        (
            last["pageInfo"]["hasPreviousPage"].as_bool(),
            last["pageInfo"]["hasNextPage"].as_bool()
        ),
        (Some(true), Some(false))
    );
    let before = page(
        &alice,
        &root,
        json!({"last": 10, "before": last["pageInfo"]["startCursor"]}),
    )
    .await;
    assert_eq!(bodies(&before), names(6..=15));
    let start = page(
        &alice,
        &root,
        json!({"last": 10, "before": before["pageInfo"]["startCursor"]}),
    )
    .await;
    assert_eq!(bodies(&start), names(1..=5));
    assert_eq!(
        (
            start["pageInfo"]["hasPreviousPage"].as_bool(),
            start["pageInfo"]["hasNextPage"].as_bool()
        ),
        (Some(false), Some(true))
    );
}

#[tokio::test]
async fn without_first_or_last_a_page_holds_twenty_and_more_than_a_hundred_is_refused() {
    let app = spawn_app().await;
    let (alice, root) = thread(&app, 25).await;
    assert_eq!(bodies(&page(&alice, &root, json!({})).await).len(), 20);
    assert_eq!(
        alice.err(PAGE, json!({"id": root, "first": 101})).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        alice.err(PAGE, json!({"id": root, "first": -1})).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        alice
            .err(PAGE, json!({"id": root, "first": 1, "last": 1}))
            .await,
        "BAD_USER_INPUT"
    );
}

#[tokio::test]
async fn malformed_or_foreign_cursors_are_bad_user_input() {
    let app = spawn_app().await;
    let (alice, root) = thread(&app, 3).await;
    for bad in ["garbage", "", "eyJub3QiOiJhIGN1cnNvciJ9", "%%%"] {
        assert_eq!(
            alice.err(PAGE, json!({"id": root, "after": bad})).await,
            "BAD_USER_INPUT",
            "{bad:?}"
        );
    }
    let other = alice
        .post(&alice.create_group("Other").await, "other root")
        .await;
    alice.reply(&other, "x").await;
    let foreign = page(&alice, &other, json!({"first": 1})).await["pageInfo"]["endCursor"].clone();
    assert_eq!(
        alice.err(PAGE, json!({"id": root, "after": foreign})).await,
        "BAD_USER_INPUT"
    );
}

#[tokio::test]
async fn group_messages_members_and_my_groups_page_the_same_way() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    for i in 1..=5 {
        alice.post(&g, &format!("m{i}")).await;
        let member = app.user(&format!("user{i}"));
        alice.admit(&g, &member).await;
        alice.create_group(&format!("Own {i}")).await;
    }
    let q = "query($g: ID!, $c: String) { group(id: $g) {
        messages(last: 2, before: $c) { edges { node { body } } pageInfo { startCursor hasPreviousPage } }
        members(first: 2) { edges { node { user { id } role } } pageInfo { hasNextPage } } } }";
    let data = alice.ok(q, json!({"g": g})).await;
    let bodies: Vec<_> = data["group"]["messages"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["body"].clone())
        .collect();
    assert_eq!(bodies, vec![json!("m4"), json!("m5")]);
    assert_eq!(
        data["group"]["members"]["edges"][0]["node"],
        json!({"user": {"id": "alice"}, "role": "OWNER"})
    );
    assert_eq!(data["group"]["members"]["pageInfo"]["hasNextPage"], true);
    let mine = "query($a: String) { myGroups(first: 4, after: $a) { edges { node { name } } pageInfo { endCursor hasNextPage } } }";
    let p1 = alice.ok(mine, json!({})).await;
    let p2 = alice
        .ok(mine, json!({"a": p1["myGroups"]["pageInfo"]["endCursor"]}))
        .await;
    let all: Vec<_> = [&p1, &p2]
        .iter()
        .flat_map(|p| p["myGroups"]["edges"].as_array().unwrap().clone())
        .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        all,
        vec!["Club", "Own 1", "Own 2", "Own 3", "Own 4", "Own 5"]
    );
    assert_eq!(p2["myGroups"]["pageInfo"]["hasNextPage"], false);
}
