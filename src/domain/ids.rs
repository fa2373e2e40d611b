//! Opaque identifiers. Groups and messages get time-ordered UUIDs with a
//! type prefix; user ids come from the identity provider's `sub` claim.

use super::error::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;

const MAX_ID_LEN: usize = 256;

macro_rules! id_type {
    ($name:ident, $prefix:expr, $what:expr) => {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn generate() -> Self {
                Self(format!("{}{}", $prefix, uuid::Uuid::now_v7().simple()))
            }

            /// Accepts any client-supplied id of sane length; unknown ids are
            /// simply not found later.
            pub fn parse(raw: &str) -> Result<Self, DomainError> {
                if raw.is_empty() || raw.len() > MAX_ID_LEN || raw.chars().any(char::is_control) {
                    return Err(DomainError::invalid(format!("malformed {} id", $what)));
                }
                Ok(Self(raw.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(UserId, "u_", "user");
id_type!(GroupId, "g_", "group");
id_type!(MessageId, "m_", "message");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_carry_their_prefix_and_sort_by_creation() {
        let a = GroupId::generate();
        let b = GroupId::generate();
        assert!(a.as_str().starts_with("g_"));
        assert!(a < b);
    }

    #[test]
    fn empty_oversized_and_control_ids_are_refused() {
        assert!(MessageId::parse("").is_err());
        assert!(MessageId::parse(&"x".repeat(300)).is_err());
        assert!(MessageId::parse("a\nb").is_err());
        assert!(MessageId::parse("m_123").is_ok());
    }
}
