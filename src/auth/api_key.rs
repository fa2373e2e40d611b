//! The secrets chorus hands out. Bot API keys: `chorus_bot_` and 256
//! random bits (base64url); only the SHA-256 digest is stored and keys are
//! looked up by it, so a key is never readable again after it was shown
//! once. Hook URL secrets are kept the same way; webhook signing secrets
//! (`whsec_`) are made here too.

use crate::domain::bot::KeyDigest;
use base64::Engine;
use sha2::{Digest, Sha256};

pub const PREFIX: &str = "chorus_bot_";
/// How much of a key lists show (`keyPrefix`): the marker and 4 characters.
const SHOWN: usize = PREFIX.len() + 4;
/// 32 random bytes in unpadded base64url.
const RANDOM_CHARS: usize = 43;

/// 256 random bits in unpadded base64url (43 characters): the random part
/// of every key and secret chorus hands out.
pub fn random_secret() -> std::io::Result<String> {
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes()?))
}

/// A webhook signing secret: `whsec_` and 256 random bits in standard
/// base64, as Standard Webhooks libraries read it.
pub fn webhook_secret() -> std::io::Result<String> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(random_bytes()?);
    Ok(format!("whsec_{encoded}"))
}

fn random_bytes() -> std::io::Result<[u8; 32]> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(std::io::Error::other)?;
    Ok(bytes)
}

/// A new key and what is kept of it.
pub fn generate() -> std::io::Result<(String, KeyDigest)> {
    let key = format!("{PREFIX}{}", random_secret()?);
    let digest = digest(&key).ok_or_else(|| std::io::Error::other("key of the wrong shape"))?;
    Ok((key, digest))
}

/// The digest of a credential shaped like a bot key; `None` for anything
/// else (a JWT, say).
pub fn digest(credential: &str) -> Option<KeyDigest> {
    let random = credential.strip_prefix(PREFIX)?;
    if random.len() != RANDOM_CHARS
        || !random
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return None;
    }
    Some(KeyDigest {
        prefix: credential[..SHOWN].to_owned(),
        hash: sha256_hex(credential),
    })
}

/// Hex SHA-256, the at-rest form of every secret chorus hands out.
pub fn sha256_hex(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `secret` hashes to `digest`, compared in constant time.
pub fn matches_digest(secret: &str, digest: &str) -> bool {
    use subtle::ConstantTimeEq;
    sha256_hex(secret)
        .as_bytes()
        .ct_eq(digest.as_bytes())
        .into()
}

/// Whether `credential` looks like a bot key at all (the verifier to use).
pub fn is_key(credential: &str) -> bool {
    credential.starts_with(PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_random_prefixed_and_kept_only_as_a_digest() {
        let (a, da) = generate().unwrap();
        let (b, _) = generate().unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("chorus_bot_"));
        assert_eq!(da.prefix, a[..15]);
        assert_eq!(da.hash.len(), 64);
        assert!(!da.hash.contains(&a[11..]));
        assert_eq!(digest(&a), Some(da));
    }

    #[test]
    fn secrets_match_only_their_own_digest() {
        let secret = random_secret().unwrap();
        assert_eq!(secret.len(), 43);
        let digest = sha256_hex(&secret);
        assert!(matches_digest(&secret, &digest));
        assert!(!matches_digest(&random_secret().unwrap(), &digest));
        assert!(!matches_digest(&secret, ""));
    }

    #[test]
    fn malformed_keys_have_no_digest() {
        assert_eq!(digest("chorus_bot_short"), None);
        assert_eq!(digest(&format!("chorus_bot_{}", "é".repeat(43))), None);
        assert_eq!(digest("eyJhbGciOi.x.y"), None);
    }
}
