//! An outage is not a bad token: with the identity provider down, requests
//! respond 503 / `INTERNAL` and sockets close with 4500, so clients keep
//! their users signed in; a bad token is still 401 / 4403.

use crate::helpers::error_code;
use crate::jwks::{app, provider, token_with_kid, Mode};
use crate::subscriptions::Ws;
use serde_json::{json, Value};

#[tokio::test]
async fn an_unreachable_identity_provider_is_a_503_not_a_401() {
    let (url, mode, _) = provider().await;
    *mode.lock() = Mode::Fail;
    let app = app(&url, "0").await;
    let response = app
        .post(Some(&token_with_kid("key1")), "{ me { id } }", json!({}))
        .await;
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body).as_deref(), Some("INTERNAL"));

    let forged = app
        .post(Some("not.a.token"), "{ me { id } }", json!({}))
        .await;
    assert_eq!(forged.status(), 401, "a bad token is still the client's");
    let body: Value = forged.json().await.unwrap();
    assert_eq!(error_code(&body).as_deref(), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn a_socket_closes_with_4500_when_its_token_cannot_be_checked() {
    let (url, mode, _) = provider().await;
    *mode.lock() = Mode::Fail;
    let app = app(&url, "0").await;
    let init = |token: String| json!({"type": "connection_init", "payload": {"authorization": format!("Bearer {token}")}});
    let mut ws = Ws::open(&app).await;
    ws.send(init(token_with_kid("key1"))).await;
    assert_eq!(ws.recv().await["close"], 4500);

    let mut ws = Ws::open(&app).await;
    ws.send(init("not.a.token".into())).await;
    assert_eq!(ws.recv().await["close"], 4403);
}
