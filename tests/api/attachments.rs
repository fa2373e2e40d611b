//! Attachments on the local server, over HTTP: a ticket, the PUT of the
//! bytes to its URL, the post naming them, the signed download; bad
//! uploads and bad attachments refused with nothing changed; a deleted
//! message's files and never-attached uploads gone.

use crate::helpers::{spawn_app, spawn_app_with, Client};
use serde_json::{json, Value};

const UPLOAD: &str = "mutation($g: ID!, $name: String!, $type: String!, $size: Int!) {
  createUpload(input: {groupId: $g, filename: $name, contentType: $type, size: $size, width: 1, height: 1}) {
    url method expiresAt headers { name value }
    attachment { id filename contentType size width height url }
  } }";
pub const POST: &str = "mutation($g: ID!, $body: String!, $files: [ID!], $cid: String) {
  postMessage(input: {groupId: $g, body: $body, attachmentIds: $files, clientMessageId: $cid}) {
    id body attachments { id filename contentType size url } } }";

/// A tiny PNG (1x1, transparent).
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

pub async fn ticket(
    client: &Client<'_>,
    group: &str,
    name: &str,
    kind: &str,
    size: usize,
) -> Value {
    let vars = json!({"g": group, "name": name, "type": kind, "size": size});
    client.ok(UPLOAD, vars).await["createUpload"].clone()
}

/// PUTs `body` to the ticket's URL with its headers (a `content_type`
/// given replaces the signed one).
pub async fn put(ticket: &Value, body: &[u8], content_type: Option<&str>) -> reqwest::StatusCode {
    let mut request = reqwest::Client::new().put(ticket["url"].as_str().unwrap());
    for header in ticket["headers"].as_array().unwrap() {
        let name = header["name"].as_str().unwrap();
        let value = match content_type {
            Some(kind) if name.eq_ignore_ascii_case("content-type") => kind,
            _ => header["value"].as_str().unwrap(),
        };
        request = request.header(name, value);
    }
    request.body(body.to_vec()).send().await.unwrap().status()
}

#[tokio::test]
async fn a_photo_goes_up_with_its_ticket_is_posted_and_comes_back_from_its_url() {
    let app = spawn_app().await;
    let (alice, bob, eve) = (app.user("alice"), app.user("bob"), app.user("eve"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    let photo = ticket(&bob, &g, "cat.png", "image/png", PNG.len()).await;
    assert_eq!(photo["method"], "PUT");
    let url = photo["url"].as_str().unwrap();
    assert!(url.starts_with(&app.url("/uploads/")), "{url}");
    assert_eq!(
        photo["headers"],
        json!([{"name": "Content-Type", "value": "image/png"}])
    );
    let file = &photo["attachment"];
    assert_eq!(file["url"], Value::Null, "no URL before a message holds it");
    assert_eq!(
        (file["width"].clone(), file["size"].clone()),
        (json!(1), json!(PNG.len()))
    );
    assert_eq!(put(&photo, PNG, None).await, reqwest::StatusCode::OK);

    let id = file["id"].as_str().unwrap();
    let posted = bob
        .ok(POST, json!({"g": g, "body": "", "files": [id]}))
        .await;
    let message = &posted["postMessage"];
    assert_eq!(message["body"], "");
    assert_eq!(message["attachments"][0]["filename"], "cat.png");
    let download = message["attachments"][0]["url"].as_str().unwrap();
    let got = reqwest::get(download).await.unwrap();
    assert_eq!(got.status(), reqwest::StatusCode::OK);
    let header = |name: &str| got.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "image/png");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert!(header("content-disposition").starts_with("inline;"));
    assert_eq!(&got.bytes().await.unwrap()[..], PNG);

    // Members see it; others see nothing of it.
    let node = "query($id: ID!) { node(id: $id) { ... on Attachment { filename url } } }";
    let seen = alice.ok(node, json!({"id": id})).await;
    assert_eq!(seen["node"]["filename"], "cat.png");
    assert_eq!(eve.ok(node, json!({"id": id})).await["node"], Value::Null);

    // Anything but an image downloads.
    let notes = ticket(&bob, &g, "notes.txt", "text/plain", 5).await;
    put(&notes, b"hello", None).await;
    let nid = notes["attachment"]["id"].as_str().unwrap();
    let posted = bob
        .ok(POST, json!({"g": g, "body": "notes", "files": [nid]}))
        .await;
    let download = posted["postMessage"]["attachments"][0]["url"]
        .as_str()
        .unwrap();
    let got = reqwest::get(download).await.unwrap();
    assert_eq!(
        got.headers()["content-disposition"].to_str().unwrap(),
        "attachment; filename*=UTF-8''notes%2Etxt"
    );
}

#[tokio::test]
async fn bad_uploads_and_bad_attachments_are_refused_and_change_nothing() {
    let app = spawn_app_with(&[("CHORUS_MAX_UPLOAD_BYTES", "100")]).await;
    let (alice, bob, eve) = (app.user("alice"), app.user("bob"), app.user("eve"));
    let g = alice.create_group("Club").await;
    let other = alice.create_group("Other").await;
    alice.admit(&g, &bob).await;
    let upload = |name: &'static str, kind: &'static str, size: i64| json!({"g": g, "name": name, "type": kind, "size": size});
    assert_eq!(
        alice.err(UPLOAD, upload("x.html", "text/html", 5)).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        alice.err(UPLOAD, upload("x.png", "image/png", 0)).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        alice.err(UPLOAD, upload("x.png", "image/png", 101)).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        alice.err(UPLOAD, upload("../x.png", "image/png", 5)).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        eve.err(UPLOAD, upload("x.png", "image/png", 5)).await,
        "FORBIDDEN"
    );

    // The PUT must be exactly what was signed.
    let photo = ticket(&alice, &g, "a.png", "image/png", 5).await;
    let forbidden = reqwest::StatusCode::FORBIDDEN;
    assert_eq!(put(&photo, b"12345", Some("text/plain")).await, forbidden);
    assert_eq!(put(&photo, b"123456", None).await, forbidden);
    let mut forged = photo.clone();
    let url = photo["url"].as_str().unwrap();
    let (head, _) = url.split_once("&sig=").unwrap();
    forged["url"] = json!(format!("{head}&sig={}", "0".repeat(64)));
    assert_eq!(put(&forged, b"12345", None).await, forbidden);
    let later = url.replacen("expires=", "expires=9", 1);
    forged["url"] = json!(later);
    assert_eq!(
        put(&forged, b"12345", None).await,
        forbidden,
        "expiry is signed"
    );
    let too_big = ticket(&alice, &g, "b.png", "image/png", 100).await;
    assert_eq!(
        put(&too_big, &[0; 101], None).await,
        reqwest::StatusCode::PAYLOAD_TOO_LARGE
    );

    // Posting: not uploaded, another's, another group's, twice, eleven.
    let id = photo["attachment"]["id"].as_str().unwrap();
    let files = |ids: Value| json!({"g": g, "body": "hi", "files": ids});
    assert_eq!(alice.err(POST, files(json!([id]))).await, "BAD_USER_INPUT");
    assert_eq!(put(&photo, b"12345", None).await, reqwest::StatusCode::OK);
    assert_eq!(bob.err(POST, files(json!([id]))).await, "NOT_FOUND");
    let elsewhere = json!({"g": other, "body": "hi", "files": [id]});
    assert_eq!(alice.err(POST, elsewhere).await, "NOT_FOUND");
    let unknown = files(json!(["at_unknown"]));
    assert_eq!(alice.err(POST, unknown).await, "NOT_FOUND");
    let eleven: Vec<String> = (0..11).map(|i| format!("at_{i}")).collect();
    assert_eq!(
        alice.err(POST, files(json!(eleven))).await,
        "BAD_USER_INPUT"
    );
    let empty = json!({"g": g, "body": "", "files": []});
    assert_eq!(
        alice.err(POST, empty).await,
        "BAD_USER_INPUT",
        "no text, no file"
    );
    assert_eq!(alice.message_count(&g).await, 0, "nothing posted");

    // A retry with its client id is the first message; another send, CONFLICT.
    let first = json!({"g": g, "body": "hi", "files": [id], "cid": "c1"});
    let posted = alice.ok(POST, first.clone()).await["postMessage"]["id"].clone();
    let again = alice.ok(POST, first).await["postMessage"]["id"].clone();
    assert_eq!(posted, again);
    assert_eq!(alice.err(POST, files(json!([id]))).await, "CONFLICT");
    assert_eq!(alice.message_count(&g).await, 1);
}

/// The query of a signed path, as the upload route reads it.
fn query_of(url: &str) -> std::collections::HashMap<String, String> {
    let (_, query) = url.split_once('?').unwrap();
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

#[tokio::test]
async fn a_deleted_messages_files_and_a_days_old_stray_upload_are_gone() {
    use chorus::domain::attachment::Declared;
    let config = chorus::config::Config::from_lookup(|_| None).unwrap();
    let (store, _keep) = crate::helpers::test_store().await;
    let parts = chorus::app::local_service_and_schema(&config, store.clone()).unwrap();
    let (service, files) = (parts.service, parts.files.unwrap());
    let alice = chorus::domain::user::Profile {
        id: chorus::domain::UserId::parse("alice").unwrap(),
        name: "Alice".into(),
        email: None,
        picture_url: None,
    };
    service.sign_in(&alice).await.unwrap();
    let new = chorus::domain::group::NewGroup {
        name: chorus::domain::text::group_name("Club").unwrap(),
        description: None,
        visibility: Default::default(),
    };
    let group = service.create_group(&alice.id, new).await.unwrap();
    let mut uploaded = Vec::new();
    for name in ["kept.png", "posted.png", "stray.png"] {
        let declared = Declared {
            filename: name.into(),
            content_type: "image/png".into(),
            size: PNG.len() as i64,
            width: None,
            height: None,
        };
        let ticket = service
            .create_upload(&alice.id, &group.id, declared)
            .await
            .unwrap();
        let key = ticket.attachment.object_key();
        let query = query_of(&ticket.request.url);
        files
            .put(&key, &query, "image/png", bytes::Bytes::from_static(PNG))
            .unwrap();
        uploaded.push(ticket.attachment);
    }
    let [kept, posted, stray] = [0, 1, 2].map(|i| uploaded[i].clone());
    let body = || chorus::domain::text::message_body("with a file").unwrap();
    for file in [&kept, &posted] {
        let ids = [file.id.clone()];
        service
            .post_message(&alice.id, &group.id, body(), None, &ids)
            .await
            .unwrap();
    }
    let held = store
        .attachments(std::slice::from_ref(&posted.id))
        .await
        .unwrap();
    let message = held[0].message_id.clone().unwrap();
    service.delete_message(&alice.id, &message).await.unwrap();
    let mut keys = files.keys();
    keys.sort();
    let mut expected = vec![kept.object_key(), stray.object_key()];
    expected.sort();
    assert_eq!(keys, expected, "the deleted message's file went with it");
    assert!(store
        .attachments(std::slice::from_ref(&posted.id))
        .await
        .unwrap()
        .is_empty());

    // A sweep now takes nothing; a day later, the stray upload only.
    let now = chorus::domain::now();
    assert_eq!(service.sweep_uploads(now).await.unwrap(), 0);
    let later = now + chrono::Duration::hours(25);
    assert_eq!(service.sweep_uploads(later).await.unwrap(), 1);
    assert_eq!(files.keys(), vec![kept.object_key()]);
    let left = store
        .attachments(&[kept.id.clone(), stray.id.clone()])
        .await
        .unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id, kept.id);
    assert_eq!(service.sweep_uploads(later).await.unwrap(), 0, "kept stays");
}
