//! Thread summaries: what a top-level message shows of the tree under it,
//! kept up to date by O(1) work on the root in each reply's write (both
//! stores; the Neo4j store does the same in `message_send_reply`), never
//! by walking the tree.

use super::message::Message;
use super::{GroupId, MessageId, Timestamp, UserId};

/// Participants a summary keeps by name (most recent first).
pub const RECENT_PARTICIPANTS: usize = 20;

/// The summary of one top-level message's tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    pub root_id: MessageId,
    pub group_id: GroupId,
    /// Every descendant, at any depth, deleted ones included.
    pub reply_count: u64,
    /// Distinct authors of the root and its descendants.
    pub participant_count: u64,
    /// The most recent participants, most recent first, at most
    /// [`RECENT_PARTICIPANTS`].
    pub recent: Vec<UserId>,
    /// The latest reply at any depth (it may since have been deleted).
    pub last_reply_id: Option<MessageId>,
    pub last_reply_at: Option<Timestamp>,
    /// The latest reply's position in the group, and its author.
    pub last_reply_pos: Option<u64>,
    pub last_reply_author: Option<UserId>,
    /// The position of the latest reply by anyone but `last_reply_author`
    /// (so "unread, not by me" is one comparison for every viewer).
    pub other_reply_pos: Option<u64>,
    /// The last reply's time, or the root's own when it has none: the
    /// order of `myThreads`.
    pub activity_at: Timestamp,
}

impl Thread {
    /// The summary of a new top-level message: its author alone.
    pub fn started(root: &Message) -> Self {
        Self {
            root_id: root.id.clone(),
            group_id: root.group_id.clone(),
            reply_count: 0,
            participant_count: 1,
            recent: vec![root.author_id.clone()],
            last_reply_id: None,
            last_reply_at: None,
            last_reply_pos: None,
            last_reply_author: None,
            other_reply_pos: None,
            activity_at: root.created_at,
        }
    }

    /// Counts `reply`, at position `pos` in its group; `fresh`: its author
    /// had not taken part in the thread before.
    pub fn replied(&mut self, reply: &Message, pos: u64, fresh: bool) {
        let author = &reply.author_id;
        if self.last_reply_author.as_ref() != Some(author) {
            self.other_reply_pos = self.last_reply_pos;
        }
        self.reply_count += 1;
        if fresh {
            self.participant_count += 1;
        }
        self.recent.retain(|u| u != author);
        self.recent.insert(0, author.clone());
        self.recent.truncate(RECENT_PARTICIPANTS);
        self.last_reply_id = Some(reply.id.clone());
        self.last_reply_at = Some(reply.created_at);
        self.last_reply_pos = Some(pos);
        self.last_reply_author = Some(author.clone());
        self.activity_at = reply.created_at;
    }

    /// Whether a descendant after `read_pos` (the viewer's marker) was
    /// written by someone other than `viewer`.
    pub fn unread_for(&self, viewer: &UserId, read_pos: u64) -> bool {
        let latest_not_mine = if self.last_reply_author.as_ref() == Some(viewer) {
            self.other_reply_pos
        } else {
            self.last_reply_pos
        };
        latest_not_mine.is_some_and(|pos| pos > read_pos)
    }

    /// Where the thread sits in a participant's `myThreads`: (last
    /// activity in µs, root id).
    pub fn key(&self) -> ThreadKey {
        (self.activity_at.timestamp_micros(), self.root_id.clone())
    }
}

/// Key of `myThreads`: (last activity in µs, root id), oldest first.
pub type ThreadKey = (i64, MessageId);

/// The key of one user's part in one thread (ids hold no newline).
pub fn participation_id(user: &UserId, root: &MessageId) -> String {
    format!("{user}\n{root}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(author: &str) -> Message {
        crate::domain::fixtures::top_level(author)
    }

    fn user(name: &str) -> UserId {
        UserId::parse(name).unwrap()
    }

    #[test]
    fn replies_count_participants_and_keep_the_latest_first() {
        let root = message("ann");
        let mut t = Thread::started(&root);
        t.replied(&message("bob"), 2, true);
        t.replied(&message("ann"), 3, false);
        t.replied(&message("bob"), 4, false);
        assert_eq!((t.reply_count, t.participant_count), (3, 2));
        assert_eq!(t.recent, vec![user("bob"), user("ann")]);
        assert_eq!(t.last_reply_pos, Some(4));
    }

    #[test]
    fn unread_skips_the_viewers_own_replies() {
        let mut t = Thread::started(&message("ann"));
        assert!(!t.unread_for(&user("ann"), 0), "no replies, nothing unread");
        t.replied(&message("bob"), 5, true);
        t.replied(&message("ann"), 6, false);
        t.replied(&message("ann"), 7, false);
        assert!(
            t.unread_for(&user("ann"), 4),
            "bob's 5 is after ann's marker"
        );
        assert!(!t.unread_for(&user("ann"), 5), "only her own after it");
        assert!(t.unread_for(&user("bob"), 6));
        assert!(!t.unread_for(&user("bob"), 7));
        t.replied(&message("cat"), 8, true);
        assert!(t.unread_for(&user("cat"), 6), "ann's 7 is after it");
        assert!(!t.unread_for(&user("cat"), 7));
    }
}
