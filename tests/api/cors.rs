//! A web app on another origin calls `/graphql` with `fetch`: preflights
//! are returned, answers carry `Access-Control-Allow-Origin`, and a
//! configured list admits only its origins.

use crate::helpers::{spawn_app, spawn_app_with, token};
use reqwest::{Method, StatusCode};

const APP: &str = "http://localhost:3000";

async fn preflight(app: &crate::helpers::TestApp, origin: &str) -> reqwest::Response {
    app.http
        .request(Method::OPTIONS, app.url("/graphql"))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type",
        )
        .send()
        .await
        .unwrap()
}

fn header<'a>(reply: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    reply.headers().get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn any_origin_may_call_the_local_server_with_a_bearer_token() {
    let app = spawn_app().await;
    let reply = preflight(&app, APP).await;
    assert_eq!(reply.status(), StatusCode::OK);
    assert_eq!(header(&reply, "access-control-allow-origin"), Some("*"));
    let allowed = header(&reply, "access-control-allow-headers").unwrap();
    assert!(allowed.contains("authorization") && allowed.contains("content-type"));
    assert!(header(&reply, "access-control-allow-methods")
        .unwrap()
        .contains("POST"));
    assert_eq!(header(&reply, "access-control-max-age"), Some("86400"));

    let post = app
        .http
        .post(app.url("/graphql"))
        .header("origin", APP)
        .bearer_auth(token("alice"))
        .json(&serde_json::json!({"query": "{ me { id } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&post, "access-control-allow-origin"), Some("*"));
    let exposed = header(&post, "access-control-expose-headers").unwrap();
    assert!(exposed.contains("retry-after"), "{exposed}");
    let get = app
        .http
        .get(app.url("/graphql?query=%7Bme%7Bid%7D%7D"))
        .header("origin", APP)
        .send()
        .await
        .unwrap();
    assert_eq!(header(&get, "access-control-allow-origin"), Some("*"));
}

#[tokio::test]
async fn a_configured_list_admits_only_its_origins() {
    let app = spawn_app_with(&[("CHORUS_CORS_ORIGINS", "https://chat.example.com")]).await;
    let admitted = preflight(&app, "https://chat.example.com").await;
    assert_eq!(
        header(&admitted, "access-control-allow-origin"),
        Some("https://chat.example.com")
    );
    assert!(header(&admitted, "vary").unwrap().contains("origin"));
    let refused = preflight(&app, "https://evil.example").await;
    assert_eq!(header(&refused, "access-control-allow-origin"), None);
}
