//! RS256 ID tokens verified against a JSON Web Key Set, loaded from a URL or
//! a file and cached.
//!
//! A token naming an unknown `kid` may trigger one refetch, under rules that
//! keep a flood of made-up `kid`s (or a failing identity provider) from
//! costing anything:
//! - known keys are read without waiting on any fetch (the cache lock is
//!   never held across I/O);
//! - refetches are single-flight: concurrent unknown `kid`s wait for the one
//!   fetch in progress, then read its result;
//! - at most one fetch per `min_refresh`, failed or not; a `kid` still
//!   unknown after a fetch is remembered as unknown for `min_refresh`;
//! - a key set over [`MAX_JWKS_BYTES`] or slower than [`FETCH_TIMEOUT`] is
//!   refused.

use super::{AuthError, Claims};
use crate::domain::error::Cause;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, TokenData, Validation};
use lru::LruCache;
use parking_lot::{Mutex, RwLock};
use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The largest key set accepted (real ones are a few KiB).
pub const MAX_JWKS_BYTES: usize = 1024 * 1024;
/// How long one key-set fetch may take.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// Unknown `kid`s remembered at most (the oldest are forgotten first).
const MAX_UNKNOWN_KIDS: NonZeroUsize = NonZeroUsize::new(10_000).unwrap();

#[derive(Debug, Clone)]
pub enum JwksSource {
    Url(String),
    File(PathBuf),
}

pub struct JwksVerifier {
    source: JwksSource,
    issuers: Vec<String>,
    audiences: Vec<String>,
    min_refresh: Duration,
    http: reqwest::Client,
    keys: RwLock<HashMap<String, DecodingKey>>,
    /// Unknown `kid`s and when they were found unknown; the least recently
    /// seen go first at the cap.
    unknown: Mutex<LruCache<String, Instant>>,
    /// Held only by the one caller fetching; the time of the last attempt.
    refresh: tokio::sync::Mutex<Option<Instant>>,
}

impl JwksVerifier {
    pub fn new(
        source: JwksSource,
        issuers: Vec<String>,
        audiences: Vec<String>,
        min_refresh: Duration,
    ) -> Self {
        let http = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Self {
            source,
            issuers,
            audiences,
            min_refresh,
            http,
            keys: RwLock::new(HashMap::new()),
            unknown: Mutex::new(LruCache::new(MAX_UNKNOWN_KIDS)),
            refresh: tokio::sync::Mutex::new(None),
        }
    }

    pub(super) async fn verify(
        &self,
        token: &str,
        kid: Option<&str>,
    ) -> Result<TokenData<Claims>, AuthError> {
        let kid = kid.ok_or(AuthError::UnknownKey)?;
        let key = match self.cached_key(kid) {
            Some(key) => key,
            None => self.refreshed_key(kid).await?,
        };
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&self.issuers);
        validation.set_audience(&self.audiences);
        validation.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
        validation.validate_nbf = true;
        validation.leeway = 30;
        Ok(jsonwebtoken::decode(token, &key, &validation)?)
    }

    fn cached_key(&self, kid: &str) -> Option<DecodingKey> {
        self.keys.read().get(kid).cloned()
    }

    fn known_unknown(&self, kid: &str) -> bool {
        self.unknown
            .lock()
            .get(kid)
            .is_some_and(|at| at.elapsed() < self.min_refresh)
    }

    fn remember_unknown(&self, kid: &str) {
        self.unknown.lock().put(kid.to_owned(), Instant::now());
    }

    /// The key after at most one (shared) refetch.
    async fn refreshed_key(&self, kid: &str) -> Result<DecodingKey, AuthError> {
        if self.known_unknown(kid) {
            return Err(AuthError::UnknownKey);
        }
        let mut last_attempt = self.refresh.lock().await;
        // Someone else's fetch may have brought the key while we waited.
        if let Some(key) = self.cached_key(kid) {
            return Ok(key);
        }
        let recent = last_attempt.is_some_and(|at| at.elapsed() < self.min_refresh);
        if !recent {
            *last_attempt = Some(Instant::now());
            match self.load().await {
                Ok(set) => {
                    let keys: HashMap<String, DecodingKey> = set
                        .keys
                        .iter()
                        .filter_map(|jwk| {
                            let kid = jwk.common.key_id.clone()?;
                            Some((kid, DecodingKey::from_jwk(jwk).ok()?))
                        })
                        .collect();
                    tracing::info!(keys = keys.len(), "loaded JWKS");
                    *self.keys.write() = keys;
                }
                Err(cause) => {
                    tracing::error!(error = %cause, "JWKS fetch failed");
                    if self.keys.read().is_empty() {
                        return Err(AuthError::KeysUnavailable(cause));
                    }
                }
            }
        } else if self.keys.read().is_empty() {
            return Err(AuthError::KeysUnavailable(
                "no signing keys loaded yet; the last fetch failed".into(),
            ));
        }
        drop(last_attempt);
        self.cached_key(kid).ok_or_else(|| {
            self.remember_unknown(kid);
            AuthError::UnknownKey
        })
    }

    async fn load(&self) -> Result<JwkSet, Cause> {
        let bytes = match &self.source {
            JwksSource::Url(url) => self.fetch(url).await?,
            JwksSource::File(path) => {
                let len = tokio::fs::metadata(path).await?.len();
                if len > MAX_JWKS_BYTES as u64 {
                    return Err(too_large());
                }
                tokio::fs::read(path).await?
            }
        };
        Ok(serde_json::from_slice(&bytes)?)
    }

    /// GETs `url`, refusing bodies over [`MAX_JWKS_BYTES`] as they stream.
    async fn fetch(&self, url: &str) -> Result<Vec<u8>, Cause> {
        let mut response = self.http.get(url).send().await?.error_for_status()?;
        if response
            .content_length()
            .is_some_and(|n| n > MAX_JWKS_BYTES as u64)
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            if body.len() + chunk.len() > MAX_JWKS_BYTES {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

fn too_large() -> Cause {
    format!("the key set is larger than {MAX_JWKS_BYTES} bytes").into()
}
