//! Cold start of the `api` Lambda: `cargo bench --bench cold_start`.
//! Starts the real bootstrap (this build of `src/bin/api.rs`) against a
//! stub of the Lambda runtime API on 127.0.0.1, hands it one HTTP API
//! event (`{ me { id } }` with a dev token), and times process start →
//! first `/next` poll (init: configuration, AWS SDK clients, store, schema)
//! and → the response posted. Median of 20 starts; no network beyond the
//! stub (embedded store, no AWS call on this path).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, Mutex};

#[derive(Clone)]
struct Stub {
    event: String,
    served: Arc<Mutex<bool>>,
    marks: mpsc::UnboundedSender<&'static str>,
}

async fn next(State(stub): State<Stub>) -> (HeaderMap, String) {
    let _ = stub.marks.send("next");
    let first = !std::mem::replace(&mut *stub.served.lock().await, true);
    if !first {
        std::future::pending::<()>().await;
    }
    let mut headers = HeaderMap::new();
    headers.insert("lambda-runtime-aws-request-id", "req-1".parse().unwrap());
    let deadline = std::time::SystemTime::now() + Duration::from_secs(30);
    let ms = deadline
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    headers.insert(
        "lambda-runtime-deadline-ms",
        ms.to_string().parse().unwrap(),
    );
    headers.insert(
        "lambda-runtime-invoked-function-arn",
        "arn:aws:lambda:us-east-1:123456789012:function:api"
            .parse()
            .unwrap(),
    );
    headers.insert("content-type", "application/json".parse().unwrap());
    (headers, stub.event.clone())
}

async fn response(State(stub): State<Stub>, body: String) -> &'static str {
    assert!(body.contains("\\\"me\\\""), "unexpected response: {body}");
    let _ = stub.marks.send("response");
    "{}"
}

async fn error(body: String) -> &'static str {
    panic!("the function reported an error: {body}");
}

fn event() -> String {
    let token = chorus::auth::dev::DevTokens::new("bench-secret".to_owned().into())
        .issue("alice", "Alice")
        .unwrap();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/lambda/http_api_v2_post_graphql.json"
    );
    let body = serde_json::json!({ "query": "{ me { id } }" }).to_string();
    let body = serde_json::to_string(&body).unwrap();
    std::fs::read_to_string(path)
        .unwrap()
        .replace("{{TOKEN}}", &token)
        .replace("\"{{BODY}}\"", &body)
}

async fn one_start(event: &str) -> (Duration, Duration) {
    let (marks, mut seen) = mpsc::unbounded_channel();
    let stub = Stub {
        event: event.to_owned(),
        served: Arc::default(),
        marks,
    };
    let app = Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route(
            "/2018-06-01/runtime/invocation/{id}/response",
            post(response),
        )
        .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
        .route("/2018-06-01/runtime/init/error", post(error))
        .with_state(stub);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let started = Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_api"))
        .env_clear()
        .env("AWS_LAMBDA_RUNTIME_API", addr.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "api")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/api")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "bench")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "bench")
        .env("AWS_SECRET_ACCESS_KEY", "bench")
        .env("RUST_LOG", "warn")
        .env("CHORUS_DEV_SECRET", "bench-secret")
        .env(
            "CHORUS_SECRETS_KEY",
            "9yG3Bq0pDk5Qx2cR7vJm1sZ8tWn4hLa6eUo0iYb3fXs=",
        )
        .env(
            "EVENTS_TOPIC_ARN",
            "arn:aws:sns:us-east-1:123456789012:events",
        )
        .env("PUSH_TABLE", "push")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut first_next = None;
    let answered = loop {
        match tokio::time::timeout(Duration::from_secs(30), seen.recv()).await {
            Ok(Some("next")) if first_next.is_none() => first_next = Some(started.elapsed()),
            Ok(Some("response")) => break started.elapsed(),
            Ok(Some(_)) => {}
            _ => panic!("no response within 30 s"),
        }
    };
    child.kill().unwrap();
    child.wait().unwrap();
    server.abort();
    (first_next.unwrap(), answered)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

#[tokio::main]
async fn main() {
    let event = event();
    one_start(&event).await; // warm the page cache
    let (mut inits, mut answers) = (Vec::new(), Vec::new());
    for _ in 0..20 {
        let (init, answer) = one_start(&event).await;
        inits.push(init);
        answers.push(answer);
    }
    println!("api cold start, median of 20 (release bootstrap, runtime API stub on loopback)");
    println!(
        "  process start -> first /next (init)       {:>9.2?}",
        median(inits)
    );
    println!(
        "  process start -> first response posted    {:>9.2?}",
        median(answers)
    );
}
