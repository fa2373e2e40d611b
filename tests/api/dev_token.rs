//! "Sign in as" (`POST /dev/token`): the local server offers it only while
//! it signs with the built-in dev secret; with any other secret it is not
//! there, and the `api` Lambda never routes it.

use crate::helpers::{spawn_app, spawn_app_with, TestApp};
use chorus::config::LOCAL_DEV_SECRET;
use serde_json::{json, Value};

async fn sign_in_as(app: &TestApp, body: Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/dev/token"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_local_server_with_the_builtin_secret_signs_anyone_in() {
    let app = spawn_app_with(&[("CHORUS_DEV_SECRET", LOCAL_DEV_SECRET)]).await;
    let response = sign_in_as(&app, json!({"user": "dora", "name": "Dora"})).await;
    assert_eq!(response.status(), 200);
    let token = response.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = app
        .post_body(Some(&token), &json!({"query": "{ me { id name } }"}))
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(me["data"]["me"], json!({"id": "dora", "name": "Dora"}));
    // Not as a bot, nor as what a deleted account left; not a silly name.
    for bad in [
        json!({"user": "bot_abc"}),
        json!({"user": "deleted_abc"}),
        json!({"user": ""}),
        json!({"user": "dora", "name": "x".repeat(101)}),
    ] {
        assert_eq!(sign_in_as(&app, bad.clone()).await.status(), 400, "{bad}");
    }
    let app_page = reqwest::get(app.url("/app")).await.unwrap();
    assert_eq!(app_page.status(), 200);
    let csp = app_page.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(app_page.text().await.unwrap().contains("/app/app.js"));
}

#[tokio::test]
async fn with_any_other_secret_there_is_no_sign_in_as() {
    let app = spawn_app().await;
    let response = sign_in_as(&app, json!({"user": "dora"})).await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn the_api_function_never_routes_it() {
    let mut vars = crate::lambda_start::full();
    vars.insert("CHORUS_DEV_SECRET", LOCAL_DEV_SECRET.to_owned());
    vars.insert(
        "JOBS_QUEUE_URL",
        "https://sqs.eu-west-1.amazonaws.com/0/jobs".to_owned(),
    );
    let config = chorus::config::Config::from_lookup(|k| vars.get(k).cloned()).unwrap();
    // The function itself refuses the built-in secret at start.
    assert!(chorus::lambda::lambda_config(|k| vars.get(k).cloned()).is_err());
    let sdk = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .build();
    let store = std::sync::Arc::new(chorus::store::memory::MemoryStore::new());
    let env = chorus::lambda::Env { config, sdk, store };
    let router = env.api().unwrap();
    let mut event = crate::aws::fixture(
        "http_api_v2_post_graphql.json",
        &[("TOKEN", ""), ("BODY", r#"{"user":"dora"}"#)],
    );
    event["rawPath"] = json!("/dev/token");
    event["routeKey"] = json!("POST /dev/token");
    event["requestContext"]["http"]["path"] = json!("/dev/token");
    event["requestContext"]["routeKey"] = json!("POST /dev/token");
    let (status, _) = crate::aws::invoke(&router, event).await;
    assert_eq!(status, 404);
}
