//! Slow, idle and oversized connections cannot hold the server: timeouts
//! close them, a cap responds with 503 instead of running out of descriptors,
//! and a declared body over the limit is refused before it is read.

use crate::helpers::spawn_app_with;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Everything the server sends until it closes (or `wait` passes).
async fn read_until_closed(stream: &mut TcpStream, wait: Duration) -> Option<String> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let read = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(wait, read).await.ok()?;
    Some(String::from_utf8_lossy(&got).into_owned())
}

#[tokio::test]
async fn partial_headers_and_idle_keep_alive_connections_are_closed_after_the_timeout() {
    let app = spawn_app_with(&[("CHORUS_HEADER_TIMEOUT_SECS", "1")]).await;
    let mut partial = TcpStream::connect(app.addr).await.unwrap();
    partial
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    assert!(
        read_until_closed(&mut partial, Duration::from_secs(5))
            .await
            .is_some(),
        "still open after 5 s"
    );
    assert!(started.elapsed() >= Duration::from_millis(900));

    let mut silent = TcpStream::connect(app.addr).await.unwrap();
    assert!(read_until_closed(&mut silent, Duration::from_secs(5))
        .await
        .is_some());

    let mut idle = TcpStream::connect(app.addr).await.unwrap();
    idle.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let answered = read_until_closed(&mut idle, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
}

#[tokio::test]
async fn health_answers_while_thousands_of_idle_sockets_are_open_against_the_cap() {
    let app = spawn_app_with(&[
        ("CHORUS_MAX_CONNECTIONS", "64"),
        ("CHORUS_HEADER_TIMEOUT_SECS", "1"),
    ])
    .await;
    let mut idle = Vec::new();
    for _ in 0..2_000 {
        idle.push(TcpStream::connect(app.addr).await.unwrap());
    }
    // Those over the cap were told so at once.
    let busy = read_until_closed(idle.last_mut().unwrap(), Duration::from_secs(2))
        .await
        .unwrap();
    assert!(busy.starts_with("HTTP/1.1 503"), "{busy}");
    assert!(busy.contains("retry-after"), "{busy}");
    // The 64 holding slots time out; /health responds while all 2,000 stay open.
    let started = Instant::now();
    let client = reqwest::Client::new();
    loop {
        let response = client.get(app.url("/health")).send().await;
        if response.is_ok_and(|r| r.status().is_success()) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "/health never answered"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(idle);
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_the_body_is_sent() {
    let app = spawn_app_with(&[]).await;
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    let head = "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                Content-Length: 10000000000\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = read_until_closed(&mut stream, Duration::from_secs(2)).await;
    let answer = answer.unwrap_or_default();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

#[tokio::test]
async fn a_body_that_trickles_in_is_cut_off_with_408() {
    let app = spawn_app_with(&[("CHORUS_BODY_TIMEOUT_SECS", "1")]).await;
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    let head = "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                Content-Length: 100\r\n\r\n{\"query\":";
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = read_until_closed(&mut stream, Duration::from_secs(4))
        .await
        .unwrap_or_default();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[tokio::test]
async fn a_request_that_runs_too_long_is_cancelled_with_503() {
    // The identity provider hangs; the request gives up at its timeout.
    let hang = axum::Router::new().route(
        "/jwks.json",
        axum::routing::get(|| async {
            tokio::time::sleep(Duration::from_secs(60)).await;
            "{}"
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, hang).await.unwrap() });
    let app = spawn_app_with(&[
        ("CHORUS_JWKS_URL", &url),
        ("CHORUS_JWT_ISSUERS", "https://issuer"),
        ("CHORUS_JWT_AUDIENCES", "client"),
        ("CHORUS_REQUEST_TIMEOUT_SECS", "1"),
    ])
    .await;
    let token = crate::jwks::token_with_kid("unknown-kid");
    let started = Instant::now();
    let response = app
        .post(Some(&token), "{ me { id } }", serde_json::json!({}))
        .await;
    assert_eq!(response.status(), reqwest::StatusCode::SERVICE_UNAVAILABLE);
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn the_local_server_warns_of_an_open_address_rule_and_the_public_dev_secret() {
    use chorus::config::Config;
    let config = |vars: &[(&str, &str)]| {
        let vars: std::collections::HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        Config::from_lookup(|k| vars.get(k).cloned()).unwrap()
    };
    let defaults = chorus::app::local_warnings(&config(&[]));
    assert_eq!(defaults.len(), 2, "{defaults:?}");
    assert!(defaults[0].contains("built-in public secret"));
    assert!(defaults[1].contains("CHORUS_WEBHOOK_ALLOW_PRIVATE=false"));
    let closed = [
        ("CHORUS_DEV_SECRET", crate::helpers::DEV_SECRET),
        ("CHORUS_WEBHOOK_ALLOW_PRIVATE", "false"),
    ];
    assert!(chorus::app::local_warnings(&config(&closed)).is_empty());
}
