//! One webhook attempt against a receiver that verifies signatures with the
//! Standard Webhooks reference library (Python), and the address rule.

use crate::skip::skip_without;
use chorus::auth::api_key::webhook_secret as new_secret;
use chorus::delivery::webhook::{check_url, Lookup, SystemLookup, WebhookSender};
use chorus::service::ports::WebhookTransport;
use futures_util::future::BoxFuture;
use serde_json::Value;
use std::net::IpAddr;
use std::process::Stdio;
use std::sync::Arc;
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout};

pub type Received = Lines<BufReader<ChildStdout>>;

/// The receiver (`tests/webhooks/receiver.py`), responding `statuses` first.
/// With secret `-` it reads the secret from its stdin at the first request.
pub async fn receiver(secret: &str, statuses: &str) -> (Child, u16, Received) {
    let python = std::env::var("CHORUS_PYTHON").expect("CHORUS_PYTHON: run ./scripts/test");
    let mut child = tokio::process::Command::new(python)
        .arg(crate::helpers::repo_file("tests/webhooks/receiver.py"))
        .args([secret, statuses])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next_line().await.unwrap().unwrap();
    let port = first.strip_prefix("listening ").unwrap().parse().unwrap();
    (child, port, lines)
}

/// A receiver that accepts every request, and the webhook `admin`
/// registers for it on `group` with `events` (its secret handed over).
pub async fn registered(
    admin: &crate::helpers::Client<'_>,
    group: &str,
    events: Value,
) -> (Child, Received) {
    use tokio::io::AsyncWriteExt;
    let (mut child, port, heard) = receiver("-", "").await;
    let create = "mutation($g: ID!, $u: String!, $e: [WebhookEventType!]!) {
        createWebhook(input: {groupId: $g, url: $u, events: $e}) { secret } }";
    let url = format!("http://127.0.0.1:{port}/hook");
    let data = admin
        .ok(
            create,
            serde_json::json!({"g": group, "u": url, "e": events}),
        )
        .await;
    let secret = data["createWebhook"]["secret"].as_str().unwrap().to_owned();
    let stdin = child.stdin.as_mut().unwrap();
    stdin
        .write_all(format!("{secret}\n").as_bytes())
        .await
        .unwrap();
    (child, heard)
}

pub async fn next(lines: &mut Received) -> Value {
    let line = tokio::time::timeout(std::time::Duration::from_secs(5), lines.next_line())
        .await
        .expect("the receiver heard nothing")
        .unwrap()
        .unwrap();
    serde_json::from_str(&line).unwrap()
}

#[tokio::test]
async fn every_attempt_verifies_with_the_reference_library_and_keeps_its_id() {
    skip_without!(without_python);
    let secret = new_secret().unwrap();
    let (_child, port, mut heard) = receiver(&secret, "500,500").await;
    let sender = WebhookSender::new(true, Arc::new(SystemLookup)).unwrap();
    let url = format!("http://127.0.0.1:{port}/hook");
    let body = br#"{"type":"message.posted","data":{"groupId":"g_1"}}"#;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let now = chrono::Utc::now().timestamp();
        let attempt = sender.send(&url, &secret, "ev_123", now, body).await;
        statuses.push(attempt.status);
        let got = next(&mut heard).await;
        assert_eq!(got["verified"], true, "{got}");
        assert_eq!(got["id"], "ev_123");
        assert_eq!(got["body"]["type"], "message.posted");
    }
    assert_eq!(statuses, vec![Some(500), Some(500), Some(200)]);

    // A signature under another secret does not verify.
    let other = new_secret().unwrap();
    let forged = sender.send(&url, &other, "ev_124", 0, body).await;
    assert_eq!(forged.status, Some(200));
    assert_eq!(next(&mut heard).await["verified"], false);
}

/// Names that resolve where the test says: `internal.example` to 10.0.0.1,
/// `mixed.example` to a public and a loopback address.
pub struct Names;

impl Lookup for Names {
    fn lookup(&self, host: String) -> BoxFuture<'static, std::io::Result<Vec<IpAddr>>> {
        let ips: Vec<IpAddr> = match host.as_str() {
            "internal.example" => vec!["10.0.0.1".parse().unwrap()],
            "mixed.example" => vec![
                "93.184.216.34".parse().unwrap(),
                "127.0.0.1".parse().unwrap(),
            ],
            _ => vec![],
        };
        Box::pin(async move { Ok(ips) })
    }
}

#[tokio::test]
async fn the_deployments_own_network_is_never_reached() {
    skip_without!(without_python);
    for url in [
        "http://example.com/hook",
        "https://127.0.0.1/",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/",
        "https://[fd00:ec2::254]/",
        "https://[::ffff:10.0.0.1]/",
        "https://user:pass@example.com/",
        "ftp://example.com/",
    ] {
        assert!(check_url(url, false).is_err(), "{url} must be refused");
    }
    assert!(check_url("https://hooks.example.com/x", false).is_ok());

    let sender = WebhookSender::new(false, Arc::new(Names)).unwrap();
    // At registration, names are resolved and checked too.
    for url in [
        "https://internal.example/hook",
        "https://mixed.example/hook",
    ] {
        let refused = sender.check(url).await.unwrap_err();
        assert_eq!(refused.code(), "BAD_USER_INPUT", "{url}");
    }
    let secret = new_secret().unwrap();
    for url in [
        "https://internal.example/hook",
        "https://mixed.example/hook",
        "https://10.1.2.3/",
    ] {
        let attempt = sender.send(url, &secret, "ev_1", 0, b"{}").await;
        assert_eq!(attempt.status, None, "{url}");
        assert_eq!(attempt.error.as_deref(), Some("refused address"), "{url}");
    }

    // With the rule off (local development) a localhost receiver is reached;
    // with it on, the same receiver is refused before a byte is sent.
    let (_child, port, mut heard) = receiver(&secret, "").await;
    let local = format!("http://127.0.0.1:{port}/hook");
    let strict = WebhookSender::new(false, Arc::new(SystemLookup)).unwrap();
    let refused = strict.send(&local, &secret, "ev_2", 0, b"{}").await;
    assert_eq!(refused.error.as_deref(), Some("refused address"));
    let open = WebhookSender::new(true, Arc::new(SystemLookup)).unwrap();
    let sent = open
        .send(
            &local,
            &secret,
            "ev_3",
            chrono::Utc::now().timestamp(),
            b"{}",
        )
        .await;
    assert_eq!(sent.status, Some(200));
    assert_eq!(
        next(&mut heard).await["id"],
        "ev_3",
        "the refused attempt never arrived"
    );
}

#[tokio::test]
async fn redirects_are_not_followed_and_silence_is_a_timeout_class_failure() {
    // A server that redirects to the metadata address: the 3xx is the answer.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(|| async {
                (
                    axum::http::StatusCode::FOUND,
                    [("location", "http://169.254.169.254/latest/meta-data/")],
                )
            }),
        );
        axum::serve(listener, app).await.unwrap();
    });
    let sender = WebhookSender::new(true, Arc::new(SystemLookup)).unwrap();
    let secret = new_secret().unwrap();
    let url = format!("http://127.0.0.1:{port}/hook");
    let attempt = sender.send(&url, &secret, "ev_1", 0, b"{}").await;
    assert_eq!(attempt.status, Some(302));
    assert!(!attempt.succeeded());

    // Nothing listening: no status, a connection failure.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let gone = format!(
        "http://127.0.0.1:{}/hook",
        closed.local_addr().unwrap().port()
    );
    drop(closed);
    let attempt = sender.send(&gone, &secret, "ev_2", 0, b"{}").await;
    assert_eq!(
        (attempt.status, attempt.error.as_deref()),
        (None, Some("connection failed"))
    );
}

#[tokio::test]
async fn push_endpoints_obey_the_same_address_rule() {
    use chorus::delivery::webpush::{PushOutcome, WebPushSender};
    let service = crate::aws::fakes::PushService::start().await;
    let (endpoint, p256dh, auth) = service.subscribe("carol");
    let subscription = chorus::domain::push::PushSubscription {
        user_id: chorus::domain::UserId::parse("carol").unwrap(),
        endpoint,
        p256dh,
        auth,
        created_at: chrono::Utc::now(),
        device: None,
    };
    let key = || service.vapid_private_key.clone().into();
    let subject = "mailto:ops@chorus.test".to_owned();
    let strict = WebPushSender::new(key(), subject.clone(), 60, false).unwrap();
    match strict.send(&subscription, b"{}").await {
        PushOutcome::Failed(why) => assert_eq!(why, "refused address"),
        _ => panic!("a push to 127.0.0.1 was sent with the rule on"),
    }
    assert!(service.received().is_empty());
    let open = WebPushSender::new(key(), subject, 60, true).unwrap();
    assert!(matches!(
        open.send(&subscription, b"{}").await,
        PushOutcome::Delivered
    ));
    assert_eq!(service.received().len(), 1);
}
