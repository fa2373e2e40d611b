//! The JWKS cache against an identity provider that fails, hangs or sends
//! far too much: unknown `kid`s cost at most one shared fetch, known keys
//! never wait, and a huge key set is refused.

use crate::helpers::{error_code, spawn_app_with, TestApp};
use axum::body::Body;
use axum::http::StatusCode;
use axum::routing::get;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const ISSUER: &str = "https://issuer.example";
const AUDIENCE: &str = "client";

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// An RS256 token signed with the fixture's key1 but naming `kid`.
pub fn token_with_kid(kid: &str) -> String {
    signed(
        kid,
        json!({"sub": "u1", "iss": ISSUER, "aud": AUDIENCE, "exp": now() + 600}),
    )
}

fn signed(kid: &str, claims: Value) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.to_owned());
    let pem = std::fs::read(crate::helpers::repo_file("tests/fixtures/jwt/key1.pem")).unwrap();
    jsonwebtoken::encode(&header, &claims, &EncodingKey::from_rsa_pem(&pem).unwrap()).unwrap()
}

#[derive(Clone, Copy, PartialEq)]
pub enum Mode {
    Serve,
    Fail,
    Hang,
    Huge,
}

/// A JWKS endpoint whose behaviour the test switches; counts its hits.
pub async fn provider() -> (String, Arc<parking_lot::Mutex<Mode>>, Arc<AtomicUsize>) {
    let mode = Arc::new(parking_lot::Mutex::new(Mode::Serve));
    let hits = Arc::new(AtomicUsize::new(0));
    let (m, h) = (mode.clone(), hits.clone());
    let router = axum::Router::new().route(
        "/jwks.json",
        get(move || {
            let (m, h) = (m.clone(), h.clone());
            async move {
                h.fetch_add(1, Ordering::SeqCst);
                let mode = *m.lock();
                match mode {
                    Mode::Serve => (
                        StatusCode::OK,
                        Body::from(
                            std::fs::read(crate::helpers::repo_file(
                                "tests/fixtures/jwt/jwks-key1.json",
                            ))
                            .unwrap(),
                        ),
                    ),
                    Mode::Fail => (StatusCode::INTERNAL_SERVER_ERROR, Body::from("down")),
                    Mode::Hang => {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        (StatusCode::OK, Body::from("{}"))
                    }
                    Mode::Huge => {
                        // A valid key set followed by 200 MB of JSON
                        // whitespace: only a size cap refuses it.
                        let keys = std::fs::read(crate::helpers::repo_file(
                            "tests/fixtures/jwt/jwks-key1.json",
                        ))
                        .unwrap();
                        let chunk = bytes_of(1024 * 1024);
                        let padding = (0..200).map(move |_| Ok::<_, std::io::Error>(chunk.clone()));
                        let stream = futures_util::stream::iter(
                            std::iter::once(Ok(axum::body::Bytes::from(keys))).chain(padding),
                        );
                        (StatusCode::OK, Body::from_stream(stream))
                    }
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (url, mode, hits)
}

fn bytes_of(n: usize) -> axum::body::Bytes {
    axum::body::Bytes::from(vec![b' '; n])
}

pub async fn app(url: &str, min_refresh: &str) -> TestApp {
    spawn_app_with(&[
        ("CHORUS_DEV_SECRET", ""),
        ("CHORUS_JWKS_URL", url),
        ("CHORUS_JWT_ISSUERS", ISSUER),
        ("CHORUS_JWT_AUDIENCES", AUDIENCE),
        ("CHORUS_JWKS_MIN_REFRESH_SECS", min_refresh),
    ])
    .await
}

async fn me(app: &TestApp, token: &str) -> Value {
    app.post(Some(token), "{ me { id } }", json!({}))
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn fifty_made_up_kids_against_a_failing_provider_cost_one_fetch() {
    // The provider fails from the start: no key set was ever loaded.
    let (url, mode, hits) = provider().await;
    *mode.lock() = Mode::Fail;
    let app = app(&url, "30").await;
    let started = Instant::now();
    let answers = futures_util::future::join_all((0..50).map(|i| {
        let app = &app;
        async move { me(app, &token_with_kid(&format!("random-{i}"))).await }
    }))
    .await;
    // An outage, not a bad token: clients must not sign their users out.
    assert!(answers
        .iter()
        .all(|a| error_code(a).as_deref() == Some("INTERNAL")));
    assert_eq!(hits.load(Ordering::SeqCst), 1, "one fetch for fifty tokens");
    assert!(started.elapsed() < Duration::from_secs(3));
    // Once it recovers, a made-up kid is remembered as unknown.
    *mode.lock() = Mode::Serve;
    let app = self::app(&url, "30").await;
    assert_eq!(
        me(&app, &token_with_kid("key1")).await["data"]["me"]["id"],
        "u1"
    );
    let before = hits.load(Ordering::SeqCst);
    for _ in 0..3 {
        let answer = me(&app, &token_with_kid("made-up")).await;
        assert_eq!(error_code(&answer).as_deref(), Some("UNAUTHENTICATED"));
    }
    assert!(hits.load(Ordering::SeqCst) - before <= 1);
}

#[tokio::test]
async fn valid_logins_do_not_wait_while_a_refetch_hangs() {
    let (url, mode, _) = provider().await;
    let app = app(&url, "0").await;
    assert_eq!(
        me(&app, &token_with_kid("key1")).await["data"]["me"]["id"],
        "u1"
    );
    *mode.lock() = Mode::Hang;
    let stuck = {
        let token = token_with_kid("rotated");
        let url = app.url("/graphql");
        tokio::spawn(async move {
            reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .json(&json!({"query": "{ me { id } }"}))
                .send()
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    assert_eq!(
        me(&app, &token_with_kid("key1")).await["data"]["me"]["id"],
        "u1"
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    stuck.abort();
}

#[tokio::test]
async fn a_huge_key_set_is_refused_and_a_cold_outage_is_internal_not_unauthenticated() {
    let (url, mode, _) = provider().await;
    *mode.lock() = Mode::Huge;
    let app = app(&url, "0").await;
    let started = Instant::now();
    let answer = me(&app, &token_with_kid("key1")).await;
    assert_eq!(error_code(&answer).as_deref(), Some("INTERNAL"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(5));
    *mode.lock() = Mode::Serve;
    assert_eq!(
        me(&app, &token_with_kid("key1")).await["data"]["me"]["id"],
        "u1"
    );
}

#[tokio::test]
async fn tokens_not_yet_valid_are_refused_and_claims_text_is_cleaned() {
    let (url, _, _) = provider().await;
    let app = app(&url, "0").await;
    let early = signed(
        "key1",
        json!({"sub": "u2", "iss": ISSUER, "aud": AUDIENCE, "exp": now() + 600, "nbf": now() + 300}),
    );
    assert_eq!(
        error_code(&me(&app, &early).await).as_deref(),
        Some("UNAUTHENTICATED")
    );
    let messy = signed(
        "key1",
        json!({"sub": "u3", "iss": ISSUER, "aud": AUDIENCE, "exp": now() + 600,
        "name": format!("Eve\u{0}\u{202E}{}", "e".repeat(3_000)), "picture": "javascript:alert(1)"}),
    );
    let answer: Value = app
        .post(Some(&messy), "{ me { name pictureUrl } }", json!({}))
        .await
        .json()
        .await
        .unwrap();
    let name = answer["data"]["me"]["name"].as_str().unwrap();
    assert!(
        name.starts_with("Eve") && name.chars().count() == 100,
        "{name}"
    );
    assert!(!name.contains('\u{0}') && !name.contains('\u{202E}'));
    assert!(answer["data"]["me"]["pictureUrl"].is_null());
}
