//! Attachments on the AWS path, against moto's S3: the `api` function
//! presigns a PUT that moto accepts, the post checks the object with HEAD
//! and re-tags it `attached`, the signed GET returns the bytes, and a
//! delete removes the object. moto does not enforce what a presigned PUT
//! signs (it stores another type or length too): the signing is proven in
//! `delivery::s3`'s unit tests, and here the post's check refuses such an
//! object.

use super::delivery::{api, create_group};
use crate::helpers::token;
use crate::skip::skip_without;
use serde_json::{json, Value};

pub(super) const UPLOAD: &str = "mutation($g: ID!, $size: Int!) {
  createUpload(input: {groupId: $g, filename: \"cat.png\", contentType: \"image/png\", size: $size}) {
    url headers { name value } attachment { id } } }";
const POST: &str = "mutation($g: ID!, $files: [ID!]) {
  postMessage(input: {groupId: $g, body: \"\", attachmentIds: $files}) {
    id attachments { filename url } } }";

pub(super) async fn put(ticket: &Value, body: &[u8], content_type: &str) -> reqwest::StatusCode {
    let mut request = reqwest::Client::new().put(ticket["url"].as_str().unwrap());
    for header in ticket["headers"].as_array().unwrap() {
        let name = header["name"].as_str().unwrap();
        let value = match name {
            n if n.eq_ignore_ascii_case("content-type") => content_type,
            // reqwest sets the length from the body.
            n if n.eq_ignore_ascii_case("content-length") => continue,
            _ => header["value"].as_str().unwrap(),
        };
        request = request.header(name, value);
    }
    request.body(body.to_vec()).send().await.unwrap().status()
}

async fn tag_of(s3: &aws_sdk_s3::Client, bucket: &str, key: &str) -> String {
    let tags = s3
        .get_object_tagging()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .unwrap();
    let tag = tags.tag_set().iter().find(|t| t.key() == "chorus-upload");
    tag.map(|t| t.value().to_owned()).unwrap_or_default()
}

#[tokio::test]
async fn a_photo_goes_to_s3_with_a_presigned_put_and_comes_back_signed() {
    skip_without!(without_moto);
    let bucket = format!("uploads-{}", uuid::Uuid::now_v7().simple());
    let w = super::world_with(&[("UPLOADS_BUCKET", &bucket)]).await;
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&w.env.sdk)
            .force_path_style(true)
            .build(),
    );
    s3.create_bucket().bucket(&bucket).send().await.unwrap();
    let router = w.env.api().unwrap();
    let group = create_group(&router, "alice", "Club").await;
    let png = crate::attachments::PNG;

    let ticket = api(
        &router,
        "alice",
        UPLOAD,
        json!({"g": group, "size": png.len()}),
    )
    .await;
    let ticket = &ticket["createUpload"];
    let url = ticket["url"].as_str().unwrap();
    assert!(url.contains("X-Amz-Signature="), "{url}");
    assert_eq!(put(ticket, png, "image/png").await, reqwest::StatusCode::OK);
    let id = ticket["attachment"]["id"].as_str().unwrap();
    let key = format!("{group}/{id}");
    assert_eq!(tag_of(&s3, &bucket, &key).await, "pending");

    let posted = api(&router, "alice", POST, json!({"g": group, "files": [id]})).await;
    let message = &posted["postMessage"];
    assert_eq!(
        tag_of(&s3, &bucket, &key).await,
        "attached",
        "kept from the lifecycle rule"
    );
    let download = message["attachments"][0]["url"].as_str().unwrap();
    let got = reqwest::get(download).await.unwrap();
    assert_eq!(got.status(), reqwest::StatusCode::OK);
    assert_eq!(&got.bytes().await.unwrap()[..], png);

    // moto takes another type and length on the signed URL; the post does not.
    let other = api(
        &router,
        "alice",
        UPLOAD,
        json!({"g": group, "size": png.len()}),
    )
    .await;
    let other = &other["createUpload"];
    let status = put(other, b"not a png at all", "text/plain").await;
    assert_eq!(
        status,
        reqwest::StatusCode::OK,
        "moto does not enforce the signature"
    );
    let oid = other["attachment"]["id"].as_str().unwrap();
    let refused = super::graphql(
        &router,
        &token("alice"),
        POST,
        json!({"g": group, "files": [oid]}),
    )
    .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{refused}"
    );

    // Deleting the message deletes its object.
    let delete = "mutation($m: ID!) { deleteMessage(id: $m) { attachments { url } } }";
    let deleted = api(&router, "alice", delete, json!({"m": message["id"]})).await;
    assert_eq!(deleted["deleteMessage"]["attachments"], json!([]));
    let head = s3.head_object().bucket(&bucket).key(&key).send().await;
    assert!(head.is_err(), "the object is gone");
}
