//! Authentication: dev tokens, and RS256 ID tokens against a JWKS served
//! over HTTP (with key rotation), and the classic token attacks.

use crate::helpers::{error_code, spawn_app, spawn_app_with, token, TestApp, DEV_SECRET};
use axum::routing::get;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chorus::auth::dev::DevTokens;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

const ISSUER: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_test";
const AUDIENCE: &str = "chorus-web-client";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(crate::helpers::repo_file(&format!(
        "tests/fixtures/jwt/{name}"
    )))
    .unwrap()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn id_token(kid: &str, claims: Value) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.to_owned());
    let key = EncodingKey::from_rsa_pem(fixture(&format!("{kid}.pem")).as_bytes()).unwrap();
    jsonwebtoken::encode(&header, &claims, &key).unwrap()
}

fn claims(sub: &str) -> Value {
    json!({"sub": sub, "iss": ISSUER, "aud": AUDIENCE, "exp": now() + 600, "iat": now(),
           "name": "Grace Hopper", "email": "grace@example.com", "picture": "https://example.com/g.png"})
}

/// A JWKS endpoint whose key set the test can rotate.
async fn jwks_server(initial: &str) -> (String, Arc<Mutex<String>>) {
    let keys = Arc::new(Mutex::new(fixture(initial)));
    let served = keys.clone();
    let router = axum::Router::new().route(
        "/jwks.json",
        get(move || async move { served.lock().unwrap().clone() }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (url, keys)
}

async fn production_app(jwks_url: &str) -> TestApp {
    spawn_app_with(&[
        ("CHORUS_DEV_SECRET", ""),
        ("CHORUS_JWKS_URL", jwks_url),
        ("CHORUS_JWT_ISSUERS", ISSUER),
        ("CHORUS_JWT_AUDIENCES", AUDIENCE),
        ("CHORUS_JWKS_MIN_REFRESH_SECS", "0"),
    ])
    .await
}

/// Status and error code of `{ me { id } }` with this bearer token.
async fn me_with(app: &TestApp, token: &str) -> (StatusCode, Option<String>, Value) {
    let response = app
        .post(Some(token), "{ me { id name pictureUrl } }", json!({}))
        .await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    (status, error_code(&body), body)
}

#[tokio::test]
async fn a_dev_token_signs_in_and_no_token_is_unauthenticated() {
    let app = spawn_app().await;
    let (status, code, body) = me_with(&app, &token("alice")).await;
    assert_eq!((status, code), (StatusCode::OK, None));
    assert_eq!(body["data"]["me"]["id"], "alice");
    let anonymous = app.anonymous().gql("{ me { id } }", json!({})).await;
    assert_eq!(error_code(&anonymous).as_deref(), Some("UNAUTHENTICATED"));
    let anonymous = app
        .anonymous()
        .gql(
            "mutation { createGroup(input: {name: \"x\"}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&anonymous).as_deref(), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn expired_forged_and_unsigned_dev_tokens_are_refused() {
    let app = spawn_app().await;
    let expired = DevTokens::new(DEV_SECRET.to_owned().into())
        .issue_at("alice", "A", now() - 40 * 24 * 3600)
        .unwrap();
    let forged = DevTokens::new("another-secret".to_owned().into())
        .issue("alice", "A")
        .unwrap();
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(
        json!({"sub": "alice", "exp": now() + 600, "iss": "chorus-dev", "aud": "chorus-local"})
            .to_string(),
    );
    let unsigned = format!("{header}.{payload}.");
    for bad in [expired, forged, unsigned, "garbage".to_owned()] {
        let (status, code, _) = me_with(&app, &bad).await;
        assert_eq!(
            (status, code.as_deref()),
            (StatusCode::UNAUTHORIZED, Some("UNAUTHENTICATED")),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn an_id_token_verified_against_the_jwks_creates_the_user_from_its_claims() {
    let (url, _) = jwks_server("jwks-key1.json").await;
    let app = production_app(&url).await;
    let (status, code, body) = me_with(&app, &id_token("key1", claims("google_123"))).await;
    assert_eq!((status, code), (StatusCode::OK, None), "{body}");
    assert_eq!(
        body["data"]["me"],
        json!({"id": "google_123", "name": "Grace Hopper", "pictureUrl": "https://example.com/g.png"})
    );
}

#[tokio::test]
async fn id_tokens_with_a_wrong_issuer_audience_or_expiry_are_refused() {
    let (url, _) = jwks_server("jwks-key1.json").await;
    let app = production_app(&url).await;
    let mut wrong_issuer = claims("u1");
    wrong_issuer["iss"] = json!("https://evil.example.com");
    let mut wrong_audience = claims("u1");
    wrong_audience["aud"] = json!("someone-elses-client");
    let mut expired = claims("u1");
    expired["exp"] = json!(now() - 3600);
    for bad in [wrong_issuer, wrong_audience, expired] {
        let (status, code, _) = me_with(&app, &id_token("key1", bad.clone())).await;
        assert_eq!(
            (status, code.as_deref()),
            (StatusCode::UNAUTHORIZED, Some("UNAUTHENTICATED")),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn a_new_signing_key_is_fetched_on_first_sight_of_its_kid() {
    let (url, keys) = jwks_server("jwks-key1.json").await;
    let app = production_app(&url).await;
    assert_eq!(me_with(&app, &id_token("key1", claims("u1"))).await.1, None);
    let rotated = id_token("key2", claims("u1"));
    assert_eq!(
        me_with(&app, &rotated).await.1.as_deref(),
        Some("UNAUTHENTICATED"),
        "unknown key"
    );
    *keys.lock().unwrap() = fixture("jwks-both.json");
    assert_eq!(
        me_with(&app, &rotated).await.1,
        None,
        "accepted after the issuer published key2"
    );
}

#[tokio::test]
async fn hs256_tokens_signed_with_the_public_key_and_dev_tokens_are_refused_in_production() {
    let (url, _) = jwks_server("jwks-key1.json").await;
    let app = production_app(&url).await;
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("key1".into());
    let public_pem = fixture("key1.pub.pem");
    let confused = jsonwebtoken::encode(
        &header,
        &claims("u1"),
        &EncodingKey::from_secret(public_pem.as_bytes()),
    )
    .unwrap();
    let (status, code, _) = me_with(&app, &confused).await;
    assert_eq!(
        (status, code.as_deref()),
        (StatusCode::UNAUTHORIZED, Some("UNAUTHENTICATED"))
    );
    let (status, _, _) = me_with(&app, &token("alice")).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "dev tokens are off when a JWKS is configured"
    );
}

#[tokio::test]
async fn an_rs256_token_is_refused_by_a_server_without_a_jwks() {
    let app = spawn_app().await;
    let (status, code, _) = me_with(&app, &id_token("key1", claims("u1"))).await;
    assert_eq!(
        (status, code.as_deref()),
        (StatusCode::UNAUTHORIZED, Some("UNAUTHENTICATED"))
    );
}
