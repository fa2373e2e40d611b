use super::{DomainError, Timestamp, UserId};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// Push subscriptions one user may hold (one per browser or device).
pub const MAX_PER_USER: usize = 20;

/// A browser or app push subscription (Web Push, RFC 8030 + RFC 8291).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushSubscription {
    pub user_id: UserId,
    pub endpoint: String,
    /// The client's P-256 public key, base64url (65 bytes uncompressed).
    pub p256dh: String,
    /// The client's auth secret, base64url (16 bytes).
    pub auth: String,
    pub created_at: Timestamp,
}

const ENDPOINT_MAX: usize = 2_048;

/// Checks an endpoint URL: https (or http on a loopback host, for local
/// development), at most 2,048 characters.
pub fn endpoint(raw: &str) -> Result<String, DomainError> {
    let ok_scheme = raw.starts_with("https://")
        || raw.starts_with("http://localhost")
        || raw.starts_with("http://127.0.0.1");
    if raw.len() > ENDPOINT_MAX || !ok_scheme || raw.chars().any(char::is_whitespace) {
        return Err(DomainError::invalid(
            "endpoint must be an https URL of at most 2048 characters",
        ));
    }
    Ok(raw.to_owned())
}

/// Checks the subscription keys: `p256dh` an uncompressed P-256 point,
/// `auth` a 16-byte secret, both base64url (padding tolerated).
pub fn keys(p256dh: &str, auth: &str) -> Result<(String, String), DomainError> {
    let decode = |s: &str| URL_SAFE_NO_PAD.decode(s.trim_end_matches('='));
    match (decode(p256dh), decode(auth)) {
        (Ok(point), Ok(secret)) if point.len() == 65 && point[0] == 4 && secret.len() == 16 => {
            Ok((p256dh.to_owned(), auth.to_owned()))
        }
        _ => Err(DomainError::invalid(
            "p256dh must be a base64url P-256 public key and auth a base64url 16-byte secret",
        )),
    }
}
