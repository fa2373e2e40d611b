//! Typing indicators: announced live and never stored. A member's `true`
//! goes out at most once per [`FORWARD_EVERY`] for one group and parent;
//! `false` goes out at once. Clients drop an indicator at `expires_at`.

use super::{GroupId, MessageId, Timestamp, UserId};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// One `typing: true` per user, group and parent at most this often.
pub const FORWARD_EVERY: Duration = Duration::from_secs(3);
/// How long an indicator holds without another.
pub const LASTS: Duration = Duration::from_secs(6);

/// Who is typing (or stopped) where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Typing {
    pub user_id: UserId,
    pub group_id: GroupId,
    /// The message replied to, if the member types a reply.
    pub parent_id: Option<MessageId>,
    pub typing: bool,
    pub expires_at: Timestamp,
}

/// Where one member types: the throttle's key.
pub type TypingKey = (UserId, GroupId, Option<MessageId>);

/// Whether a call goes out, given when this key last sent `true`: `false`
/// always, `true` when none went out in the last [`FORWARD_EVERY`].
pub fn forwards(
    typing: bool,
    last_sent: Option<std::time::Instant>,
    now: std::time::Instant,
) -> bool {
    !typing || last_sent.is_none_or(|at| now.duration_since(at) >= FORWARD_EVERY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn true_goes_out_once_per_three_seconds_and_false_at_once() {
        let start = Instant::now();
        assert!(forwards(true, None, start));
        assert!(!forwards(
            true,
            Some(start),
            start + Duration::from_millis(2_999)
        ));
        assert!(forwards(true, Some(start), start + FORWARD_EVERY));
        assert!(forwards(false, Some(start), start));
    }
}
