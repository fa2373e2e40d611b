//! The storage port. One trait, two implementations (`memory`, and Neo4j),
//! one conformance suite (`tests/api/conformance`).
//!
//! Every method is one atomic unit: implementations make each read-modify-
//! write (sequence numbers, counters, membership transitions, idempotent
//! sends) correct under any number of concurrent callers.

mod bots;
pub mod memory;
pub mod neo4j;
mod reads;
mod webhooks;

pub use bots::Bots;
pub use reads::Reads;
pub use webhooks::Webhooks;

use crate::domain::error::Cause;
use crate::domain::event::DomainEvent;
use crate::domain::group::{Group, GroupPatch, NewGroup};
use crate::domain::ids::EventId;
use crate::domain::membership::{Action, Decision, Membership, MembershipState};
use crate::domain::message::{Message, MessageChange, NewMessage, Parent, Posted};
use crate::domain::page::{Page, PageRequest};
use crate::domain::user::{Profile, User};
use crate::domain::{DomainError, GroupId, MessageId, Timestamp, UserId};
use async_trait::async_trait;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A domain rule refused the change, judged on the state read inside
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
    /// A domain rule's refusal, judged inside the store: what it did not
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
/// Key of group search: (lower-cased name, group id).
pub type SearchKey = (String, GroupId);

#[async_trait]
pub trait Store: Bots + Reads + Webhooks + Send + Sync + 'static {
    /// Creates the user on first sign-in; refreshes name and picture later.
    async fn upsert_user(&self, profile: &Profile, now: Timestamp) -> StoreResult<User>;
    /// The users that exist among `ids`, in any order.
    async fn users(&self, ids: &[UserId]) -> StoreResult<Vec<User>>;

    /// Creates a group with `owner` as its OWNER member (member count 1),
    /// recording the owner's membership event.
    async fn create_group(
        &self,
        group: &NewGroup,
        owner: &UserId,
        now: Timestamp,
    ) -> StoreResult<Recorded<(Group, Membership)>>;
    async fn update_group(&self, id: &GroupId, patch: &GroupPatch) -> StoreResult<Group>;
    async fn groups(&self, ids: &[GroupId]) -> StoreResult<Vec<Group>>;
    /// Groups whose name contains `query` (case-insensitive), by name.
    async fn search_groups(
        &self,
        query: &str,
        page: PageRequest<SearchKey>,
    ) -> StoreResult<Page<Group>>;

    async fn memberships(&self, keys: &[(GroupId, UserId)]) -> StoreResult<Vec<Membership>>;
    /// A group and `user`'s membership in it, read together (every access
    /// check); `None` if the group does not exist.
    async fn access(
        &self,
        group: &GroupId,
        user: &UserId,
    ) -> StoreResult<Option<(Group, Option<Membership>)>>;
    /// Reads the actor's and target's memberships, judges `action` with
    /// `domain::membership::decide` and writes the decision, atomically.
    async fn transition(
        &self,
        group: &GroupId,
        actor: &UserId,
        target: &UserId,
        action: &Action,
        now: Timestamp,
    ) -> StoreResult<Recorded<Decision>>;
    /// A group's memberships in one state, oldest `since` first.
    async fn group_memberships(
        &self,
        group: &GroupId,
        state: MembershipState,
        page: PageRequest<MemberKey>,
    ) -> StoreResult<Page<Membership>>;
    /// The memberships in state MEMBER of one user.
    async fn user_memberships(
        &self,
        user: &UserId,
        page: PageRequest<MyGroupKey>,
    ) -> StoreResult<Page<Membership>>;

    /// Judges a send by `NewMessage`'s rules (the parent exists and is live,
    /// the author is a member of the message's group) and creates the
    /// message with the parent's next `seq` (bumping the parent's
    /// `replyCount`), or returns the author's earlier message with the same
    /// `client_message_id` in that group (recording no event).
    async fn post_message(&self, message: &NewMessage) -> StoreResult<Recorded<Posted>>;
    async fn messages(&self, ids: &[MessageId]) -> StoreResult<Vec<Message>>;
    /// The children of a group (top-level messages) or of a message, by seq.
    async fn children(&self, parent: &Parent, page: PageRequest<u64>)
        -> StoreResult<Page<Message>>;
    /// The replies of a message the caller holds: a store that addresses
    /// pages by the parent's child count takes it from `parent` instead of
    /// reading it again (a page as of when `parent` was read).
    async fn replies_of(
        &self,
        parent: &Message,
        page: PageRequest<u64>,
    ) -> StoreResult<Page<Message>> {
        self.children(&Parent::Message(parent.id.clone()), page)
            .await
    }
    /// A message with its group and `user`'s membership in it (the access
    /// check of reading a message), or `None` if the message does not exist.
    async fn message_access(
        &self,
        id: &MessageId,
        user: &UserId,
    ) -> StoreResult<Option<(Message, Group, Option<Membership>)>> {
        let Some(message) = self.messages(std::slice::from_ref(id)).await?.pop() else {
            return Ok(None);
        };
        let access = self.access(&message.group_id, user).await?;
        Ok(access.map(|(group, membership)| (message, group, membership)))
    }
    /// The message's nearest `last` ancestors (at most
    /// [`crate::domain::message::MAX_ANCESTORS`]), root-most first, parent last.
    async fn ancestors(&self, id: &MessageId, last: usize) -> StoreResult<Vec<Message>>;
    async fn change_message(
        &self,
        id: &MessageId,
        change: &MessageChange,
    ) -> StoreResult<Recorded<Message>>;

    /// The outbox: recorded events not yet confirmed published, that
    /// occurred before `before`, oldest first.
    async fn pending_events(
        &self,
        before: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<DomainEvent>>;
    /// Drops published events from the outbox (unknown ids are ignored).
    async fn confirm_events(&self, ids: &[EventId]) -> StoreResult<()>;
}
