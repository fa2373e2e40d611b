//! Attachments' bytes in S3 on AWS: clients PUT and GET them with URLs
//! presigned here (`aws-sdk-s3`'s presigning; the bytes never pass through
//! a Lambda). An upload's PUT signs its content type, its length and the
//! tag `chorus-upload=pending` in; the bucket's lifecycle rule deletes
//! objects still tagged so a day later, and attaching one re-tags it
//! `attached`.

use crate::domain::attachment::{content_disposition, Attachment, StoredObject};
use crate::service::ports::{FileStorage, SignedRequest, StorageError};
use async_trait::async_trait;
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::types::{Tag, Tagging};
use std::time::Duration;

/// The tag the lifecycle rule expires uploads by.
pub const UPLOAD_TAG: &str = "chorus-upload";
pub const PENDING: &str = "pending";
pub const ATTACHED: &str = "attached";

fn failed(err: impl std::error::Error + Send + Sync + 'static) -> StorageError {
    StorageError(Box::new(err))
}

pub struct S3Files {
    client: aws_sdk_s3::Client,
    bucket: String,
}

impl S3Files {
    /// A client for `bucket`. With an endpoint of its own (moto, a local
    /// S3), addresses are path-style; AWS's own use the bucket's host.
    pub fn new(sdk: &aws_config::SdkConfig, bucket: String) -> Self {
        let mut config = aws_sdk_s3::config::Builder::from(sdk)
            // A checksum of the (absent) body would be signed into the URL.
            .request_checksum_calculation(
                aws_sdk_s3::config::RequestChecksumCalculation::WhenRequired,
            );
        if sdk.endpoint_url().is_some() {
            config = config.force_path_style(true);
        }
        Self {
            client: aws_sdk_s3::Client::from_conf(config.build()),
            bucket,
        }
    }

    /// A presigned GET of `key`, served with `content_type` (if given) and
    /// `disposition`.
    async fn signed_get(
        &self,
        key: &str,
        content_type: Option<&str>,
        disposition: &str,
        valid: Duration,
    ) -> Result<String, StorageError> {
        let config = PresigningConfig::expires_in(valid).map_err(failed)?;
        let presigned = (self.client.get_object())
            .bucket(&self.bucket)
            .key(key)
            .set_response_content_type(content_type.map(str::to_owned))
            .response_content_disposition(disposition)
            .presigned(config)
            .await
            .map_err(failed)?;
        Ok(presigned.uri().to_owned())
    }

    async fn tag(&self, key: &str, value: &str) -> Result<(), StorageError> {
        let tag = Tag::builder()
            .key(UPLOAD_TAG)
            .value(value)
            .build()
            .map_err(failed)?;
        let tagging = Tagging::builder().tag_set(tag).build().map_err(failed)?;
        self.client
            .put_object_tagging()
            .bucket(&self.bucket)
            .key(key)
            .tagging(tagging)
            .send()
            .await
            .map_err(failed)?;
        Ok(())
    }
}

#[async_trait]
impl FileStorage for S3Files {
    async fn upload_request(
        &self,
        attachment: &Attachment,
        valid: Duration,
    ) -> Result<SignedRequest, StorageError> {
        let config = PresigningConfig::expires_in(valid).map_err(failed)?;
        let presigned = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(attachment.object_key())
            .content_type(&attachment.content_type)
            .content_length(i64::try_from(attachment.size).unwrap_or(i64::MAX))
            .tagging(format!("{UPLOAD_TAG}={PENDING}"))
            .presigned(config)
            .await
            .map_err(failed)?;
        Ok(SignedRequest {
            url: presigned.uri().to_owned(),
            headers: presigned
                .headers()
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect(),
        })
    }

    async fn download_url(
        &self,
        attachment: &Attachment,
        valid: Duration,
    ) -> Result<String, StorageError> {
        let disposition = content_disposition(attachment.is_inline(), &attachment.filename);
        let key = attachment.object_key();
        self.signed_get(&key, Some(&attachment.content_type), &disposition, valid)
            .await
    }

    async fn stored(&self, attachment: &Attachment) -> Result<Option<StoredObject>, StorageError> {
        let head = self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(attachment.object_key())
            .send()
            .await;
        match head {
            Ok(head) => Ok(Some(StoredObject {
                size: head
                    .content_length()
                    .and_then(|n| u64::try_from(n).ok())
                    .unwrap_or(0),
                content_type: head.content_type().unwrap_or_default().to_owned(),
            })),
            Err(err) if err.as_service_error().is_some_and(|e| e.is_not_found()) => Ok(None),
            Err(err) => Err(failed(err)),
        }
    }

    async fn keep(&self, attachment: &Attachment) -> Result<(), StorageError> {
        self.tag(&attachment.object_key(), ATTACHED).await
    }

    async fn delete(&self, attachments: &[Attachment]) -> Result<(), StorageError> {
        let deletes = attachments.iter().map(|a| {
            self.client
                .delete_object()
                .bucket(&self.bucket)
                .key(a.object_key())
                .send()
        });
        for result in futures_util::future::join_all(deletes).await {
            result.map_err(failed)?;
        }
        Ok(())
    }

    fn expires_strays(&self) -> bool {
        true
    }

    async fn put_document(
        &self,
        key: &str,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> Result<(), StorageError> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .body(bytes.into())
            .send()
            .await
            .map_err(failed)?;
        Ok(())
    }

    async fn document_url(
        &self,
        key: &str,
        filename: &str,
        valid: Duration,
    ) -> Result<String, StorageError> {
        let disposition = content_disposition(false, filename);
        self.signed_get(key, None, &disposition, valid).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::attachment::{Declared, UploadRules};

    fn files() -> S3Files {
        let sdk = aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("eu-west-1"))
            .credentials_provider(aws_sdk_s3::config::SharedCredentialsProvider::new(
                aws_sdk_s3::config::Credentials::new("AKIDEXAMPLE", "secret", None, None, "test"),
            ))
            .build();
        S3Files::new(&sdk, "uploads".into())
    }

    fn attachment(filename: &str, content_type: &str) -> Attachment {
        let declared = Declared {
            filename: filename.into(),
            content_type: content_type.into(),
            size: 1234,
            width: None,
            height: None,
        };
        let user = crate::domain::UserId::parse("ann").unwrap();
        let group = crate::domain::GroupId::generate();
        UploadRules::default()
            .admit(declared, group, user, crate::domain::now())
            .unwrap()
    }

    fn query(url: &str) -> Vec<(String, String)> {
        let (_, query) = url.split_once('?').unwrap();
        form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect()
    }

    fn param(url: &str, name: &str) -> String {
        let found = query(url).into_iter().find(|(k, _)| k == name);
        found.map(|(_, v)| v).unwrap_or_default()
    }

    #[tokio::test]
    async fn an_upload_url_signs_its_type_length_and_pending_tag_in_for_15_minutes() {
        let a = attachment("cat.png", "image/png");
        let ticket = files()
            .upload_request(&a, Duration::from_secs(900))
            .await
            .unwrap();
        assert!(ticket.url.contains(&a.object_key()), "{}", ticket.url);
        let signed = param(&ticket.url, "X-Amz-SignedHeaders");
        let signed: Vec<&str> = signed.split(';').collect();
        for header in ["content-length", "content-type", "host", "x-amz-tagging"] {
            assert!(signed.contains(&header), "{header} not signed: {signed:?}");
        }
        assert_eq!(param(&ticket.url, "X-Amz-Expires"), "900");
        let header = |name: &str| {
            let found = ticket
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name));
            found.map(|(_, v)| v.clone()).unwrap_or_default()
        };
        assert_eq!(header("content-type"), "image/png");
        assert_eq!(header("content-length"), "1234");
        assert_eq!(header("x-amz-tagging"), "chorus-upload=pending");
        assert!(
            !ticket.url.contains("x-amz-checksum") && !ticket.url.contains("x-amz-sdk-checksum"),
            "no checksum of an empty body: {}",
            ticket.url
        );
    }

    #[tokio::test]
    async fn a_download_url_names_the_type_and_downloads_anything_but_images() {
        let files = files();
        let pdf = attachment("report 1.pdf", "application/pdf");
        let url = files
            .download_url(&pdf, Duration::from_secs(3600))
            .await
            .unwrap();
        assert_eq!(param(&url, "response-content-type"), "application/pdf");
        assert_eq!(
            param(&url, "response-content-disposition"),
            "attachment; filename*=UTF-8''report%201%2Epdf"
        );
        assert_eq!(param(&url, "X-Amz-Expires"), "3600");
        let png = attachment("cat.png", "image/png");
        let url = files
            .download_url(&png, Duration::from_secs(3600))
            .await
            .unwrap();
        assert!(param(&url, "response-content-disposition").starts_with("inline;"));
    }

    #[tokio::test]
    async fn a_document_url_is_a_signed_download_of_its_key_for_the_time_given() {
        let url = files()
            .document_url(
                "exports/ex_1",
                "chorus-export.json",
                Duration::from_secs(86_000),
            )
            .await
            .unwrap();
        assert!(
            url.contains("uploads.s3.") && url.contains("/exports/ex_1?"),
            "{url}"
        );
        assert_eq!(param(&url, "X-Amz-Expires"), "86000");
        assert!(!param(&url, "X-Amz-Signature").is_empty());
        assert_eq!(param(&url, "response-content-type"), "", "none forced");
        assert!(param(&url, "response-content-disposition").starts_with("attachment;"));
    }
}
