//! Opaque keyset cursors: base64url of `[kind, scope, key]` JSON. The kind
//! and scope (a parent, group or user id) are checked on the way back in, so
//! a cursor from another list is refused instead of silently misused.

use super::DomainError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub const MESSAGES: &str = "m";
pub const MEMBERS: &str = "mb";
pub const APPLICATIONS: &str = "ap";
pub const MY_GROUPS: &str = "mg";
pub const SEARCH: &str = "sg";
pub const DELIVERIES: &str = "wd";
pub const REACTORS: &str = "rx";
pub const PINS: &str = "pn";
pub const THREADS: &str = "th";
pub const SEEN_BY: &str = "sb";
pub const MESSAGE_SEARCH: &str = "ms";
pub const MODERATION_LOG: &str = "ml";
pub const REPORTS: &str = "rp";

const MAX_CURSOR_LEN: usize = 1_024;

pub fn encode<K: Serialize>(kind: &str, scope: &str, key: &K) -> String {
    // Serializing a tuple of strings and plain keys cannot fail.
    let json = serde_json::to_vec(&(kind, scope, key)).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

pub fn decode<K: DeserializeOwned>(
    cursor: &str,
    kind: &str,
    scope: &str,
) -> Result<K, DomainError> {
    let malformed = || DomainError::invalid("malformed cursor");
    if cursor.len() > MAX_CURSOR_LEN {
        return Err(malformed());
    }
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| malformed())?;
    let (k, s, key): (String, String, K) =
        serde_json::from_slice(&bytes).map_err(|_| malformed())?;
    if k != kind || s != scope {
        return Err(DomainError::invalid("cursor belongs to another list"));
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_within_their_list_only() {
        let c = encode(MESSAGES, "m_1", &42u64);
        assert_eq!(decode::<u64>(&c, MESSAGES, "m_1").unwrap(), 42);
        assert!(decode::<u64>(&c, MESSAGES, "m_2").is_err());
        assert!(decode::<u64>(&c, MEMBERS, "m_1").is_err());
    }

    #[test]
    fn garbage_cursors_are_bad_input() {
        for bad in ["", "%%%", "bm90IGpzb24", &"A".repeat(5000)] {
            assert_eq!(
                decode::<u64>(bad, MESSAGES, "m_1").unwrap_err().code(),
                "BAD_USER_INPUT"
            );
        }
    }
}
