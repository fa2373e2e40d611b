//! Secrets the server must read back, sealed at rest. A webhook's signing
//! secret cannot be kept as a digest (HMAC needs the key itself), so the
//! store holds it sealed with AES-256-GCM (`ring`) under the deployment's
//! key (`CHORUS_SECRETS_KEY`), bound to the webhook it belongs to: a dump
//! of the database signs nothing, and a sealed secret copied onto another
//! webhook does not open.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use sha2::{Digest, Sha256};

/// What every sealed value starts with (the scheme's version).
const PREFIX: &str = "sealed:v1:";

pub struct Sealer {
    key: LessSafeKey,
    rng: SystemRandom,
}

#[derive(Debug, thiserror::Error)]
#[error("sealing failed")]
pub struct SealError;

impl Sealer {
    /// A sealer under a 256-bit key, given in base64 (standard or URL-safe).
    pub fn from_base64(key: &str) -> Option<Self> {
        let key = key.trim();
        let bytes = STANDARD
            .decode(key)
            .or_else(|_| URL_SAFE_NO_PAD.decode(key.trim_end_matches('=')))
            .ok()?;
        Self::new(&bytes)
    }

    /// A sealer under a key derived from a passphrase: the local server's,
    /// from its dev secret, so a local Neo4j keeps working across restarts.
    pub fn from_passphrase(passphrase: &str) -> Self {
        let digest = Sha256::new()
            .chain_update(b"chorus sealed secrets v1\0")
            .chain_update(passphrase.as_bytes())
            .finalize();
        // 32 bytes is AES-256's key size.
        match Self::new(&digest) {
            Some(sealer) => sealer,
            None => unreachable!("a SHA-256 digest is an AES-256 key"),
        }
    }

    fn new(key: &[u8]) -> Option<Self> {
        let key = UnboundKey::new(&AES_256_GCM, key).ok()?;
        Some(Self {
            key: LessSafeKey::new(key),
            rng: SystemRandom::new(),
        })
    }

    /// `plain` sealed for `owner` (a random nonce each time).
    pub fn seal(&self, plain: &str, owner: &str) -> Result<String, SealError> {
        let mut nonce = [0u8; NONCE_LEN];
        self.rng.fill(&mut nonce).map_err(|_| SealError)?;
        let mut data = plain.as_bytes().to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(owner.as_bytes()),
                &mut data,
            )
            .map_err(|_| SealError)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&data);
        Ok(format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(out)))
    }

    /// The secret sealed for `owner`; `None` if it was sealed under another
    /// key, for another owner, or altered.
    pub fn open(&self, sealed: &str, owner: &str) -> Option<String> {
        let bytes = URL_SAFE_NO_PAD.decode(sealed.strip_prefix(PREFIX)?).ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, data) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut data = data.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(owner.as_bytes()), &mut data)
            .ok()?;
        String::from_utf8(plain.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_for_its_owner_under_its_key() {
        let sealer = Sealer::from_base64(&STANDARD.encode([7u8; 32])).unwrap();
        let sealed = sealer.seal("whsec_abc", "wh_1").unwrap();
        assert!(sealed.starts_with("sealed:v1:") && !sealed.contains("whsec_abc"));
        assert_ne!(
            sealed,
            sealer.seal("whsec_abc", "wh_1").unwrap(),
            "fresh nonce"
        );
        assert_eq!(sealer.open(&sealed, "wh_1").as_deref(), Some("whsec_abc"));
        assert_eq!(sealer.open(&sealed, "wh_2"), None, "bound to its webhook");
        let other = Sealer::from_passphrase("another deployment");
        assert_eq!(other.open(&sealed, "wh_1"), None);
        let mut bytes = URL_SAFE_NO_PAD
            .decode(sealed.strip_prefix(PREFIX).unwrap())
            .unwrap();
        bytes[NONCE_LEN] ^= 1;
        let tampered = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
        assert_eq!(sealer.open(&tampered, "wh_1"), None, "one bit flipped");
        assert_eq!(sealer.open("whsec_abc", "wh_1"), None);
        assert!(Sealer::from_base64("c2hvcnQ=").is_none(), "not 256 bits");
    }
}
