//! Presence: whether a user has a live socket, and when they were last
//! seen, to the minute. Shown to the user and to those who share a group
//! with them, unless they hide it.

use super::Timestamp;
use std::time::Duration;

/// `lastSeenAt` is written at most this often per user.
pub const SEEN_EVERY: Duration = Duration::from_secs(60);

/// What one viewer sees of one user's presence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Presence {
    pub online: bool,
    pub last_seen_at: Option<Timestamp>,
}

impl Presence {
    /// The presence `viewer_is_user` (their own) or another sharer sees: a
    /// user who hides it shows offline and never seen to others.
    pub fn shown(
        viewer_is_user: bool,
        hidden: bool,
        online: bool,
        last_seen_at: Option<Timestamp>,
    ) -> Self {
        if hidden && !viewer_is_user {
            return Self {
                online: false,
                last_seen_at: None,
            };
        }
        Self {
            online,
            last_seen_at,
        }
    }
}

/// The minute `now` falls in: what `lastSeenAt` holds.
pub fn seen_minute(now: Timestamp) -> Timestamp {
    let secs = now.timestamp() - now.timestamp().rem_euclid(60);
    chrono::DateTime::from_timestamp(secs, 0).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_presence_shows_only_to_its_owner_and_times_keep_the_minute() {
        let at = chrono::DateTime::from_timestamp(1_700_000_123, 456).unwrap();
        let minute = seen_minute(at);
        assert_eq!(minute.timestamp(), 1_700_000_100);
        let mine = Presence::shown(true, true, true, Some(minute));
        assert_eq!(
            mine,
            Presence {
                online: true,
                last_seen_at: Some(minute)
            }
        );
        let theirs = Presence::shown(false, true, true, Some(minute));
        assert_eq!(
            theirs,
            Presence {
                online: false,
                last_seen_at: None
            }
        );
        assert!(Presence::shown(false, false, true, None).online);
    }
}
