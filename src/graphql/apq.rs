//! Automatic persisted queries, Apollo's protocol: a client sends
//! `extensions.persistedQuery.sha256Hash` instead of the document; on
//! `PersistedQueryNotFound` it sends both once, and from then on the hash
//! alone (over GET too, so the URL is short and stable).
//!
//! The cache is per process (on Lambda, per instance): a miss costs the
//! client one retry with the full document, never a wrong answer, since a
//! hash names exactly one document. What it keeps is bounded by bytes, not
//! by count, and it keeps only what cannot be used to grow it for free:
//!
//! - a hash is registered only for a signed-in caller's document, and only
//!   once the document has passed the limits guard and validation;
//! - documents over [`MAX_DOCUMENT_BYTES`] are run but never kept;
//! - the text is kept, not the parsed document, so a hit parses a small
//!   document again instead of cloning a syntax tree that can be a hundred
//!   times the size of its text.

use super::context::signed_in;
use super::errors::PERSISTED_QUERY_NOT_FOUND;
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest, NextValidation,
};
use async_graphql::{Request, ServerError, ServerResult, ValidationResult};
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex};

/// Bytes of document text the cache keeps per process.
pub const BUDGET_BYTES: usize = 4 * 1024 * 1024;
/// The largest document kept; a larger one runs but is not registered.
pub const MAX_DOCUMENT_BYTES: usize = 32 * 1024;

/// The hash → document text cache, shared by the schema's extension and
/// the HTTP layer (which checks what a hash-only GET would run).
#[derive(Clone)]
pub struct PersistedQueries(Arc<Mutex<Cache>>);

struct Cache {
    entries: lru::LruCache<String, Arc<str>>,
    bytes: usize,
    budget: usize,
}

impl Default for PersistedQueries {
    fn default() -> Self {
        Self::with_budget(BUDGET_BYTES)
    }
}

impl PersistedQueries {
    pub fn with_budget(budget: usize) -> Self {
        Self(Arc::new(Mutex::new(Cache {
            entries: lru::LruCache::unbounded(),
            bytes: 0,
            budget,
        })))
    }

    /// The schema extension that serves the protocol from this cache.
    pub fn extension(&self) -> Persisted {
        Persisted(self.clone())
    }

    /// The document text a hash names, if it is kept.
    pub fn get(&self, hash: &str) -> Option<Arc<str>> {
        let mut cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
        cache.entries.get(hash).cloned()
    }

    /// Keeps `text` under `hash`, dropping the least recently used
    /// documents until the budget holds. Text over the size limit is not
    /// kept.
    pub fn put(&self, hash: String, text: &str) {
        if text.len() > MAX_DOCUMENT_BYTES {
            return;
        }
        let mut cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if cache.entries.contains(&hash) {
            cache.entries.promote(&hash);
            return;
        }
        cache.bytes += text.len() + hash.len();
        cache.entries.put(hash, Arc::from(text));
        while cache.bytes > cache.budget {
            let Some((hash, text)) = cache.entries.pop_lru() else {
                break;
            };
            cache.bytes -= text.len() + hash.len();
        }
    }

    /// Bytes of text kept now.
    pub fn bytes(&self) -> usize {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).bytes
    }

    /// Fills in the document of a hash-only request from the cache (the
    /// HTTP layer's GET check); a request with its document, or a hash not
    /// kept, is left as it is.
    pub fn fill(&self, request: &mut Request) {
        if !request.query.is_empty() {
            return;
        }
        if let Some(Ok(persisted)) = persisted_query(request) {
            if let Some(text) = self.get(&persisted.hash) {
                request.query = text.to_string();
            }
        }
    }
}

/// The `persistedQuery` extension of a request.
struct PersistedQuery {
    version: i64,
    hash: String,
}

fn persisted_query(request: &Request) -> Option<Result<PersistedQuery, ServerError>> {
    let value = request.extensions.get("persistedQuery")?;
    let invalid = || ServerError::new("Invalid \"PersistedQuery\" extension configuration.", None);
    let async_graphql::Value::Object(fields) = value else {
        return Some(Err(invalid()));
    };
    let version = match fields.get("version") {
        Some(async_graphql::Value::Number(n)) => n.as_i64(),
        _ => None,
    };
    let hash = match fields.get("sha256Hash") {
        Some(async_graphql::Value::String(hash)) => Some(hash.clone()),
        _ => None,
    };
    Some(match (version, hash) {
        (Some(version), Some(hash)) => Ok(PersistedQuery { version, hash }),
        _ => Err(invalid()),
    })
}

fn sha256_hex(text: &str) -> String {
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

/// The schema extension: returns a hash from the cache, and registers a
/// document once its request has passed validation.
pub struct Persisted(PersistedQueries);

impl ExtensionFactory for Persisted {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(PersistedExtension {
            cache: self.0.clone(),
            pending: Mutex::new(None),
        })
    }
}

/// One request's view: the document it may register after validation.
struct PersistedExtension {
    cache: PersistedQueries,
    pending: Mutex<Option<(String, String)>>,
}

#[async_trait::async_trait]
impl Extension for PersistedExtension {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let Some(persisted) = persisted_query(&request) else {
            return next.run(ctx, request).await;
        };
        let persisted = persisted?;
        request.extensions.remove("persistedQuery");
        if persisted.version != 1 {
            return Err(ServerError::new(
                format!(
                    "Only version 1 of the \"PersistedQuery\" extension is supported, not {}.",
                    persisted.version
                ),
                None,
            ));
        }
        if request.query.is_empty() {
            let text = self
                .cache
                .get(&persisted.hash)
                .ok_or_else(|| ServerError::new(PERSISTED_QUERY_NOT_FOUND, None))?;
            request.query = text.to_string();
        } else if sha256_hex(&request.query) != persisted.hash {
            return Err(ServerError::new("provided sha does not match query", None));
        } else if signed_in(&request) && request.query.len() <= MAX_DOCUMENT_BYTES {
            let pending = (persisted.hash, request.query.clone());
            *self.pending.lock().unwrap_or_else(|e| e.into_inner()) = Some(pending);
        }
        next.run(ctx, request).await
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        let pending = self
            .pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some((hash, text)) = pending {
            self.cache.put(hash, &text);
        }
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_keeps_to_its_byte_budget_dropping_the_least_recently_used() {
        let cache = PersistedQueries::with_budget(3 * (1_000 + 64));
        for n in 0..3 {
            cache.put(format!("{n:064}"), &"x".repeat(1_000));
        }
        assert!(cache.get(&format!("{:064}", 0)).is_some());
        cache.put(format!("{:064}", 3), &"y".repeat(1_000));
        assert!(cache.bytes() <= 3 * 1_064);
        assert!(cache.get(&format!("{:064}", 1)).is_none(), "oldest unused");
        assert!(cache.get(&format!("{:064}", 0)).is_some(), "used recently");
        assert!(cache.get(&format!("{:064}", 3)).is_some());
    }

    #[test]
    fn documents_over_the_size_limit_are_not_kept() {
        let cache = PersistedQueries::default();
        cache.put("h".into(), &"x".repeat(MAX_DOCUMENT_BYTES + 1));
        assert!(cache.get("h").is_none());
        assert_eq!(cache.bytes(), 0);
    }
}
