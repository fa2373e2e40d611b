//! The storage port: one trait per capability (users, accounts, attachments, groups,
//! memberships, messages, reactions, pins, threads, outbox, bots, read state, search, webhooks,
//! the moderation log), `Store` for
//! all of them; two implementations (`memory`, and Neo4j), one conformance
//! suite (`tests/api/conformance`).
//!
//! Every method is one atomic unit: implementations make each read-modify-
//! write (sequence numbers, counters, membership transitions, idempotent
//! sends) correct under any number of concurrent callers.

mod accounts;
mod attachments;
mod bots;
mod groups;
mod memberships;
pub mod memory;
mod messages;
mod moderation;
pub mod neo4j;
mod outbox;
mod pins;
mod reactions;
mod reads;
mod reports;
mod search;
mod threads;
mod users;
mod webhooks;

pub use accounts::Accounts;
pub use attachments::Attachments;
pub use bots::Bots;
pub use groups::Groups;
pub use memberships::Memberships;
pub use messages::Messages;
pub use moderation::{LogKey, Moderation};
pub use outbox::Outbox;
pub use pins::Pins;
pub use reactions::Reactions;
pub use reads::Reads;
pub use reports::{ReportKey, Reports};
pub use search::{Candidate, Search, SearchScope};
pub use threads::Threads;
pub use users::Users;
pub use webhooks::Webhooks;

use crate::domain::error::Cause;
use crate::domain::event::DomainEvent;
use crate::domain::{DomainError, GroupId, UserId};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A domain rule refused the change, checked on the state read inside
    /// the transaction.
    #[error(transparent)]
    Rejected(DomainError),
    /// A uniqueness constraint refused the write.
    #[error("{0}")]
    Conflict(String),
    /// The backend could not be reached or gave up after retries.
    #[error("store unavailable")]
    Unavailable(#[source] Cause),
    #[error("store failure")]
    Internal(#[source] Cause),
}

impl StoreError {
    /// A domain rule's refusal, checked inside the store: what it did not
    /// find stays `NotFound`.
    pub fn rejected(err: DomainError) -> Self {
        match err {
            DomainError::NotFound(what) => Self::NotFound(what),
            other => Self::Rejected(other),
        }
    }
}

impl From<StoreError> for DomainError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(what) => DomainError::NotFound(what),
            StoreError::Rejected(domain) => domain,
            StoreError::Conflict(msg) => DomainError::Conflict(msg),
            StoreError::Unavailable(cause) | StoreError::Internal(cause) => {
                DomainError::Internal(cause)
            }
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// What a write returns, with the events it recorded in the outbox in the
/// same transaction: committed means announced, at least once.
#[derive(Debug, Clone)]
pub struct Recorded<T> {
    pub value: T,
    pub events: Vec<DomainEvent>,
}

/// Key of member and application lists: (since in µs, user id).
pub type MemberKey = (i64, UserId);
/// Key of a user's group list: (membership since in µs, group id).
pub type MyGroupKey = (i64, GroupId);

/// Every capability a store has: a store is whatever implements them all.
/// A new method goes into one capability trait and each adapter's impl of
/// it, in the adapter file that holds that capability's code.
pub trait Store:
    Users
    + Accounts
    + Attachments
    + Groups
    + Memberships
    + Messages
    + Reactions
    + Pins
    + Threads
    + Outbox
    + Bots
    + Reads
    + Search
    + Webhooks
    + Moderation
    + Reports
    + 'static
{
}

impl<T> Store for T where
    T: Users
        + Accounts
        + Attachments
        + Groups
        + Memberships
        + Messages
        + Reactions
        + Pins
        + Threads
        + Outbox
        + Bots
        + Reads
        + Search
        + Webhooks
        + Moderation
        + Reports
        + 'static
{
}
