//! GraphQL-over-HTTP details clients rely on: required variables are a
//! request error, request errors carry no made-up locations, rate limits
//! say when to retry, a refused token says how to authenticate, and the
//! exported SDL says what introspection says.

use crate::helpers::{error_code, spawn_app, spawn_app_with, token};
use reqwest::StatusCode;
use serde_json::{json, Value};

const MODERN: &str = "application/graphql-response+json";

#[tokio::test]
async fn a_missing_required_variable_is_a_request_error() {
    let app = spawn_app().await;
    let send = |variables: Value| {
        app.http
            .post(app.url("/graphql"))
            .header("accept", MODERN)
            .bearer_auth(token("alice"))
            .json(&json!({
                "query": "query($g: ID!) { me { id } group(id: $g) { id } }",
                "variables": variables,
            }))
            .send()
    };
    for variables in [json!({}), json!({"g": null}), Value::Null] {
        let reply = send(variables.clone()).await.unwrap();
        assert_eq!(reply.status(), StatusCode::BAD_REQUEST, "{variables}");
        assert_eq!(reply.headers()["content-type"], MODERN);
        let body: Value = reply.json().await.unwrap();
        assert!(body.get("data").is_none(), "nothing ran: {body}");
        assert_eq!(error_code(&body).as_deref(), Some("BAD_USER_INPUT"));
        let error = &body["errors"][0];
        assert!(error["message"].as_str().unwrap().contains("$g"), "{body}");
        assert_eq!(error["locations"], json!([{"line": 1, "column": 7}]));
    }
    let ok: Value = send(json!({"g": "g_none"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ok, json!({"data": {"me": {"id": "alice"}, "group": null}}));
}

#[tokio::test]
async fn request_errors_have_no_zero_locations() {
    let app = spawn_app().await;
    let bodies: Vec<Value> = vec![
        app.post(Some("not-a-token"), "{ me { id } }", json!({}))
            .await
            .json()
            .await
            .unwrap(),
        app.post(None, "{ __schema { types { name } } }", json!({}))
            .await
            .json()
            .await
            .unwrap(),
    ];
    for body in bodies {
        for error in body["errors"].as_array().unwrap() {
            for location in error["locations"].as_array().into_iter().flatten() {
                assert!(location["line"].as_u64() >= Some(1), "{body}");
            }
        }
    }
}

#[tokio::test]
async fn a_rate_limited_response_says_when_to_retry() {
    let app = spawn_app_with(&[("CHORUS_RATE_BURST", "1"), ("CHORUS_RATE_PER_SEC", "1")]).await;
    let create = "mutation { createGroup(input: {name: \"x\"}) { id } }";
    let first = app.post(Some(&token("alice")), create, json!({})).await;
    assert!(first.headers().get("retry-after").is_none());
    let limited = app.post(Some(&token("alice")), create, json!({})).await;
    let retry: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let body: Value = limited.json().await.unwrap();
    assert_eq!(error_code(&body).as_deref(), Some("RATE_LIMITED"));
    let ms = body["errors"][0]["extensions"]["retryAfterMs"]
        .as_u64()
        .unwrap();
    assert_eq!(
        retry,
        ms.div_ceil(1000),
        "Retry-After agrees with retryAfterMs"
    );
    assert!((1..=2).contains(&retry));
}

#[tokio::test]
async fn a_refused_token_is_answered_with_www_authenticate() {
    let app = spawn_app().await;
    let reply = app.post(Some("forged"), "{ me { id } }", json!({})).await;
    assert_eq!(reply.status(), StatusCode::UNAUTHORIZED);
    let challenge = reply.headers()["www-authenticate"].to_str().unwrap();
    assert!(challenge.starts_with("Bearer"), "{challenge}");
    assert!(challenge.contains("invalid_token"));
}

#[tokio::test]
async fn the_exported_sdl_keeps_specified_by_as_introspection_shows_it() {
    let app = spawn_app().await;
    let query = "{ __type(name: \"DateTime\") { specifiedByURL } }";
    let body: Value = app
        .post(Some(&token("alice")), query, json!({}))
        .await
        .json()
        .await
        .unwrap();
    let url = body["data"]["__type"]["specifiedByURL"].as_str().unwrap();
    let line = format!("scalar DateTime @specifiedBy(url: \"{url}\")");
    assert!(chorus::graphql::sdl().contains(&line), "{line}");
}
