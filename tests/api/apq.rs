//! Automatic persisted queries, Apollo's protocol: miss, register, hit by
//! POST and by GET with the hash alone; a wrong hash and a mutation by GET
//! are refused.

use crate::helpers::{error_code, spawn_app, token, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn hash(query: &str) -> String {
    format!("{:x}", Sha256::digest(query.as_bytes()))
}

fn persisted(query: &str) -> Value {
    json!({"persistedQuery": {"version": 1, "sha256Hash": hash(query)}})
}

async fn post(app: &TestApp, body: Value) -> Value {
    let alice = token("alice");
    let reply = app.post_body(Some(&alice), &body).await;
    reply.json().await.unwrap()
}

async fn get(app: &TestApp, query: &str) -> reqwest::Response {
    let extensions = persisted(query).to_string();
    app.http
        .get(app.url("/graphql"))
        .query(&[("extensions", extensions.as_str())])
        .bearer_auth(token("alice"))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_hash_is_missed_then_registered_then_served_by_post_and_get() {
    let app = spawn_app().await;
    let query = "query Me { me { id name } }";
    let miss = post(&app, json!({"extensions": persisted(query)})).await;
    assert_eq!(miss["errors"][0]["message"], "PersistedQueryNotFound");
    assert_eq!(
        error_code(&miss).as_deref(),
        Some("PERSISTED_QUERY_NOT_FOUND")
    );
    let by_get = get(&app, query).await.json::<Value>().await.unwrap();
    assert_eq!(
        error_code(&by_get).as_deref(),
        Some("PERSISTED_QUERY_NOT_FOUND")
    );

    let me = json!({"me": {"id": "alice", "name": "alice name"}});
    let register = post(
        &app,
        json!({"query": query, "extensions": persisted(query)}),
    )
    .await;
    assert_eq!(register["data"], me, "{register}");
    let hit = post(&app, json!({"extensions": persisted(query)})).await;
    assert_eq!(hit["data"], me, "{hit}");
    let reply = get(&app, query).await;
    assert_eq!(reply.status(), StatusCode::OK);
    assert_eq!(reply.json::<Value>().await.unwrap()["data"], me);
}

#[tokio::test]
async fn a_hash_that_does_not_match_its_query_is_refused() {
    let app = spawn_app().await;
    let body = json!({"query": "{ me { id } }", "extensions": persisted("{ me { name } }")});
    let reply = post(&app, body).await;
    assert!(reply.get("data").is_none_or(Value::is_null), "{reply}");
    assert!(reply["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("sha"));
}

#[tokio::test]
async fn a_persisted_mutation_is_not_run_by_get() {
    let app = spawn_app().await;
    let mutation = "mutation { createGroup(input: {name: \"By GET\"}) { id } }";
    let created = post(
        &app,
        json!({"query": mutation, "extensions": persisted(mutation)}),
    )
    .await;
    assert!(
        created["data"]["createGroup"]["id"].is_string(),
        "{created}"
    );
    let reply = get(&app, mutation).await;
    assert_eq!(reply.status(), StatusCode::METHOD_NOT_ALLOWED);
    let groups = app
        .user("alice")
        .ok("{ myGroups { edges { cursor } } }", json!({}))
        .await;
    assert_eq!(groups["myGroups"]["edges"].as_array().unwrap().len(), 1);
}
