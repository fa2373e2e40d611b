//! The serverless delivery path on real emulators: moto for DynamoDB, SNS
//! and SQS (`MOTO_ENDPOINT`, started by `scripts/test`), and local fakes for
//! the two services no emulator covers (`fakes`).

mod accounts;
mod api_lambda;
mod audience;
mod bots;
mod delivery;
mod e2e;
mod gateway;
mod lambda_errors;
mod mobile;
mod outbox;
mod rate_limit;
mod shared_frames;
mod uploads;
mod webhooks;
mod ws_lambda;
mod ws_limits;

pub use chorus_testkit::aws::{fakes, setup};
pub use setup::{create_tables, sdk, TopicProbe};

use chorus::config::Config;
use chorus::lambda::Env;
use chorus::store::Store;
use std::collections::HashMap;
use std::sync::Arc;

pub fn fixture(name: &str, replacements: &[(&str, &str)]) -> serde_json::Value {
    let path = crate::helpers::repo_file(&format!("tests/fixtures/lambda/{name}"));
    let mut text = std::fs::read_to_string(path).unwrap();
    for (key, value) in replacements {
        // Values are JSON string contents: escape them as such.
        let escaped = serde_json::to_string(value).unwrap();
        text = text.replace(&format!("{{{{{key}}}}}"), &escaped[1..escaped.len() - 1]);
    }
    serde_json::from_str(&text).unwrap()
}

/// The `api` function's response to an API Gateway event: status and body.
pub async fn invoke(
    router: &chorus::lambda::ApiService,
    event: serde_json::Value,
) -> (u16, axum::body::Bytes) {
    let request: lambda_http::request::LambdaRequest = serde_json::from_value(event).unwrap();
    let response = tower::ServiceExt::oneshot(router.clone(), lambda_http::Request::from(request))
        .await
        .unwrap();
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, bytes)
}

/// The whole GraphQL response of the `api` function to a POST with
/// `credential` as its bearer token.
pub async fn graphql(
    router: &chorus::lambda::ApiService,
    credential: &str,
    query: &str,
    variables: serde_json::Value,
) -> serde_json::Value {
    let body = serde_json::json!({ "query": query, "variables": variables }).to_string();
    let event = fixture(
        "http_api_v2_post_graphql.json",
        &[("TOKEN", credential), ("BODY", &body)],
    );
    serde_json::from_slice(&invoke(router, event).await.1).unwrap()
}

/// A Lambda environment on moto and the fakes, with its own tables and topics.
pub struct World {
    pub env: Env,
    _store: Box<dyn std::any::Any + Send>,
    pub events: TopicProbe,
    pub delivery: TopicProbe,
    pub management: fakes::ManagementApi,
    pub push_service: fakes::PushService,
}

/// A world on the suite's store (embedded, or Neo4j with
/// `CHORUS_TEST_STORE=neo4j`).
pub async fn world() -> World {
    world_with(&[]).await
}

/// A world with some configuration variables set as well.
pub async fn world_with(extra: &[(&str, &str)]) -> World {
    let (store, keep) = crate::helpers::test_store().await;
    world_on(store, keep, extra).await
}

async fn world_on(
    store: Arc<dyn Store>,
    keep: Box<dyn std::any::Any + Send>,
    extra: &[(&str, &str)],
) -> World {
    let sdk = sdk().await;
    let run = uuid::Uuid::now_v7().simple().to_string();
    let (connections, push) = (format!("connections-{run}"), format!("push-{run}"));
    let (rate, audience) = (format!("rate-{run}"), format!("audience-{run}"));
    let dynamo = aws_sdk_dynamodb::Client::new(&sdk);
    create_tables(&dynamo, &connections, &push, &audience).await;
    setup::create_rate_table(&dynamo, &rate).await;
    let events = TopicProbe::new(&sdk, &format!("events-{run}")).await;
    let delivery = TopicProbe::new(&sdk, &format!("delivery-{run}")).await;
    let (jobs_queue, _) =
        setup::queue(&aws_sdk_sqs::Client::new(&sdk), &format!("jobs-{run}")).await;
    let management = fakes::ManagementApi::start(std::time::Duration::ZERO).await;
    let push_service = fakes::PushService::start().await;
    let vars: HashMap<&str, String> = HashMap::from([
        ("CHORUS_DEV_SECRET", crate::helpers::DEV_SECRET.to_owned()),
        // The fake push service listens on 127.0.0.1.
        ("CHORUS_WEBHOOK_ALLOW_PRIVATE", "true".to_owned()),
        ("EVENTS_TOPIC_ARN", events.topic_arn.clone()),
        ("DELIVERY_TOPIC_ARN", delivery.topic_arn.clone()),
        ("CONNECTIONS_TABLE", connections),
        ("PUSH_TABLE", push),
        ("AUDIENCE_TABLE", audience),
        ("RATE_LIMIT_TABLE", rate),
        ("WS_MANAGEMENT_ENDPOINT", management.endpoint()),
        ("VAPID_PRIVATE_KEY", push_service.vapid_private_key.clone()),
        ("VAPID_SUBJECT", "mailto:ops@chorus.test".to_owned()),
        ("FANOUT_SHARD_SIZE", "2".to_owned()),
        ("JOBS_QUEUE_URL", jobs_queue),
        (
            "CHORUS_SECRETS_KEY",
            "9yG3Bq0pDk5Qx2cR7vJm1sZ8tWn4hLa6eUo0iYb3fXs=".to_owned(),
        ),
    ]);
    let mut vars = vars;
    vars.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    let config = Config::from_lookup(|k| vars.get(k).cloned()).unwrap();
    World {
        env: Env { config, sdk, store },
        _store: keep,
        events,
        delivery,
        management,
        push_service,
    }
}
