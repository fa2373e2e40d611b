//! Native push on moto: devices registered through the `api` Lambda become
//! platform endpoints of the FCM and APNs applications; a post through
//! `fanout` and `deliver` publishes the exact FCM v1 / APNs JSON to the
//! endpoints of offline members their level lets hear it; an endpoint SNS
//! reports disabled is removed.

use super::delivery::{api, create_group, join, pump, subscribe, ws};
use super::{setup, world_with};
use crate::skip::skip_without;
use serde_json::{json, Value};

async fn platform_app(sns: &aws_sdk_sns::Client, name: &str, platform: &str) -> String {
    let out = sns
        .create_platform_application()
        .name(format!("{name}-{}", uuid::Uuid::now_v7().simple()))
        .platform(platform)
        .attributes("PlatformCredential", "test-credential")
        .send()
        .await
        .unwrap();
    out.platform_application_arn().unwrap().to_owned()
}

/// Every message moto recorded per endpoint ARN (its `/moto-api`).
async fn published() -> Vec<(String, String, Vec<Value>)> {
    let base = std::env::var("MOTO_ENDPOINT").unwrap();
    // moto checks each attribute serializes, then dumps them all: another
    // test changing a table in between makes it respond 500. Ask again.
    let mut data = Value::Null;
    for _ in 0..20 {
        let answer = reqwest::get(format!("{base}/moto-api/data.json"))
            .await
            .unwrap();
        if let Ok(parsed) = answer.json::<Value>().await {
            data = parsed;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(data.is_object(), "moto's /moto-api/data.json kept failing");
    let endpoints = data["sns"]["PlatformEndpoint"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    endpoints
        .iter()
        .map(|e| {
            let messages = e["messages"].as_object().cloned().unwrap_or_default();
            let messages = messages
                .values()
                .map(|m| serde_json::from_str(m.as_str().unwrap()).unwrap())
                .collect();
            (
                e["arn"].as_str().unwrap().to_owned(),
                e["token"].as_str().unwrap_or("").to_owned(),
                messages,
            )
        })
        .collect()
}

/// The platform endpoint moto made for a device token.
async fn endpoint_of(token: &str) -> String {
    let found = published().await.into_iter().find(|(_, t, _)| t == token);
    found.expect("an endpoint for the token").0
}

async fn messages_for(token: &str) -> Vec<Value> {
    published()
        .await
        .into_iter()
        .filter(|(_, t, _)| t == token)
        .flat_map(|(_, _, m)| m)
        .collect()
}

#[tokio::test]
async fn posts_reach_offline_members_devices_by_level_and_disabled_endpoints_go() {
    skip_without!(without_moto);
    let sdk = setup::sdk().await;
    let sns = aws_sdk_sns::Client::new(&sdk);
    let fcm = platform_app(&sns, "fcm", "GCM").await;
    let apns = platform_app(&sns, "apns", "APNS").await;
    let vars = [
        ("FCM_PLATFORM_APPLICATION_ARN", fcm.as_str()),
        ("APNS_PLATFORM_APPLICATION_ARN", apns.as_str()),
    ];
    let w = world_with(&vars).await;
    let router = w.env.api().unwrap();
    let group = create_group(&router, "alice", "Club").await;
    for member in ["bob", "carol", "dave", "erin"] {
        join(&router, &group, "alice", member).await;
    }
    let run = uuid::Uuid::now_v7().simple().to_string();
    let token = |user: &str| format!("{user}-token-{run}");
    let register = "mutation($p: DevicePlatform!, $t: String!) {
        registerDevice(platform: $p, token: $t) { id platform } }";
    for (user, platform) in [
        ("alice", "FCM"),
        ("bob", "FCM"),
        ("carol", "APNS"),
        ("dave", "FCM"),
        ("erin", "APNS"),
    ] {
        let data = api(
            &router,
            user,
            register,
            json!({"p": platform, "t": token(user)}),
        )
        .await;
        assert_eq!(data["registerDevice"]["platform"], platform);
    }
    // Registering again is the same device.
    let again = api(
        &router,
        "bob",
        register,
        json!({"p": "FCM", "t": token("bob")}),
    )
    .await;
    let mine = api(&router, "bob", "{ myDevices { id platform } }", json!({})).await;
    assert_eq!(mine["myDevices"], json!([again["registerDevice"]]));
    let level = "mutation($g: ID!, $l: NotificationLevel!) {
        setNotificationLevel(groupId: $g, level: $l) { notificationLevel } }";
    api(
        &router,
        "carol",
        level,
        json!({"g": group, "l": "MENTIONS"}),
    )
    .await;
    api(&router, "dave", level, json!({"g": group, "l": "NONE"})).await;
    pump(&w).await; // the memberships and devices reach the audience
    ws(&w, "erin=", "erin", &subscribe(&group)).await; // erin is online

    let post =
        "mutation($g: ID!, $b: String!) { postMessage(input: {groupId: $g, body: $b}) { id } }";
    let first = api(
        &router,
        "alice",
        post,
        json!({"g": group, "b": "Sunday at ten, @carol?"}),
    )
    .await;
    let first_id = first["postMessage"]["id"].as_str().unwrap().to_owned();
    pump(&w).await;
    api(&router, "alice", post, json!({"g": group, "b": "plain"})).await;
    pump(&w).await;

    let bob = messages_for(&token("bob")).await;
    assert_eq!(bob.len(), 2, "ALL hears both: {bob:?}");
    let carol = messages_for(&token("carol")).await;
    assert_eq!(carol.len(), 1, "MENTIONS hears the mention only: {carol:?}");
    assert!(
        messages_for(&token("dave")).await.is_empty(),
        "NONE hears nothing"
    );
    assert!(
        messages_for(&token("alice")).await.is_empty(),
        "never the author"
    );
    assert!(
        messages_for(&token("erin")).await.is_empty(),
        "not a live subscriber"
    );

    let fcm_message: Value = serde_json::from_str(
        bob.iter()
            .find(|m| m["default"] == "alice name: Sunday at ten, @carol?")
            .unwrap()["GCM"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let message = &fcm_message["fcmV1Message"]["message"];
    assert_eq!(
        message["notification"],
        json!({"title": "Club", "body": "alice name: Sunday at ten, @carol?"})
    );
    assert_eq!(message["data"]["groupId"], group.as_str());
    assert_eq!(message["data"]["messageId"], first_id.as_str());
    assert_eq!(message["data"]["parentId"], "");
    assert!(message["data"]["cursor"]
        .as_str()
        .is_some_and(|c| !c.is_empty()));
    assert_eq!(message["android"]["notification"]["tag"], first_id.as_str());
    assert_eq!(
        message["android"]["notification"]["notification_count"], 1,
        "bob's unread"
    );
    let apns_message: Value = serde_json::from_str(carol[0]["APNS"].as_str().unwrap()).unwrap();
    assert_eq!(
        apns_message["aps"],
        json!({"alert": {"title": "Club", "body": "alice name: Sunday at ten, @carol?"},
               "badge": 1, "sound": "default", "thread-id": first_id})
    );
    assert_eq!(apns_message["messageId"], first_id.as_str());

    // Bob's endpoint is disabled: the next push removes his device, only his.
    let bob_arn = endpoint_of(&token("bob")).await;
    sns.set_endpoint_attributes()
        .endpoint_arn(&bob_arn)
        .attributes("Enabled", "false")
        .send()
        .await
        .unwrap();
    api(
        &router,
        "alice",
        post,
        json!({"g": group, "b": "@carol again"}),
    )
    .await;
    pump(&w).await;
    let mine = api(&router, "bob", "{ myDevices { id } }", json!({})).await;
    assert_eq!(mine["myDevices"], json!([]), "the disabled device is gone");
    let gone = sns
        .get_endpoint_attributes()
        .endpoint_arn(&bob_arn)
        .send()
        .await;
    assert!(gone.is_err(), "its endpoint deleted: {gone:?}");
    assert_eq!(messages_for(&token("carol")).await.len(), 2);
    let carols = api(&router, "carol", "{ myDevices { id } }", json!({})).await;
    assert_eq!(
        carols["myDevices"].as_array().unwrap().len(),
        1,
        "others keep theirs"
    );

    // Unregistering deletes the endpoint.
    let unregister = "mutation($t: String!) { unregisterDevice(token: $t) }";
    let out = api(&router, "carol", unregister, json!({"t": token("carol")})).await;
    assert_eq!(out["unregisterDevice"], true);
    let carol_arn = endpoint_of(&token("carol")).await;
    let gone = sns
        .get_endpoint_attributes()
        .endpoint_arn(&carol_arn)
        .send()
        .await;
    assert!(
        gone.is_err(),
        "unregistered, its endpoint deleted: {gone:?}"
    );
    let again = api(&router, "carol", unregister, json!({"t": token("carol")})).await;
    assert_eq!(again["unregisterDevice"], false);
}

#[tokio::test]
async fn a_token_registered_by_someone_else_moves_to_them() {
    skip_without!(without_moto);
    let sdk = setup::sdk().await;
    let sns = aws_sdk_sns::Client::new(&sdk);
    let fcm = platform_app(&sns, "fcm", "GCM").await;
    let w = world_with(&[("FCM_PLATFORM_APPLICATION_ARN", fcm.as_str())]).await;
    let router = w.env.api().unwrap();
    let group = create_group(&router, "alice", "Handover").await;
    for member in ["bob", "carol"] {
        join(&router, &group, "alice", member).await;
    }
    let phone = format!("phone-{}", uuid::Uuid::now_v7().simple());
    let register = "mutation($t: String!) { registerDevice(platform: FCM, token: $t) { id } }";
    api(&router, "bob", register, json!({"t": phone})).await;
    // The phone changes hands: carol signs in on it.
    api(&router, "carol", register, json!({"t": phone})).await;
    let devices = "{ myDevices { platform } }";
    let bobs = api(&router, "bob", devices, json!({})).await;
    assert_eq!(bobs["myDevices"], json!([]), "no longer bob's");
    let carols = api(&router, "carol", devices, json!({})).await;
    assert_eq!(carols["myDevices"], json!([{"platform": "FCM"}]));
    let unregister = "mutation($t: String!) { unregisterDevice(token: $t) }";
    let out = api(&router, "bob", unregister, json!({"t": phone})).await;
    assert_eq!(out["unregisterDevice"], false, "bob cannot remove carol's");

    pump(&w).await;
    let post = "mutation($g: ID!) { postMessage(input: {groupId: $g, body: \"hi\"}) { id } }";
    api(&router, "alice", post, json!({"g": group})).await;
    pump(&w).await;
    let sent = messages_for(&phone).await;
    assert_eq!(sent.len(), 1, "one notification, carol's: {sent:?}");
    let arn = endpoint_of(&phone).await;
    let alive = sns
        .get_endpoint_attributes()
        .endpoint_arn(&arn)
        .send()
        .await;
    assert!(alive.is_ok(), "the endpoint is still carol's: {alive:?}");

    // Back to bob, then unregistered: nobody holds it.
    api(&router, "bob", register, json!({"t": phone})).await;
    let out = api(&router, "bob", unregister, json!({"t": phone})).await;
    assert_eq!(out["unregisterDevice"], true);
    let carols = api(&router, "carol", devices, json!({})).await;
    assert_eq!(carols["myDevices"], json!([]));
}
