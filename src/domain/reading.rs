//! What a member has read, how loud a group is for them, and who a message
//! names: notification levels, read markers (per-member positions against
//! the group's message counter, so unread counts cost O(1) per group) and
//! `@<userId>` mentions.
//!
//! Every message of a group takes the next value of the group's counter
//! (`posted`), its position. A member's marker is a position plus the
//! positions after it that do not count: their own messages, and the
//! messages naming them (which count separately). The Neo4j store keeps the
//! same rule in Cypher (`message_send_*`, `membership_mark_read`).

use super::{Timestamp, UserId};
use serde::{Deserialize, Serialize};

/// The refusal of a marker or level change by someone not a member.
pub fn not_member() -> super::DomainError {
    super::DomainError::Forbidden("only members keep a read marker or a notification level".into())
}

/// Who of a group's members is notified of a new message, per member.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NotificationLevel {
    /// Every message.
    #[default]
    All,
    /// Messages that mention them, and replies to their own messages.
    Mentions,
    /// Nothing.
    None,
}

impl NotificationLevel {
    /// The wire name (`ALL`, `MENTIONS`, `NONE`), as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "ALL",
            Self::Mentions => "MENTIONS",
            Self::None => "NONE",
        }
    }

    /// Whether a member at this level hears of a message that does or does
    /// not concern them (mentions them or replies to them).
    pub fn hears(self, concerned: bool) -> bool {
        match self {
            Self::All => true,
            Self::Mentions => concerned,
            Self::None => false,
        }
    }
}

/// A member's reading of one group, as the schema shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadState {
    pub level: NotificationLevel,
    /// The time of the last message marked read.
    pub last_read_at: Option<Timestamp>,
    /// Messages after the marker not written by the member.
    pub unread: u64,
    /// Of those, the ones that mention the member.
    pub mentions: u64,
    /// The position of the last message marked read (0: none).
    pub read_pos: u64,
}

/// The app badge: sums over a user's groups.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnreadSummary {
    /// Groups with at least one unread message.
    pub groups: u64,
    pub messages: u64,
    pub mentions: u64,
}

impl UnreadSummary {
    pub fn add(&mut self, state: &ReadState) {
        self.groups += u64::from(state.unread > 0);
        self.messages += state.unread;
        self.mentions += state.mentions;
    }
}

/// Key of a message's `seenBy`: (the reader's marker, user id).
pub type SeenKey = (u64, UserId);

/// A member's marker (the memory store keeps it as is).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marker {
    pub level: NotificationLevel,
    /// Position of the last message read (0: none).
    pub pos: u64,
    pub at: Option<Timestamp>,
    /// Positions after `pos` of the member's own messages.
    pub own: Vec<u64>,
    /// Positions after `pos` of messages mentioning the member.
    pub mentions: Vec<u64>,
}

impl Marker {
    /// A new member's marker: everything before they joined is read.
    pub fn joining(posted: u64) -> Self {
        Self {
            pos: posted,
            ..Self::default()
        }
    }

    /// The member posted the message at `pos`: a member who had read
    /// everything before it (or set aside [`MAX_SET_ASIDE`] of their own
    /// already) has read up to it; otherwise it is set aside.
    pub fn posted(&mut self, pos: u64) {
        if self.pos + 1 == pos || self.own.len() >= MAX_SET_ASIDE {
            self.pos = pos;
            self.own.clear();
            self.mentions.retain(|&p| p > pos);
        } else if pos > self.pos {
            self.own.push(pos);
        }
    }

    /// The message at `pos` now mentions the member.
    pub fn mentioned(&mut self, pos: u64) {
        if pos > self.pos && !self.mentions.contains(&pos) {
            self.mentions.push(pos);
        }
    }

    /// The message at `pos` no longer mentions the member.
    pub fn unmentioned(&mut self, pos: u64) {
        self.mentions.retain(|&p| p != pos);
    }

    /// Reads up to the message at `pos`, posted at `at`; never backward.
    pub fn read_to(&mut self, pos: u64, at: Timestamp) {
        if pos > self.pos {
            self.pos = pos;
            self.own.retain(|&p| p > pos);
            self.mentions.retain(|&p| p > pos);
        }
        if self.at.is_none_or(|before| before < at) {
            self.at = Some(at);
        }
    }

    /// The schema's view, `posted` being the group's counter.
    pub fn state(&self, posted: u64) -> ReadState {
        ReadState {
            level: self.level,
            last_read_at: self.at,
            unread: unread(posted, self.pos, self.own.len() as u64),
            mentions: self.mentions.len() as u64,
            read_pos: self.pos,
        }
    }
}

/// Unread messages: those after the marker, less the member's own.
pub fn unread(posted: u64, pos: u64, own: u64) -> u64 {
    posted.saturating_sub(pos).saturating_sub(own)
}

/// Own messages a marker sets aside at most: a member who posted this many
/// without reading has read up to their latest post (so a marker stays
/// small whatever the member does).
pub const MAX_SET_ASIDE: usize = 1_000;

/// The most users one message mentions.
pub const MAX_MENTIONS: usize = 50;

/// The `@<userId>` tokens of a body, in order, each once: an `@` at the
/// start or after a character that is not a letter or digit (so
/// `ann@example.com` names nobody), then the id's characters, trailing
/// punctuation left out. The store keeps the ones naming members.
pub fn mentions(body: &str) -> Vec<UserId> {
    let id_char = |c: char| c.is_alphanumeric() || "_-.:|".contains(c);
    let mut found: Vec<UserId> = Vec::new();
    let mut previous: Option<char> = None;
    for (at, c) in body.char_indices() {
        let starts = c == '@' && !previous.is_some_and(char::is_alphanumeric);
        previous = Some(c);
        if !starts {
            continue;
        }
        let rest = &body[at + 1..];
        let end = rest.find(|c: char| !id_char(c)).unwrap_or(rest.len());
        let token = rest[..end].trim_end_matches(['.', ':', '-']);
        if let Ok(id) = UserId::parse(token) {
            if !found.contains(&id) {
                found.push(id);
            }
        }
        if found.len() == MAX_MENTIONS {
            break;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_the_serialized_ones() {
        use crate::domain::push::DevicePlatform;
        let name = |v: serde_json::Value| v.as_str().unwrap().to_owned();
        for level in [
            NotificationLevel::All,
            NotificationLevel::Mentions,
            NotificationLevel::None,
        ] {
            assert_eq!(level.as_str(), name(serde_json::to_value(level).unwrap()));
        }
        for platform in [
            DevicePlatform::Fcm,
            DevicePlatform::Apns,
            DevicePlatform::ApnsSandbox,
        ] {
            assert_eq!(
                platform.as_str(),
                name(serde_json::to_value(platform).unwrap())
            );
        }
    }

    fn ids(raw: &[&str]) -> Vec<UserId> {
        raw.iter().map(|r| UserId::parse(r).unwrap()).collect()
    }

    #[test]
    fn mentions_are_at_tokens_not_emails() {
        assert_eq!(
            mentions("@ann hi @bob-2, and @ann again; mail ann@example.com @"),
            ids(&["ann", "bob-2"])
        );
        assert_eq!(
            mentions("(@u_1.) @google_123: ok"),
            ids(&["u_1", "google_123"])
        );
        let many: String = (0..80).map(|i| format!("@u{i} ")).collect();
        assert_eq!(mentions(&many).len(), MAX_MENTIONS);
    }

    #[test]
    fn a_marker_counts_what_others_wrote_after_it() {
        let at = crate::domain::now();
        let mut m = Marker::joining(3);
        assert_eq!(m.state(3).unread, 0);
        // 4 by another, 5 by the member, 6 mentions them.
        m.posted(5);
        m.mentioned(6);
        assert_eq!((m.state(6).unread, m.state(6).mentions), (2, 1));
        m.read_to(5, at);
        assert_eq!((m.state(6).unread, m.state(6).mentions), (1, 1));
        m.read_to(4, at);
        assert_eq!(m.pos, 5, "never backward");
        m.unmentioned(6);
        assert_eq!(m.state(6).mentions, 0);
        // Caught up, the member's own post moves the marker with it.
        m.read_to(6, at);
        m.posted(7);
        assert_eq!((m.pos, m.own.len()), (7, 0));
    }
}
