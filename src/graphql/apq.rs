//! Automatic persisted queries, Apollo's protocol: a client sends
//! `extensions.persistedQuery.sha256Hash` instead of the document; on
//! `PersistedQueryNotFound` it sends both once, and from then on the hash
//! alone (over GET too, so the URL is short and stable). async-graphql's
//! extension speaks the protocol; this module owns its cache.
//!
//! The cache is per process (on Lambda, per instance): a miss costs the
//! client one retry with the full document, never a wrong answer, since a
//! hash names exactly one document.

use async_graphql::extensions::apollo_persisted_queries::{
    ApolloPersistedQueries, CacheStorage, LruCacheStorage,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::Request;

/// Documents kept per process. Each is at most one request body.
pub const CAPACITY: usize = 1_000;

/// The message (and, with its code, the error) a client sees on a miss.
pub const NOT_FOUND: &str = "PersistedQueryNotFound";
pub const NOT_FOUND_CODE: &str = "PERSISTED_QUERY_NOT_FOUND";

/// The hash → document cache, shared by the schema's extension and the
/// HTTP layer (which checks what a hash-only GET would run).
#[derive(Clone)]
pub struct PersistedQueries(LruCacheStorage);

impl Default for PersistedQueries {
    fn default() -> Self {
        Self(LruCacheStorage::new(CAPACITY))
    }
}

impl PersistedQueries {
    /// The schema extension that answers the protocol from this cache.
    pub fn extension(&self) -> ApolloPersistedQueries<LruCacheStorage> {
        ApolloPersistedQueries::new(self.0.clone())
    }

    /// The cached document a hash-only request names, if any.
    pub async fn document(&self, request: &Request) -> Option<ExecutableDocument> {
        if !request.query.is_empty() {
            return None;
        }
        let persisted = request.extensions.get("persistedQuery")?;
        let async_graphql::Value::Object(fields) = persisted else {
            return None;
        };
        match fields.get("sha256Hash")? {
            async_graphql::Value::String(hash) => self.0.get(hash.clone()).await,
            _ => None,
        }
    }
}
