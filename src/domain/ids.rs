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
id_type!(EventId, "ev_", "event");
id_type!(BotId, "b_", "bot");
id_type!(HookId, "ih_", "incoming webhook");
id_type!(WebhookId, "wh_", "webhook");
id_type!(AttachmentId, "at_", "attachment");
id_type!(ModerationEntryId, "me_", "moderation entry");
id_type!(ReportId, "rp_", "report");
id_type!(ExportId, "ex_", "data export");

/// Bots' user ids start with this; no person's may (`UserId::person`).
pub const BOT_USER_PREFIX: &str = "bot_";
/// The ids a deleted account's messages move to start with this; no
/// person's may.
pub const DELETED_USER_PREFIX: &str = "deleted_";

impl UserId {
    /// The user of a bot: `bot_` and the bot id's random part.
    pub fn of_bot(bot: &BotId) -> Self {
        let random = bot.0.strip_prefix("b_").unwrap_or(&bot.0);
        Self(format!("{BOT_USER_PREFIX}{random}"))
    }

    /// A person's id from an identity token's subject: refused when it
    /// could pass for a bot's or a deleted account's.
    pub fn person(sub: &str) -> Result<Self, DomainError> {
        if sub.starts_with(BOT_USER_PREFIX) || sub.starts_with(DELETED_USER_PREFIX) {
            return Err(DomainError::invalid("malformed user id"));
        }
        Self::parse(sub)
    }

    /// A fresh id for what a deleted account leaves behind (its messages'
    /// author): nobody signs in as it, so it shows as "Deleted user".
    pub fn ghost() -> Self {
        Self(format!(
            "{DELETED_USER_PREFIX}{}",
            uuid::Uuid::now_v7().simple()
        ))
    }

    /// Whether this is what a deleted account left behind ([`Self::ghost`]).
    pub fn is_ghost(&self) -> bool {
        self.0.starts_with(DELETED_USER_PREFIX)
    }

    pub fn is_bot(&self) -> bool {
        self.0.starts_with(BOT_USER_PREFIX)
    }
}

const MEMBERSHIP_PREFIX: &str = "ms_";

/// An id naming a tuple of ids (`parts`, none holding a newline): `prefix`
/// and the parts joined by newlines, base64url.
pub fn compound_id(prefix: &str, parts: &[&str]) -> String {
    use base64::Engine;
    let joined = parts.join("\n");
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(joined);
    format!("{prefix}{encoded}")
}

/// The `N` parts of a [`compound_id`] with `prefix`, if `raw` is one.
pub fn parse_compound<const N: usize>(raw: &str, prefix: &str) -> Option<[String; N]> {
    use base64::Engine;
    let encoded = raw.strip_prefix(prefix)?;
    if encoded.len() > 4 * MAX_ID_LEN {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded)
        .ok()?;
    let joined = String::from_utf8(bytes).ok()?;
    let parts: Vec<String> = joined.splitn(N, '\n').map(str::to_owned).collect();
    parts.try_into().ok()
}

/// A membership's id: the same for one (group, user) pair through every
/// state it goes through (applied, member, left, ...).
pub fn membership_id(group: &GroupId, user: &UserId) -> String {
    compound_id(MEMBERSHIP_PREFIX, &[group.as_str(), user.as_str()])
}

/// The (group, user) pair of a [`membership_id`], if `raw` is one.
pub fn parse_membership_id(raw: &str) -> Option<(GroupId, UserId)> {
    let [group, user] = parse_compound::<2>(raw, MEMBERSHIP_PREFIX)?;
    Some((GroupId::parse(&group).ok()?, UserId::parse(&user).ok()?))
}

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
    fn membership_ids_name_their_pair_and_nothing_else() {
        let (g, u) = (GroupId::generate(), UserId::parse("alice").unwrap());
        let id = membership_id(&g, &u);
        assert!(id.starts_with("ms_"));
        assert_eq!(parse_membership_id(&id), Some((g.clone(), u)));
        assert_eq!(parse_membership_id(g.as_str()), None);
        assert_eq!(parse_membership_id("ms_!!"), None);
        assert_eq!(parse_membership_id("ms_Zw"), None, "no user part");
    }

    #[test]
    fn empty_oversized_and_control_ids_are_refused() {
        assert!(MessageId::parse("").is_err());
        assert!(MessageId::parse(&"x".repeat(300)).is_err());
        assert!(MessageId::parse("a\nb").is_err());
        assert!(MessageId::parse("m_123").is_ok());
    }
}
