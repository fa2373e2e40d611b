//! Reactions: a member marks a message with an emoji or a `:shortcode:`.
//! Each message keeps one count per key (in order of first use), written
//! with every change, so reading them never counts rows.

use super::ids::{compound_id, parse_compound};
use super::membership::Membership;
use super::message::Message;
pub use super::message::ReactionCount;
use super::{DomainError, DomainResult, GroupId, MessageId, Timestamp, UserId};
use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

/// Distinct keys one message holds at most.
pub const MAX_KEYS_PER_MESSAGE: usize = 20;
/// Keys one user holds on one message at most.
pub const MAX_KEYS_PER_USER: usize = 10;
/// Longest shortcode name (between the colons).
const MAX_SHORTCODE: usize = 32;

/// A checked reaction key: exactly one emoji (one grapheme cluster that
/// Unicode lists as an emoji, ZWJ sequences, skin tones, flags and keycaps
/// included) or a shortcode `:name:` with name `[a-z0-9_+-]{1,32}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReactionKey(String);

impl ReactionKey {
    pub fn parse(raw: &str) -> DomainResult<Self> {
        if is_shortcode(raw) || is_one_emoji(raw) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(DomainError::invalid(
                "a reaction is one emoji or a :shortcode: of a-z, 0-9, _, + and - (at most 32)",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_shortcode(raw: &str) -> bool {
    let Some(name) = raw.strip_prefix(':').and_then(|r| r.strip_suffix(':')) else {
        return false;
    };
    (1..=MAX_SHORTCODE).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_+-".contains(&b))
}

/// One grapheme cluster that the Unicode emoji list holds. A bare digit,
/// `#` or `*` is not on it (only their keycaps are).
fn is_one_emoji(raw: &str) -> bool {
    let mut clusters = raw.graphemes(true);
    clusters.next().is_some() && clusters.next().is_none() && emojis::get(raw).is_some()
}

/// One user's reaction to a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reaction {
    pub message_id: MessageId,
    pub group_id: GroupId,
    pub user_id: UserId,
    pub key: String,
    pub created_at: Timestamp,
}

const REACTION_PREFIX: &str = "rx_";

impl Reaction {
    /// The reaction's global id: its (message, user, key), encoded.
    pub fn id(&self) -> String {
        let parts = [self.message_id.as_str(), self.user_id.as_str(), &self.key];
        compound_id(REACTION_PREFIX, &parts)
    }

    /// The (message, user, key) an id names, if `raw` is a reaction id.
    pub fn parse_id(raw: &str) -> Option<(MessageId, UserId, String)> {
        let [message, user, key] = parse_compound::<3>(raw, REACTION_PREFIX)?;
        let key = ReactionKey::parse(&key).ok()?;
        Some((
            MessageId::parse(&message).ok()?,
            UserId::parse(&user).ok()?,
            key.0,
        ))
    }

    /// Where one reactor sits in its key's list: (created at in µs, user).
    pub fn page_key(&self) -> ReactorKey {
        (self.created_at.timestamp_micros(), self.user_id.clone())
    }
}

/// Key of a reactor list: (reacted at in µs, user id).
pub type ReactorKey = (i64, UserId);

/// Adding or removing one user's key on one message.
#[derive(Debug, Clone)]
pub struct ReactionChange {
    pub message_id: MessageId,
    pub user_id: UserId,
    pub key: ReactionKey,
    pub add: bool,
    pub now: Timestamp,
    /// A removal because the holder's account is deleted: it holds
    /// whatever the membership or the message (a reaction kept in a group
    /// left since, or on a message deleted since, goes too).
    pub erasure: bool,
}

/// What a reaction change did: the message with its new counts, and the
/// reaction added or removed (`None` when the change was a repeat and
/// changed nothing).
#[derive(Debug, Clone)]
pub struct Reacted {
    pub message: Message,
    pub changed: Option<Reaction>,
}

impl ReactionChange {
    /// The one home of the rules, applied by both stores to what they read
    /// under their lock: the user's membership in the message's group and
    /// the keys they hold on it. Members (bots too) react; a deleted message
    /// refuses (neither holds for an erasure); a repeat changes nothing; past a cap, `CONFLICT`. On a
    /// change, `message`'s counts are updated and the reaction returned.
    pub fn decide(
        &self,
        message: &mut Message,
        membership: Option<&Membership>,
        held: &[String],
    ) -> DomainResult<Option<Reaction>> {
        let erasure = self.erasure && !self.add;
        if !erasure && !membership.is_some_and(Membership::is_member) {
            return Err(DomainError::forbidden(
                "only members of this group can react",
            ));
        }
        if let Some(until) = membership
            .and_then(|m| m.muted_at(self.now))
            .filter(|_| self.add)
        {
            return Err(DomainError::Muted { until });
        }
        if !erasure && message.is_deleted() {
            return Err(DomainError::conflict(
                "a deleted message takes no reactions",
            ));
        }
        let key = self.key.as_str();
        let holds = held.iter().any(|k| k == key);
        let counts = &mut message.reactions;
        let at = counts.iter().position(|c| c.key == key);
        match (self.add, holds, at) {
            (true, true, _) | (false, false, _) => return Ok(None),
            (true, false, _) if held.len() >= MAX_KEYS_PER_USER => {
                return Err(DomainError::conflict(format!(
                    "one user holds at most {MAX_KEYS_PER_USER} reactions on a message"
                )))
            }
            (true, false, Some(i)) => counts[i].count += 1,
            (true, false, None) if counts.len() >= MAX_KEYS_PER_MESSAGE => {
                return Err(DomainError::conflict(format!(
                    "a message holds at most {MAX_KEYS_PER_MESSAGE} distinct reactions"
                )))
            }
            (true, false, None) => counts.push(ReactionCount {
                key: key.to_owned(),
                count: 1,
            }),
            (false, true, Some(i)) if counts[i].count > 1 => counts[i].count -= 1,
            (false, true, Some(i)) => {
                counts.remove(i);
            }
            (false, true, None) => {}
        }
        Ok(Some(Reaction {
            message_id: message.id.clone(),
            group_id: message.group_id.clone(),
            user_id: self.user_id.clone(),
            key: key.to_owned(),
            created_at: self.now,
        }))
    }
}

#[cfg(test)]
#[path = "reaction_tests.rs"]
mod tests;
