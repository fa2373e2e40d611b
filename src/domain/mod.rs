//! The chorus domain: values, rules and events. No I/O lives here.

pub mod access;
pub mod account;
pub mod attachment;
pub mod bot;
pub mod cursor;
pub mod error;
pub mod event;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod group;
pub mod ids;
pub mod keyset;
pub mod membership;
pub mod message;
pub mod moderation;
pub mod page;
pub mod pin;
pub mod presence;
pub mod push;
pub mod rate;
pub mod reaction;
pub mod reading;
pub mod report;
pub mod search;
pub mod text;
pub mod thread;
pub mod transition;
pub mod typing;
pub mod user;
pub mod webhook;

pub use error::{DomainError, DomainResult};
pub use ids::{AttachmentId, GroupId, MessageId, UserId};

/// Every instant in chorus is UTC.
pub type Timestamp = chrono::DateTime<chrono::Utc>;

/// The current time, to the microsecond (the precision stores keep).
pub fn now() -> Timestamp {
    truncated(chrono::Utc::now())
}

/// An instant to the microsecond.
pub fn truncated(t: Timestamp) -> Timestamp {
    chrono::DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t)
}
