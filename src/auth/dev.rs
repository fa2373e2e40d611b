//! HS256 dev tokens for the local server (`chorus dev-token <user>`).

use super::{AuthError, Claims};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, TokenData, Validation};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

pub const ISSUER: &str = "chorus-dev";
pub const AUDIENCE: &str = "chorus-local";
/// Dev tokens last 30 days.
const LIFETIME_SECS: i64 = 30 * 24 * 3600;

pub struct DevTokens {
    secret: SecretString,
}

#[derive(Serialize)]
struct DevClaims<'a> {
    sub: &'a str,
    name: &'a str,
    iss: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
}

impl DevTokens {
    pub fn new(secret: SecretString) -> Self {
        Self { secret }
    }

    /// Signs a token for `user` that this server accepts.
    pub fn issue(&self, user: &str, name: &str) -> Result<String, AuthError> {
        self.issue_at(user, name, chrono::Utc::now().timestamp())
    }

    /// Signs a token as if issued at `iat` (tests use it for expired tokens).
    pub fn issue_at(&self, user: &str, name: &str, iat: i64) -> Result<String, AuthError> {
        let claims = DevClaims {
            sub: user,
            name,
            iss: ISSUER,
            aud: AUDIENCE,
            iat,
            exp: iat + LIFETIME_SECS,
        };
        let key = EncodingKey::from_secret(self.secret.expose_secret().as_bytes());
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &key).map_err(AuthError::from)
    }

    pub(super) fn verify(&self, token: &str) -> Result<TokenData<Claims>, AuthError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
        validation.validate_nbf = true;
        let key = DecodingKey::from_secret(self.secret.expose_secret().as_bytes());
        Ok(jsonwebtoken::decode(token, &key, &validation)?)
    }
}
