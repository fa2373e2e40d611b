//! The data export and account deletion on the AWS path, against moto:
//! `requestDataExport` puts a job on the jobs queue, the `sweep` function
//! run with that queue's batch writes the document to S3, and the `api`
//! function's link (presigned) returns it; a deletion the `api` function
//! did not finish is finished by the `sweep` function's minute run, which
//! also removes the user's push subscriptions from DynamoDB.

use super::delivery::{api, create_group, join};
use super::{world_with, World};
use crate::skip::skip_without;
use chorus::domain::UserId;
use serde_json::{json, Value};

async fn with_bucket() -> (World, String) {
    let bucket = format!("uploads-{}", uuid::Uuid::now_v7().simple());
    let w = world_with(&[("UPLOADS_BUCKET", &bucket)]).await;
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&w.env.sdk)
            .force_path_style(true)
            .build(),
    );
    s3.create_bucket().bucket(&bucket).send().await.unwrap();
    (w, bucket)
}

/// The keys in `bucket`.
async fn objects(w: &World, bucket: &str) -> Vec<String> {
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&w.env.sdk)
            .force_path_style(true)
            .build(),
    );
    let listed = s3.list_objects_v2().bucket(bucket).send().await.unwrap();
    (listed.contents().iter())
        .filter_map(|o| o.key().map(str::to_owned))
        .collect()
}

/// The jobs queue's messages as the SQS event the `sweep` function gets.
async fn jobs_batch(w: &World) -> Value {
    let sqs = aws_sdk_sqs::Client::new(&w.env.sdk);
    let url = w.env.config.aws.jobs_queue_url.clone().unwrap();
    let received = sqs
        .receive_message()
        .queue_url(&url)
        .max_number_of_messages(10)
        .wait_time_seconds(1)
        .send()
        .await
        .unwrap();
    let records: Vec<Value> = (received.messages().iter())
        .map(|m| {
            json!({
                "messageId": m.message_id(), "receiptHandle": m.receipt_handle(),
                "body": m.body(), "attributes": {}, "messageAttributes": {},
                "md5OfBody": m.md5_of_body(), "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:jobs",
                "awsRegion": "us-east-1",
            })
        })
        .collect();
    json!({ "Records": records })
}

#[tokio::test]
async fn an_export_goes_through_the_jobs_queue_to_s3_and_back_by_a_signed_link() {
    skip_without!(without_moto);
    let (w, _bucket) = with_bucket().await;
    let router = w.env.api().unwrap();
    let group = create_group(&router, "alice", "Club").await;
    join(&router, &group, "alice", "bob").await;
    let post =
        "mutation($g: ID!) { postMessage(input: {groupId: $g, body: \"bob's own words\"}) { id } }";
    api(&router, "bob", post, json!({"g": group})).await;
    let request = "mutation { requestDataExport { id state url } }";
    let requested = api(&router, "bob", request, json!({})).await["requestDataExport"].clone();
    assert_eq!(
        (&requested["state"], &requested["url"]),
        (&json!("PENDING"), &Value::Null)
    );
    let id = requested["id"].as_str().unwrap();

    let batch = jobs_batch(&w).await;
    assert_eq!(batch["Records"].as_array().unwrap().len(), 1, "{batch}");
    assert_eq!(
        serde_json::from_str::<Value>(batch["Records"][0]["body"].as_str().unwrap()).unwrap(),
        json!({ "export": id })
    );
    let sweep = w.env.parts().unwrap().service;
    let ran = chorus::lambda::sweep(&sweep, batch).await.unwrap();
    assert_eq!(ran["jobs"], 1);

    let read = "query($id: ID!) { dataExport(id: $id) { state url expiresAt } }";
    let export = api(&router, "bob", read, json!({"id": id})).await["dataExport"].clone();
    assert_eq!(export["state"], "READY", "{export}");
    let url = export["url"].as_str().unwrap();
    assert!(url.contains("/exports/ex_"), "{url}");
    assert!(url.contains("X-Amz-Signature="), "{url}");
    let expires = url.split("X-Amz-Expires=").nth(1).unwrap();
    let seconds: u64 = expires.split('&').next().unwrap().parse().unwrap();
    assert!(
        (86_000..=86_400).contains(&seconds),
        "valid until a day after the request"
    );
    let document: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    assert_eq!(document["user"]["id"], "bob");
    assert_eq!(document["messages"][0]["body"], "bob's own words");
    // A second request the same day returns it, and queues nothing.
    let again = api(&router, "bob", request, json!({})).await;
    assert_eq!(again["requestDataExport"]["id"], id);
    assert_eq!(jobs_batch(&w).await["Records"], json!([]));
}

#[tokio::test]
async fn a_deletion_the_api_did_not_finish_is_finished_by_the_sweep() {
    skip_without!(without_moto);
    let (w, bucket) = with_bucket().await;
    let router = w.env.api().unwrap();
    let group = create_group(&router, "alice", "Club").await;
    join(&router, &group, "alice", "bob").await;
    let (endpoint, p256dh, auth) = w.push_service.subscribe("bob");
    let register = "mutation($e: String!, $p: String!, $a: String!) {
        registerPushSubscription(input: {endpoint: $e, p256dh: $p, auth: $a}) { endpoint } }";
    api(
        &router,
        "bob",
        register,
        json!({"e": endpoint, "p": p256dh, "a": auth}),
    )
    .await;
    let post =
        "mutation($g: ID!) { postMessage(input: {groupId: $g, body: \"words to forget\"}) { id } }";
    api(&router, "bob", post, json!({"g": group})).await;
    // The function stopped right after deleteMyAccount's first step.
    let bob = UserId::parse("bob").unwrap();
    w.env
        .store
        .begin_deletion(&bob, &UserId::ghost())
        .await
        .unwrap();

    let sweep = w.env.parts().unwrap().service;
    let ran = chorus::lambda::sweep(&sweep, json!({"source": "aws.events"}))
        .await
        .unwrap();
    assert_eq!(ran["jobs"], 1, "{ran}");
    let page = "query($g: ID!) { group(id: $g) { memberCount messages { edges { node {
        body author { name } } } } } }";
    let seen = api(&router, "alice", page, json!({"g": group})).await;
    assert_eq!(seen["group"]["memberCount"], 1);
    let node = &seen["group"]["messages"]["edges"][0]["node"];
    assert_eq!(node["body"], Value::Null);
    assert_eq!(node["author"]["name"], "Deleted user");
    assert!(w.env.store.pending_deletions(10).await.unwrap().is_empty());
    assert_eq!(
        objects(&w, &bucket).await,
        Vec::<String>::new(),
        "the stray photo is gone"
    );
    // Signing in again: an empty account, with no push subscription left
    // in DynamoDB.
    let mine = api(
        &router,
        "bob",
        "{ myPushSubscriptions { endpoint } myGroups { edges { node { id } } } }",
        json!({}),
    )
    .await;
    assert_eq!(mine["myPushSubscriptions"], json!([]));
    assert_eq!(mine["myGroups"]["edges"], json!([]));
    // And through the api function as a whole: done before it answers.
    join(&router, &group, "alice", "carol").await;
    api(&router, "carol", post, json!({"g": group})).await;
    let gone = api(
        &router,
        "carol",
        "mutation { deleteMyAccount(confirm: \"carol\") }",
        json!({}),
    )
    .await;
    assert_eq!(gone["deleteMyAccount"], true);
    let seen = api(&router, "alice", page, json!({"g": group})).await;
    assert!(!seen.to_string().contains("words to forget"), "{seen}");
    assert_eq!(
        jobs_batch(&w).await["Records"],
        json!([]),
        "nothing left to queue"
    );
}

#[tokio::test]
async fn a_post_stuck_in_the_outbox_goes_out_as_a_tombstone_after_the_deletion() {
    skip_without!(without_moto);
    let w = super::world().await;
    let router = w.env.api().unwrap();
    let group = create_group(&router, "alice", "Outage").await;
    join(&router, &group, "alice", "bob").await;
    let sns = aws_sdk_sns::Client::new(&w.env.sdk);
    let topic_name = w.events.topic_arn.rsplit(':').next().unwrap().to_owned();
    sns.delete_topic()
        .topic_arn(&w.events.topic_arn)
        .send()
        .await
        .unwrap();
    // SNS refuses: the post's event waits in the outbox; bob leaves.
    let post = "mutation($g: ID!) { postMessage(input: {groupId: $g, body: \"said during the outage\"}) { id } }";
    api(&router, "bob", post, json!({"g": group})).await;
    let gone = "mutation { deleteMyAccount(confirm: \"bob\") }";
    assert_eq!(
        api(&router, "bob", gone, json!({})).await["deleteMyAccount"],
        true
    );

    // SNS is back; the sweep publishes what waited.
    let events = super::TopicProbe::new(&w.env.sdk, &topic_name).await;
    let sweep = w.env.parts().unwrap().service;
    let later = chrono::Utc::now() + chrono::Duration::minutes(1);
    let swept = sweep.sweep_outbox(later).await.unwrap();
    assert_eq!(swept.failed, 0);
    let published = events.drain(swept.published).await;
    let posted: Vec<&serde_json::Value> = (published.iter())
        .filter(|n| n["MessageAttributes"]["type"]["Value"] == "MESSAGE_POSTED")
        .collect();
    assert_eq!(posted.len(), 1, "{published:?}");
    let text = published
        .iter()
        .map(|n| n["Message"].as_str().unwrap().to_owned())
        .collect::<String>();
    assert!(!text.contains("said during the outage"), "{text}");
    let event: serde_json::Value =
        serde_json::from_str(posted[0]["Message"].as_str().unwrap()).unwrap();
    assert_eq!(event["message"]["body"], Value::Null, "{event}");
}
