//! Requests built to exhaust the server are refused cheaply; private text
//! stays with those it belongs to; text with nothing visible is empty.

use crate::helpers::{error_code, spawn_app, spawn_app_with, token};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// `query { ...F<levels> }` where each fragment spreads the one below ten
/// times: 10^levels selections once expanded, from a few hundred bytes.
pub fn fragment_bomb(levels: usize) -> String {
    let mut q = format!("query {{ ...F{levels} }}\nfragment F0 on Query {{ __typename }}\n");
    for n in 1..=levels {
        let spreads = vec![format!("...F{}", n - 1); 10].join(" ");
        q.push_str(&format!("fragment F{n} on Query {{ {spreads} }}\n"));
    }
    q
}

#[tokio::test]
async fn a_fragment_bomb_is_refused_at_once_even_anonymously() {
    let app = spawn_app().await;
    for levels in [6, 7, 9] {
        let started = Instant::now();
        let response = app.anonymous().gql(&fragment_bomb(levels), json!({})).await;
        let took = started.elapsed();
        assert_eq!(error_code(&response).as_deref(), Some("BAD_USER_INPUT"));
        let message = response["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("fragments are expanded"), "{message}");
        // Unfixed, seven levels took 28 s of CPU; the bench prints the time.
        assert!(
            took < Duration::from_secs(1),
            "{levels} levels took {took:?}"
        );
    }
    let cycle = "{ ...A } fragment A on Query { ...B } fragment B on Query { __typename ...A }";
    let response = app.anonymous().gql(cycle, json!({})).await;
    assert_eq!(error_code(&response).as_deref(), Some("BAD_USER_INPUT"));
    let health = app.http.get(app.url("/health")).send().await.unwrap();
    assert!(health.status().is_success());
}

/// A chain of `depth` replies under one top-level message; the leaf's id.
async fn chain(alice: &crate::helpers::Client<'_>, group: &str, depth: usize) -> String {
    let mut id = alice.post(group, "root").await;
    for n in 1..=depth {
        id = alice.reply(&id, &format!("reply {n}")).await;
    }
    id
}

#[tokio::test]
async fn ancestors_are_bounded_and_costed_by_how_many_are_asked_for() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Deep").await;
    let leaf = chain(&alice, &g, 30).await;
    let q = "query($m: ID!) { message(id: $m) { depth ancestors { depth }
             near: ancestors(last: 3) { body depth } } }";
    let data = alice.ok(q, json!({"m": leaf})).await;
    assert_eq!(data["message"]["depth"], 30);
    let default = data["message"]["ancestors"].as_array().unwrap();
    assert_eq!(default.len(), 20, "the nearest 20 by default");
    assert_eq!(
        (default[0]["depth"].clone(), default[19]["depth"].clone()),
        (json!(10), json!(29))
    );
    assert_eq!(
        data["message"]["near"],
        json!([{"body": "reply 27", "depth": 27}, {"body": "reply 28", "depth": 28}, {"body": "reply 29", "depth": 29}])
    );
    let all = alice
        .ok(
            "query($m: ID!) { message(id: $m) { ancestors(last: 100) { id } } }",
            json!({"m": leaf}),
        )
        .await;
    assert_eq!(all["message"]["ancestors"].as_array().unwrap().len(), 30);
    for bad in [0, 101, -1] {
        let q =
            format!("query($m: ID!) {{ message(id: $m) {{ ancestors(last: {bad}) {{ id }} }} }}");
        assert_eq!(alice.err(&q, json!({"m": leaf})).await, "BAD_USER_INPUT");
    }
    // Aliases and nesting multiply the cost and are refused before running.
    let aliases: String = (0..60)
        .map(|i| format!(" a{i}: ancestors(last: 100) {{ body }}"))
        .collect();
    let q = format!("query($m: ID!) {{ message(id: $m) {{ {aliases} }} }}");
    assert_eq!(alice.err(&q, json!({"m": leaf})).await, "BAD_USER_INPUT");
    let nested =
        "query($m: ID!) { message(id: $m) { ancestors { ancestors { ancestors { body } } } } }";
    assert_eq!(
        alice.err(nested, json!({"m": leaf})).await,
        "BAD_USER_INPUT"
    );
}

#[tokio::test]
async fn a_response_over_the_size_limit_is_replaced_by_an_error() {
    let app = spawn_app_with(&[("CHORUS_MAX_RESPONSE_BYTES", "20000")]).await;
    let alice = app.user("alice");
    let g = alice.create_group("Big").await;
    for _ in 0..3 {
        alice.post(&g, &"x".repeat(9_000)).await;
    }
    let q = "query($g: ID!) { group(id: $g) { messages { edges { node { body } } } } }";
    let response = alice.gql(q, json!({"g": g})).await;
    assert_eq!(
        error_code(&response).as_deref(),
        Some("BAD_USER_INPUT"),
        "{response}"
    );
    assert!(response["data"].is_null());
    let q = "query($g: ID!) { group(id: $g) { messages(first: 2) { edges { node { body } } } } }";
    assert!(alice.gql(q, json!({"g": g})).await.get("errors").is_none());
}

const MEMBERSHIPS: &str = "query($g: ID!) { group(id: $g) {
    members { edges { node { user { id } note rejectionReason } } }
    viewerMembership { note } } }";

fn notes(data: &Value) -> Vec<Value> {
    data["group"]["members"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| json!([e["node"]["user"]["id"], e["node"]["note"]]))
        .collect()
}

#[tokio::test]
async fn notes_and_rejection_reasons_are_for_the_applicant_and_admins_only() {
    let app = spawn_app().await;
    let (alice, bob, carol, dave) = (
        app.user("alice"),
        app.user("bob"),
        app.user("carol"),
        app.user("dave"),
    );
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    let apply =
        "mutation($g: ID!) { applyToGroup(groupId: $g, note: \"my phone is 555\") { state } }";
    carol.ok(apply, json!({"g": g})).await;
    alice.approve(&g, "carol").await;
    dave.ok(apply, json!({"g": g})).await;
    let reject = "mutation($g: ID!) { rejectApplication(groupId: $g, userId: \"dave\", reason: \"spam\") { rejectionReason } }";
    assert_eq!(
        alice.ok(reject, json!({"g": g})).await["rejectApplication"]["rejectionReason"],
        "spam"
    );
    // A plain member sees no one's note, including over a live event.
    let seen = bob.ok(MEMBERSHIPS, json!({"g": g})).await;
    assert!(notes(&seen).iter().all(|n| n[1].is_null()), "{seen}");
    // The applicant and the admins do.
    let own = carol.ok(MEMBERSHIPS, json!({"g": g})).await;
    assert_eq!(own["group"]["viewerMembership"]["note"], "my phone is 555");
    assert!(notes(&alice.ok(MEMBERSHIPS, json!({"g": g})).await)
        .contains(&json!(["carol", "my phone is 555"])));
    let mut ws = crate::subscriptions::Ws::connect(&app, "bob").await;
    let q = "subscription($g: ID!) { groupEvents(groupId: $g) { membership { note rejectionReason } } }";
    ws.send(
        json!({"id": "1", "type": "subscribe", "payload": {"query": q, "variables": {"g": g}}}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let erin = app.user("erin");
    erin.ok(
        "mutation($g: ID!) { applyToGroup(groupId: $g, note: \"secret\") { state } }",
        json!({"g": g}),
    )
    .await;
    let event = ws.recv().await;
    assert_eq!(
        event["payload"]["data"]["groupEvents"]["membership"],
        json!({"note": null, "rejectionReason": null})
    );
}

#[tokio::test]
async fn text_with_nothing_visible_and_names_with_direction_overrides_are_refused() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    let post =
        "mutation($g: ID!, $b: String!) { postMessage(input: {groupId: $g, body: $b}) { body } }";
    for invisible in ["\u{200B}", " \u{200B}\u{200D}\u{FEFF} ", "\u{202E}"] {
        assert_eq!(
            alice.err(post, json!({"g": g, "b": invisible})).await,
            "BAD_USER_INPUT"
        );
    }
    let data = alice.ok(post, json!({"g": g, "b": "cafe\u{301}"})).await;
    assert_eq!(
        data["postMessage"]["body"], "caf\u{e9}",
        "stored NFC-normalized"
    );
    let create = "mutation($n: String!) { createGroup(input: {name: $n}) { id } }";
    assert_eq!(
        alice.err(create, json!({"n": "admin\u{202E}nimda"})).await,
        "BAD_USER_INPUT"
    );
}

#[tokio::test]
async fn introspection_is_for_signed_in_users_and_the_scheme_is_case_insensitive() {
    let app = spawn_app().await;
    let q = "{ __schema { queryType { name } } }";
    let anonymous = app.anonymous().gql(q, json!({})).await;
    assert_eq!(
        error_code(&anonymous).as_deref(),
        Some("UNAUTHENTICATED"),
        "{anonymous}"
    );
    let typename = app.anonymous().gql("{ __typename }", json!({})).await;
    assert_eq!(typename["data"]["__typename"], "Query");
    assert_eq!(
        app.user("alice").ok(q, json!({})).await["__schema"]["queryType"]["name"],
        "Query"
    );
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let response = app
            .http
            .post(app.url("/graphql"))
            .header("Authorization", format!("{scheme} {}", token("alice")))
            .json(&json!({"query": "{ me { id } }"}))
            .send()
            .await
            .unwrap();
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["data"]["me"]["id"], "alice", "{scheme}: {body}");
    }
}
