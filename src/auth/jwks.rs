//! RS256 ID tokens verified against a JSON Web Key Set, loaded from a URL
//! (cached; refetched when a token names an unknown `kid`, at most once per
//! `min_refresh`) or from a file.

use super::{AuthError, Claims};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, TokenData, Validation};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

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
    cache: RwLock<Option<(JwkSet, Instant)>>,
}

impl JwksVerifier {
    pub fn new(
        source: JwksSource,
        issuers: Vec<String>,
        audiences: Vec<String>,
        min_refresh: Duration,
    ) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap_or_default();
        Self {
            source,
            issuers,
            audiences,
            min_refresh,
            http,
            cache: RwLock::new(None),
        }
    }

    pub(super) async fn verify(
        &self,
        token: &str,
        kid: Option<&str>,
    ) -> Result<TokenData<Claims>, AuthError> {
        let kid = kid.ok_or(AuthError::UnknownKey)?;
        let key = match self.cached_key(kid).await {
            Some(key) => key,
            None => {
                self.refresh().await?;
                self.cached_key(kid).await.ok_or(AuthError::UnknownKey)?
            }
        };
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&self.issuers);
        validation.set_audience(&self.audiences);
        validation.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
        validation.leeway = 30;
        Ok(jsonwebtoken::decode(token, &key, &validation)?)
    }

    async fn cached_key(&self, kid: &str) -> Option<DecodingKey> {
        let cache = self.cache.read().await;
        let jwk = cache.as_ref()?.0.find(kid)?;
        DecodingKey::from_jwk(jwk).ok()
    }

    /// Reloads the key set unless it was loaded less than `min_refresh` ago,
    /// so a flood of tokens with made-up `kid`s cannot hammer the issuer.
    async fn refresh(&self) -> Result<(), AuthError> {
        let mut cache = self.cache.write().await;
        if cache
            .as_ref()
            .is_some_and(|(_, at)| at.elapsed() < self.min_refresh)
        {
            return Ok(());
        }
        let set = self.load().await.map_err(AuthError::KeysUnavailable)?;
        tracing::info!(keys = set.keys.len(), "loaded JWKS");
        *cache = Some((set, Instant::now()));
        Ok(())
    }

    async fn load(&self) -> Result<JwkSet, crate::domain::error::Cause> {
        match &self.source {
            JwksSource::Url(url) => Ok(self
                .http
                .get(url)
                .send()
                .await?
                .error_for_status()?
                .json()
                .await?),
            JwksSource::File(path) => Ok(serde_json::from_slice(&tokio::fs::read(path).await?)?),
        }
    }
}
