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

#[tokio::test]
async fn a_signed_in_hash_is_registered_only_once_its_document_validates() {
    let app = spawn_app().await;
    let invalid = "query Bad { noSuchField }";
    let refused = post(
        &app,
        json!({"query": invalid, "extensions": persisted(invalid)}),
    )
    .await;
    assert!(refused.get("data").is_none_or(Value::is_null), "{refused}");
    let miss = post(&app, json!({"extensions": persisted(invalid)})).await;
    assert_eq!(
        error_code(&miss).as_deref(),
        Some("PERSISTED_QUERY_NOT_FOUND"),
        "an invalid document is not kept: {miss}"
    );
}

#[tokio::test]
async fn an_anonymous_document_is_not_registered() {
    let app = spawn_app().await;
    let query = "query Anon { __typename }";
    let body = json!({"query": query, "extensions": persisted(query)});
    let ran: Value = app.post_body(None, &body).await.json().await.unwrap();
    assert_eq!(ran["data"]["__typename"], "Query", "{ran}");
    let miss = post(&app, json!({"extensions": persisted(query)})).await;
    assert_eq!(
        error_code(&miss).as_deref(),
        Some("PERSISTED_QUERY_NOT_FOUND"),
        "{miss}"
    );
}

/// The resident set of a process, in bytes (Linux).
fn rss_bytes(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb * 1024
}

/// A unique document of about 255 KB whose syntax tree is tens of MB.
fn huge_document(n: usize) -> String {
    let mut doc = format!("query Huge{n} {{");
    while doc.len() < 255 * 1024 {
        doc.push_str(" a");
    }
    doc.push('}');
    doc
}

#[tokio::test]
async fn fifty_large_anonymous_persisted_documents_leave_memory_where_it_was() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = tokio::process::Command::new(env!("CARGO_BIN_EXE_chorus"))
        .env("CHORUS_LISTEN", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "error")
        // One malloc arena: the threads' own arenas otherwise keep freed
        // pages in ways that vary with the machine's core count.
        .env("MALLOC_ARENA_MAX", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let pid = server.id().unwrap();
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..200 {
        if http.get(format!("{base}/health")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let send = |n: usize| {
        let doc = huge_document(n);
        let body = json!({"query": doc, "extensions": persisted(&doc)});
        http.post(format!("{base}/graphql")).json(&body).send()
    };
    // The allocator's high-water mark: a few such requests first.
    for n in 0..5 {
        let reply = send(n).await.unwrap();
        assert_eq!(reply.status(), StatusCode::OK);
    }
    let before = rss_bytes(pid);
    for n in 5..55 {
        let reply: Value = send(n).await.unwrap().json().await.unwrap();
        assert!(reply["errors"].is_array(), "refused by the limits: {reply}");
    }
    let after = rss_bytes(pid);
    server.kill().await.unwrap();
    let grown = after.saturating_sub(before);
    assert!(
        grown <= 20 * 1024 * 1024,
        "RSS grew by {} MB over 50 requests ({} -> {} MB)",
        grown >> 20,
        before >> 20,
        after >> 20
    );
}
