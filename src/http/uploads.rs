//! The local server's file storage: attachments' bytes kept in this
//! process's memory (like the embedded store, gone at exit), uploaded and
//! downloaded by clients under `/uploads/...` with URLs this process signs
//! (HMAC-SHA-256 with a key made at start, an expiry in the query string),
//! the same two-step flow as S3's presigned URLs. The URLs are paths: the
//! schema puts the server's address in front. It implements the service's
//! `FileStorage` port and serves the two routes.

use crate::domain::attachment::{Attachment, StoredObject};
use crate::service::ports::{FileStorage, SignedRequest, StorageError};
use async_trait::async_trait;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use parking_lot::Mutex;
use ring::hmac;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// The most bytes all uploads together hold in memory.
pub const MAX_TOTAL_BYTES: u64 = 1 << 30;

/// One stored file.
#[derive(Clone)]
pub struct LocalFile {
    pub bytes: bytes::Bytes,
    pub content_type: String,
}

/// What a signed upload URL allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadGrant {
    pub content_type: String,
    pub size: u64,
}

/// How a signed download is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadGrant {
    pub inline: bool,
    pub filename: String,
}

/// Why a request under `/uploads` is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Missing, wrong or expired signature, or not the signed type and
    /// length (both are signed in).
    Signature,
    /// The process holds `MAX_TOTAL_BYTES` already.
    Full,
    NotFound,
}

pub struct LocalFiles {
    key: hmac::Key,
    files: Mutex<HashMap<String, LocalFile>>,
}

impl Default for LocalFiles {
    fn default() -> Self {
        Self::new()
    }
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

impl LocalFiles {
    pub fn new() -> Self {
        let mut secret = [0u8; 32];
        // A key for this process only: its files go with it.
        getrandom::fill(&mut secret).unwrap_or_default();
        Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, &secret),
            files: Mutex::new(HashMap::new()),
        }
    }

    fn sign(&self, parts: &[&str]) -> String {
        let tag = hmac::sign(&self.key, parts.join("\n").as_bytes());
        hex(tag.as_ref())
    }

    fn verify(&self, parts: &[&str], signature: &str, expires: u64) -> Result<(), Refusal> {
        if expires < now_secs() {
            return Err(Refusal::Signature);
        }
        let Some(tag) = unhex(signature) else {
            return Err(Refusal::Signature);
        };
        hmac::verify(&self.key, parts.join("\n").as_bytes(), &tag).map_err(|_| Refusal::Signature)
    }

    /// The signed PUT path of `key` for exactly `grant`.
    pub fn upload_path(&self, key: &str, grant: &UploadGrant, expires: u64) -> String {
        let size = grant.size.to_string();
        let expires_text = expires.to_string();
        let signature = self.sign(&["PUT", key, &grant.content_type, &size, &expires_text]);
        format!("/uploads/{key}?expires={expires}&sig={signature}")
    }

    /// The signed GET path of `key`.
    pub fn download_path(&self, key: &str, grant: &DownloadGrant, expires: u64) -> String {
        let disposition = if grant.inline { "inline" } else { "attachment" };
        let expires_text = expires.to_string();
        let signature = self.sign(&["GET", key, disposition, &grant.filename, &expires_text]);
        format!(
            "/uploads/{key}?expires={expires}&disposition={disposition}&name={}&sig={signature}",
            encode(&grant.filename)
        )
    }

    /// Stores an upload's bytes after checking its signature, type and
    /// length against what was signed.
    pub fn put(
        &self,
        key: &str,
        query: &HashMap<String, String>,
        content_type: &str,
        body: bytes::Bytes,
    ) -> Result<(), Refusal> {
        let expires = query
            .get("expires")
            .and_then(|e| e.parse().ok())
            .unwrap_or(0);
        let signature = query.get("sig").map_or("", String::as_str);
        let size = body.len() as u64;
        let size_text = size.to_string();
        let expires_text = expires.to_string();
        // The signature covers type and length: anything else fails it.
        self.verify(
            &["PUT", key, content_type, &size_text, &expires_text],
            signature,
            expires,
        )?;
        let mut files = self.files.lock();
        let held: u64 = files
            .iter()
            .filter(|(k, _)| k.as_str() != key)
            .map(|(_, f)| f.bytes.len() as u64)
            .sum();
        if held + size > MAX_TOTAL_BYTES {
            return Err(Refusal::Full);
        }
        files.insert(
            key.to_owned(),
            LocalFile {
                bytes: body,
                content_type: content_type.to_owned(),
            },
        );
        Ok(())
    }

    /// A file's bytes and how to serve them, after checking the signature.
    pub fn get(
        &self,
        key: &str,
        query: &HashMap<String, String>,
    ) -> Result<(LocalFile, DownloadGrant), Refusal> {
        let expires = query
            .get("expires")
            .and_then(|e| e.parse().ok())
            .unwrap_or(0);
        let signature = query.get("sig").map_or("", String::as_str);
        let disposition = query.get("disposition").map_or("", String::as_str);
        let filename = query.get("name").map_or("", String::as_str);
        let expires_text = expires.to_string();
        self.verify(
            &["GET", key, disposition, filename, &expires_text],
            signature,
            expires,
        )?;
        let file = self
            .files
            .lock()
            .get(key)
            .cloned()
            .ok_or(Refusal::NotFound)?;
        let grant = DownloadGrant {
            inline: disposition == "inline",
            filename: filename.to_owned(),
        };
        Ok((file, grant))
    }

    /// The keys stored now (for tests of what is kept and swept).
    pub fn keys(&self) -> Vec<String> {
        self.files.lock().keys().cloned().collect()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn expiry(valid: Duration) -> u64 {
    now_secs() + valid.as_secs()
}

#[async_trait]
impl FileStorage for LocalFiles {
    async fn upload_request(
        &self,
        attachment: &Attachment,
        valid: Duration,
    ) -> Result<SignedRequest, StorageError> {
        let grant = UploadGrant {
            content_type: attachment.content_type.clone(),
            size: attachment.size,
        };
        Ok(SignedRequest {
            url: self.upload_path(&attachment.object_key(), &grant, expiry(valid)),
            headers: vec![("Content-Type".into(), attachment.content_type.clone())],
        })
    }

    async fn download_url(
        &self,
        attachment: &Attachment,
        valid: Duration,
    ) -> Result<String, StorageError> {
        let grant = DownloadGrant {
            inline: attachment.is_inline(),
            filename: attachment.filename.clone(),
        };
        Ok(self.download_path(&attachment.object_key(), &grant, expiry(valid)))
    }

    async fn stored(&self, attachment: &Attachment) -> Result<Option<StoredObject>, StorageError> {
        let files = self.files.lock();
        Ok(files.get(&attachment.object_key()).map(|f| StoredObject {
            size: f.bytes.len() as u64,
            content_type: f.content_type.clone(),
        }))
    }

    async fn keep(&self, _attachment: &Attachment) -> Result<(), StorageError> {
        Ok(())
    }

    async fn delete(&self, attachments: &[Attachment]) -> Result<(), StorageError> {
        let mut files = self.files.lock();
        for attachment in attachments {
            files.remove(&attachment.object_key());
        }
        Ok(())
    }

    fn expires_strays(&self) -> bool {
        false
    }

    async fn put_document(
        &self,
        key: &str,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> Result<(), StorageError> {
        let file = LocalFile {
            bytes: bytes.into(),
            content_type: content_type.to_owned(),
        };
        self.files.lock().insert(key.to_owned(), file);
        Ok(())
    }

    async fn document_url(
        &self,
        key: &str,
        filename: &str,
        valid: Duration,
    ) -> Result<String, StorageError> {
        let grant = DownloadGrant {
            inline: false,
            filename: filename.to_owned(),
        };
        Ok(self.download_path(key, &grant, expiry(valid)))
    }
}

/// `PUT /uploads/{group}/{id}`: stores the bytes a signed URL allows.
pub async fn put(
    State(files): State<Arc<LocalFiles>>,
    Path((group, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: bytes::Bytes,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    match files.put(&format!("{group}/{id}"), &query, content_type, body) {
        Ok(()) => StatusCode::OK.into_response(),
        Err(refusal) => refused(refusal),
    }
}

/// `GET /uploads/{group}/{id}`: the bytes a signed URL allows, never
/// sniffed, downloaded unless an image.
pub async fn get(
    State(files): State<Arc<LocalFiles>>,
    Path((group, id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let (file, grant) = match files.get(&format!("{group}/{id}"), &query) {
        Ok(found) => found,
        Err(refusal) => return refused(refusal),
    };
    let disposition = crate::domain::attachment::content_disposition(grant.inline, &grant.filename);
    let mut response = file.bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&file.content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn refused(refusal: Refusal) -> Response {
    let (status, message) = match refusal {
        Refusal::Signature => (
            StatusCode::FORBIDDEN,
            "the signature does not match: wrong, expired, or not the signed type and length",
        ),
        Refusal::Full => (
            StatusCode::INSUFFICIENT_STORAGE,
            "the local server holds as many upload bytes as it keeps",
        ),
        Refusal::NotFound => (StatusCode::NOT_FOUND, "no such file"),
    };
    (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(path: &str) -> HashMap<String, String> {
        let (_, q) = path.split_once('?').unwrap();
        form_urlencoded::parse(q.as_bytes()).into_owned().collect()
    }

    #[test]
    fn a_signed_put_stores_exactly_the_signed_type_and_length() {
        let files = LocalFiles::new();
        let grant = UploadGrant {
            content_type: "image/png".into(),
            size: 3,
        };
        let path = files.upload_path("g/a", &grant, now_secs() + 60);
        let q = query(&path);
        let body = bytes::Bytes::from_static(b"abc");
        assert_eq!(
            files.put("g/a", &q, "text/plain", body.clone()),
            Err(Refusal::Signature),
            "another type"
        );
        let long = bytes::Bytes::from_static(b"abcd");
        assert_eq!(
            files.put("g/a", &q, "image/png", long),
            Err(Refusal::Signature),
            "another length"
        );
        assert_eq!(
            files.put("g/b", &q, "image/png", body.clone()),
            Err(Refusal::Signature),
            "another key"
        );
        let mut forged = q.clone();
        forged.insert("sig".into(), "00".repeat(32));
        assert_eq!(
            files.put("g/a", &forged, "image/png", body.clone()),
            Err(Refusal::Signature)
        );
        let expired = query(&files.upload_path("g/a", &grant, now_secs() - 1));
        assert_eq!(
            files.put("g/a", &expired, "image/png", body.clone()),
            Err(Refusal::Signature)
        );
        assert_eq!(files.put("g/a", &q, "image/png", body), Ok(()));
        assert_eq!(files.keys(), vec!["g/a".to_owned()]);
    }

    #[test]
    fn a_download_is_served_only_as_signed() {
        let files = LocalFiles::new();
        let grant = UploadGrant {
            content_type: "text/plain".into(),
            size: 2,
        };
        let put = query(&files.upload_path("g/a", &grant, now_secs() + 60));
        files
            .put("g/a", &put, "text/plain", bytes::Bytes::from_static(b"hi"))
            .unwrap();
        let download = DownloadGrant {
            inline: false,
            filename: "notes & more.txt".into(),
        };
        let get = query(&files.download_path("g/a", &download, now_secs() + 60));
        let (file, served) = files.get("g/a", &get).unwrap();
        assert_eq!(&file.bytes[..], b"hi");
        assert_eq!(served, download);
        let mut inline = get.clone();
        inline.insert("disposition".into(), "inline".into());
        assert!(
            files.get("g/a", &inline).is_err(),
            "the disposition is signed"
        );
        assert_eq!(files.get("g/b", &get).err(), Some(Refusal::Signature));
    }
}
