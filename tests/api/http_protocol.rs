//! GraphQL over HTTP: media types, status codes, GET, limits.

use crate::helpers::{error_code, spawn_app, spawn_app_with, token};
use reqwest::StatusCode;
use serde_json::{json, Value};

const MODERN: &str = "application/graphql-response+json";

#[tokio::test]
async fn health_and_graphiql_are_served() {
    let app = spawn_app().await;
    let health: Value = app
        .http
        .get(app.url("/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health, json!({"status": "ok"}));
    let page = app
        .http
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("graphiql"), "GraphiQL page");
}

#[tokio::test]
async fn graphql_response_json_is_answered_when_asked_with_spec_status_codes() {
    let app = spawn_app().await;
    let send = |body: Value, accept: &'static str| {
        app.http
            .post(app.url("/graphql"))
            .header("accept", accept)
            .bearer_auth(token("alice"))
            .json(&body)
            .send()
    };
    let ok = send(json!({"query": "{ me { id } }"}), MODERN)
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(ok.headers()["content-type"], MODERN);
    let syntax = send(json!({"query": "{ me { id "}), MODERN).await.unwrap();
    assert_eq!(syntax.status(), StatusCode::BAD_REQUEST);
    let body: Value = syntax.json().await.unwrap();
    assert!(
        body.get("data").is_none(),
        "a request error has no data entry"
    );
    assert_eq!(error_code(&body).as_deref(), Some("BAD_USER_INPUT"));
    let invalid = send(json!({"query": "{ nope }"}), MODERN).await.unwrap();
    assert_eq!(invalid.status(), StatusCode::BAD_REQUEST);
    let legacy = send(json!({"query": "{ nope }"}), "application/json")
        .await
        .unwrap();
    assert_eq!(legacy.status(), StatusCode::OK);
    assert_eq!(legacy.headers()["content-type"], "application/json");
    let field_error = send(json!({"query": "{ message(id: \"m_x\") { id } group(id: \"g_x\") { messages { edges { cursor } } } }"}), MODERN).await.unwrap();
    assert_eq!(
        field_error.status(),
        StatusCode::OK,
        "errors during execution keep 200"
    );
}

#[tokio::test]
async fn queries_may_use_get_but_mutations_may_not() {
    let app = spawn_app().await;
    let get = |query: &str| {
        app.http
            .get(app.url("/graphql"))
            .query(&[("query", query)])
            .bearer_auth(token("alice"))
            .send()
    };
    let ok = get("{ me { id } }").await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(
        ok.json::<Value>().await.unwrap()["data"]["me"]["id"],
        "alice"
    );
    let mutation = get("mutation { createGroup(input: {name: \"via GET\"}) { id } }")
        .await
        .unwrap();
    assert_eq!(mutation.status(), StatusCode::METHOD_NOT_ALLOWED);
    let named = get("mutation Sneaky { createGroup(input: {name: \"via GET\"}) { id } }")
        .await
        .unwrap();
    assert_eq!(named.status(), StatusCode::METHOD_NOT_ALLOWED, "named too");
    let mine = app
        .user("alice")
        .ok("{ myGroups { edges { cursor } } }", json!({}))
        .await;
    assert_eq!(
        mine["myGroups"]["edges"],
        json!([]),
        "the GET mutation did not run"
    );
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413_and_changes_nothing() {
    let app = spawn_app_with(&[("CHORUS_MAX_BODY_BYTES", "4096")]).await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    let body = json!({"query": "mutation($g: ID!, $b: String!) { postMessage(input: {groupId: $g, body: $b}) { id } }",
                      "variables": {"g": g, "b": "x".repeat(5000)}});
    let response = app.post_body(Some(&token("alice")), &body).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(error_code(&answer).as_deref(), Some("BAD_USER_INPUT"));
    assert!(
        answer["errors"][0].get("locations").is_none(),
        "no line 0 location on a request error: {answer}"
    );
    assert_eq!(alice.message_count(&g).await, 0);
}

#[tokio::test]
async fn non_json_bodies_are_refused() {
    let app = spawn_app().await;
    let form = app
        .http
        .post(app.url("/graphql"))
        .header("content-type", "text/plain")
        .body("{ me { id } }")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let broken = app
        .http
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body("{\"query\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn too_deep_or_too_complex_queries_are_refused_before_running() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let mut deep = String::from("id");
    for _ in 0..8 {
        deep = format!("replies(first: 1) {{ edges {{ node {{ {deep} }} }} }}");
    }
    let q = format!("{{ message(id: \"m_x\") {{ {deep} }} }}");
    let response = alice.gql(&q, json!({})).await;
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("nested too deep"),
        "{response}"
    );
    let wide = "{ myGroups(first: 100) { edges { node { messages(first: 100) { edges { node { replies(first: 100) { edges { node { id body } } } } } } } } } }";
    let response = alice.gql(wide, json!({})).await;
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("complex"),
        "{response}"
    );
    assert_eq!(error_code(&response).as_deref(), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn introspection_can_be_switched_off() {
    let app = spawn_app_with(&[("CHORUS_INTROSPECTION", "false")]).await;
    let response = app
        .user("alice")
        .gql("{ __schema { queryType { name } } }", json!({}))
        .await;
    assert!(
        response.get("errors").is_some() || response["data"]["__schema"].is_null(),
        "{response}"
    );
    let app = spawn_app().await;
    let response = app
        .user("alice")
        .ok("{ __schema { queryType { name } } }", json!({}))
        .await;
    assert_eq!(response["__schema"]["queryType"]["name"], "Query");
}

#[tokio::test]
async fn get_runs_the_operation_its_operation_name_names() {
    let app = spawn_app().await;
    let document = "query A { me { id } } query B { me { name } } mutation C { createGroup(input: {name: \"x\"}) { id } }";
    let get = |name: &'static str| {
        app.http
            .get(app.url("/graphql"))
            .query(&[("query", document), ("operationName", name)])
            .bearer_auth(crate::helpers::token("alice"))
            .send()
    };
    let b: serde_json::Value = get("B").await.unwrap().json().await.unwrap();
    assert_eq!(
        b["data"],
        serde_json::json!({"me": {"name": "alice name"}}),
        "{b}"
    );
    let a: serde_json::Value = get("A").await.unwrap().json().await.unwrap();
    assert_eq!(a["data"], serde_json::json!({"me": {"id": "alice"}}), "{a}");
    assert_eq!(get("C").await.unwrap().status(), 405, "a mutation by name");
}
