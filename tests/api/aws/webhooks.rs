//! Outgoing webhooks on the Lambda path (moto): the events topic feeds the
//! webhook queue raw, as the template subscribes it; the `webhooks`
//! function attempts, and puts each retry back on the queue with a delay,
//! so a retry outlives the invocation that scheduled it.

use super::ws_lambda::club;
use super::{graphql, setup, world_with};
use crate::skip::skip_without;
use crate::webhook_sender::{next, receiver};
use aws_lambda_events::sqs::SqsEvent;
use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;

/// Receives what the queue holds now (waiting up to a second) as the
/// event SQS hands the function, deleting it as the event source does
/// after a successful batch.
async fn receive(sqs: &aws_sdk_sqs::Client, url: &str) -> Option<SqsEvent> {
    let out = sqs
        .receive_message()
        .queue_url(url)
        .max_number_of_messages(10)
        .wait_time_seconds(1)
        .send()
        .await
        .unwrap();
    if out.messages().is_empty() {
        return None;
    }
    let mut records = Vec::new();
    for m in out.messages() {
        records.push(json!({"messageId": m.message_id(), "body": m.body()}));
        sqs.delete_message()
            .queue_url(url)
            .receipt_handle(m.receipt_handle().unwrap())
            .send()
            .await
            .unwrap();
    }
    Some(serde_json::from_value(json!({ "Records": records })).unwrap())
}

#[tokio::test]
async fn a_posted_message_reaches_the_webhook_through_the_queue_and_its_delayed_retries() {
    skip_without!(without_moto);
    skip_without!(without_python);
    let sdk = setup::sdk().await;
    let (sns, sqs) = (
        aws_sdk_sns::Client::new(&sdk),
        aws_sdk_sqs::Client::new(&sdk),
    );
    let run = uuid::Uuid::now_v7().simple().to_string();
    let (queue_url, queue_arn) = setup::queue(&sqs, &format!("webhooks-{run}")).await;
    let w = world_with(&[
        ("WEBHOOK_QUEUE_URL", queue_url.as_str()),
        ("CHORUS_WEBHOOK_RETRIES", "1,1"),
    ])
    .await;
    sns.subscribe()
        .topic_arn(&w.events.topic_arn)
        .protocol("sqs")
        .endpoint(queue_arn)
        .attributes("RawMessageDelivery", "true")
        .send()
        .await
        .unwrap();
    let group = club(&w).await;
    let api = w.env.api().unwrap();
    let webhooks = w.env.webhooks().unwrap();
    let alice = crate::helpers::token("alice");

    let (mut child, port, mut heard) = receiver("-", "500,500").await;
    let create = "mutation($g: ID!, $u: String!) { createWebhook(input:
        {groupId: $g, url: $u, events: [MESSAGE_POSTED]}) { secret webhook { id } } }";
    let url = format!("http://127.0.0.1:{port}/hook");
    let created = graphql(&api, &alice, create, json!({"g": group, "u": url})).await;
    let created = &created["data"]["createWebhook"];
    let secret = created["secret"].as_str().unwrap();
    let id = created["webhook"]["id"].as_str().unwrap().to_owned();
    let stdin = child.stdin.as_mut().unwrap();
    stdin
        .write_all(format!("{secret}\n").as_bytes())
        .await
        .unwrap();

    let post = "mutation($g: ID!) { postMessage(input: {groupId: $g, body: \"on call\"}) { id } }";
    let posted = graphql(&api, &alice, post, json!({"g": group})).await;
    let message = posted["data"]["postMessage"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Play the event source mapping until the receiver has accepted.
    let mut seen: Vec<Value> = Vec::new();
    for _ in 0..20 {
        if let Some(event) = receive(&sqs, &queue_url).await {
            let answer = chorus::lambda::webhooks::handle(
                &webhooks,
                event,
                std::time::Duration::from_secs(50),
            )
            .await;
            assert!(answer.batch_item_failures.is_empty());
            seen.push(next(&mut heard).await);
        }
        if seen.last().is_some_and(|got| got["status"] == 200) {
            break;
        }
    }
    let statuses: Vec<_> = seen.iter().map(|g| g["status"].clone()).collect();
    assert_eq!(statuses, vec![json!(500), json!(500), json!(200)]);
    assert!(seen
        .iter()
        .all(|g| g["verified"] == true && g["id"] == seen[0]["id"]));
    assert_eq!(seen[0]["body"]["data"]["message"]["id"], message.as_str());

    let query = "query($id: ID!) { node(id: $id) { ... on Webhook { enabled
        deliveries { edges { node { attempt status at } } } } } }";
    let listed = graphql(&api, &alice, query, json!({"id": id})).await;
    let edges = listed["data"]["node"]["deliveries"]["edges"]
        .as_array()
        .unwrap()
        .clone();
    let attempts: Vec<_> = edges.iter().map(|e| e["node"]["attempt"].clone()).collect();
    assert_eq!(attempts, vec![json!(1), json!(2), json!(3)]);
    let at = |i: usize| {
        chrono::DateTime::parse_from_rfc3339(edges[i]["node"]["at"].as_str().unwrap()).unwrap()
    };
    assert!(
        at(1) - at(0) >= chrono::Duration::milliseconds(900),
        "the retry waited in the queue for its delay"
    );
}

#[test]
fn a_function_refuses_to_start_without_the_key_secrets_are_sealed_with() {
    let vars = [("CHORUS_DEV_SECRET", "a-real-secret")];
    let get = |k: &str| {
        vars.iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    };
    let config = chorus::lambda::lambda_config(get).unwrap();
    let refused = chorus::app::webhook_delivery(&config, false).err().unwrap();
    assert!(
        refused.to_string().contains("CHORUS_SECRETS_KEY"),
        "{refused}"
    );
    assert!(
        chorus::app::webhook_delivery(&config, true).is_ok(),
        "locally: derived"
    );
    let short = [
        ("CHORUS_DEV_SECRET", "x"),
        ("CHORUS_SECRETS_KEY", "c2hvcnQ="),
    ];
    let get = |k: &str| {
        short
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    };
    let config = chorus::lambda::lambda_config(get).unwrap();
    assert!(
        chorus::app::webhook_delivery(&config, false).is_err(),
        "not 256 bits"
    );
}

#[tokio::test]
async fn records_that_are_not_jobs_are_dropped_not_redelivered() {
    skip_without!(without_moto);
    let sdk = setup::sdk().await;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let run = uuid::Uuid::now_v7().simple().to_string();
    let (queue_url, _) = setup::queue(&sqs, &format!("webhooks-bad-{run}")).await;
    let w = world_with(&[("WEBHOOK_QUEUE_URL", queue_url.as_str())]).await;
    let webhooks = w.env.webhooks().unwrap();
    let event: SqsEvent = serde_json::from_value(json!({"Records": [
        {"messageId": "1", "body": "not json"},
        {"messageId": "2", "body": "{\"webhookId\": 3}"},
    ]}))
    .unwrap();
    let answer =
        chorus::lambda::webhooks::handle(&webhooks, event, std::time::Duration::from_secs(50))
            .await;
    assert!(
        answer.batch_item_failures.is_empty(),
        "poison is not retried"
    );
}

/// A retry queue whose puts of one webhook's retries take ten seconds.
struct SlowFor(String);

#[async_trait::async_trait]
impl chorus::lambda::webhooks::RetryQueue for SlowFor {
    async fn put(&self, body: String, _delay: i32) -> Result<(), chorus::lambda::Error> {
        if body.contains(&self.0) {
            tokio::time::sleep(std::time::Duration::from_secs(10)).await;
        }
        Ok(())
    }
}

#[tokio::test]
async fn a_batchs_records_run_at_once_and_only_the_unfinished_one_is_reported() {
    skip_without!(without_moto);
    use chorus::domain::ids::WebhookId;
    use chorus::domain::membership::{Membership, MembershipState};
    use chorus::domain::webhook::Retry;
    use chorus::lambda::webhooks::{handle, Job, Webhooks};
    let w = world_with(&[("WEBHOOK_QUEUE_URL", "http://unused.invalid/q")]).await;
    let now = chorus::domain::now();
    let event = chorus::domain::event::DomainEvent::membership(
        Membership {
            group_id: chorus::domain::GroupId::parse("g_0123456789abcdef0123456789abcdef").unwrap(),
            user_id: chorus::domain::UserId::parse("alice").unwrap(),
            state: MembershipState::Left,
            role: None,
            note: None,
            reason: None,
            since: now,
            updated_at: now,
            muted_until: None,
            banned_until: None,
            last_post_at: None,
        },
        now,
    );
    let event = std::sync::Arc::new(event);
    let (slow, fast) = (WebhookId::generate(), WebhookId::generate());
    // Not due for an hour: each is put back on the queue, nothing sent.
    let record = |n: &str, webhook: &WebhookId| {
        let job = Job::Retry(Retry {
            webhook_id: webhook.clone(),
            attempt: 2,
            due: now + chrono::Duration::hours(1),
            event: event.clone(),
        });
        json!({"messageId": n, "body": serde_json::to_string(&job).unwrap()})
    };
    let records = json!({"Records": [record("slow", &slow), record("fast-1", &fast), record("fast-2", &fast)]});
    let batch: SqsEvent = serde_json::from_value(records).unwrap();
    let webhooks = Webhooks {
        service: w.env.webhooks().unwrap().service.clone(),
        queue: std::sync::Arc::new(SlowFor(slow.to_string())),
    };
    let started = std::time::Instant::now();
    let answer = handle(&webhooks, batch, std::time::Duration::from_millis(500)).await;
    let failed: Vec<_> = answer
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.clone())
        .collect();
    assert_eq!(failed, vec!["slow".to_owned()]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}
