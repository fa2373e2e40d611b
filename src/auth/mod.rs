//! Who is calling: bearer tokens to a verified [`Profile`].
//!
//! Two verifiers, chosen by the token's `alg` and nothing else:
//! - RS256 ID tokens (Cognito, Google, any OIDC issuer) against a JWKS,
//!   with issuer and audience checks;
//! - HS256 dev tokens signed with the local dev secret, when one is set.
//!
//! `alg: none`, any other algorithm, or an algorithm whose verifier is not
//! configured is refused, so an HS256 token signed with a public RSA key
//! (the classic confusion) never reaches a key it could fool.

pub mod api_key;
pub mod dev;
pub mod jwks;
pub mod sealed;

use crate::domain::text;
use crate::domain::user::Profile;
use crate::domain::{DomainError, UserId};
use jsonwebtoken::{Algorithm, TokenData};
use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("malformed token")]
    Malformed,
    #[error("token algorithm not accepted")]
    Algorithm,
    #[error("token signed by an unknown key")]
    UnknownKey,
    #[error("token expired")]
    Expired,
    #[error("invalid token: {0}")]
    Invalid(String),
    #[error("signing keys unavailable")]
    KeysUnavailable(#[source] crate::domain::error::Cause),
}

impl From<AuthError> for DomainError {
    fn from(err: AuthError) -> Self {
        match err {
            AuthError::KeysUnavailable(cause) => DomainError::Internal(cause),
            other => DomainError::Unauthenticated(other.to_string()),
        }
    }
}

impl From<jsonwebtoken::errors::Error> for AuthError {
    fn from(err: jsonwebtoken::errors::Error) -> Self {
        use jsonwebtoken::errors::ErrorKind as K;
        match err.kind() {
            K::ExpiredSignature => Self::Expired,
            K::InvalidIssuer => Self::Invalid("wrong issuer".into()),
            K::InvalidAudience => Self::Invalid("wrong audience".into()),
            K::InvalidSignature => Self::Invalid("bad signature".into()),
            K::ImmatureSignature => Self::Invalid("token not yet valid".into()),
            K::MissingRequiredClaim(claim) => Self::Invalid(format!("missing claim {claim}")),
            K::InvalidAlgorithm => Self::Algorithm,
            _ => Self::Malformed,
        }
    }
}

/// The claims chorus reads from any accepted token.
#[derive(Debug, Deserialize)]
pub struct Claims {
    pub sub: String,
    /// Expiry, seconds since the epoch (required by both verifiers; a
    /// NumericDate may carry a fraction).
    pub exp: f64,
    pub name: Option<String>,
    pub email: Option<String>,
    pub picture: Option<String>,
    #[serde(rename = "cognito:username")]
    pub cognito_username: Option<String>,
}

/// A verified token: who holds it and until when it is good.
#[derive(Debug, Clone)]
pub struct Identity {
    pub profile: Profile,
    /// When the token expires, seconds since the epoch: a WebSocket opened
    /// with it is closed then.
    pub expires_at: i64,
    /// For a bot, the hash of the API key it signed in with: a socket
    /// opened with it is closed when the key is rotated or revoked.
    pub key: Option<String>,
}

impl Claims {
    /// The profile the claims describe. Display text from the identity
    /// provider is cleaned (no control or direction-override characters,
    /// bounded length) and a picture is kept only as an `https` URL.
    fn into_identity(self) -> Result<Identity, AuthError> {
        let id = UserId::person(&self.sub).map_err(|_| AuthError::Invalid("bad subject".into()))?;
        let email = self.email.as_deref().and_then(text::email);
        let name = [
            self.name.as_deref(),
            email.as_deref().and_then(|e| e.split('@').next()),
            self.cognito_username.as_deref(),
        ]
        .into_iter()
        .flatten()
        .find_map(text::display_name)
        .unwrap_or_else(|| "Anonymous".to_owned());
        Ok(Identity {
            profile: Profile {
                id,
                name,
                email,
                picture_url: self.picture.as_deref().and_then(text::picture_url),
            },
            // Saturating: an absurd `exp` cannot wrap into the past.
            expires_at: self.exp as i64,
            key: None,
        })
    }
}

/// The token of `Bearer <token>` (the scheme in any case, RFC 7235) or of
/// a bare token.
pub fn bearer(credential: &str) -> &str {
    let credential = credential.trim();
    match credential.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        _ => credential,
    }
}

/// Verifies bearer tokens with whichever verifiers are configured.
pub struct Authenticator {
    dev: Option<dev::DevTokens>,
    jwks: Option<jwks::JwksVerifier>,
}

impl Authenticator {
    pub fn new(dev: Option<dev::DevTokens>, jwks: Option<jwks::JwksVerifier>) -> Self {
        Self { dev, jwks }
    }

    /// Verifies `Bearer <token>` (the scheme in any case, RFC 7235) or a
    /// bare token, and returns its holder.
    pub async fn authenticate(&self, credential: &str) -> Result<Identity, AuthError> {
        let token = bearer(credential);
        if token.is_empty() || token.len() > 16 * 1024 {
            return Err(AuthError::Malformed);
        }
        let header = jsonwebtoken::decode_header(token).map_err(|_| AuthError::Malformed)?;
        let data: TokenData<Claims> = match (header.alg, &self.dev, &self.jwks) {
            (Algorithm::HS256, Some(dev), _) => dev.verify(token)?,
            (Algorithm::RS256, _, Some(jwks)) => jwks.verify(token, header.kid.as_deref()).await?,
            _ => return Err(AuthError::Algorithm),
        };
        data.claims.into_identity()
    }
}
