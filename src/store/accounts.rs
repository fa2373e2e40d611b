//! The storage port of a user's own account: what deleting it and
//! exporting its data read and write beyond the other capabilities.

use super::StoreResult;
use crate::domain::account::{DataExport, Deletion};
use crate::domain::attachment::Attachment;
use crate::domain::bot::Bot;
use crate::domain::ids::ExportId;
use crate::domain::membership::Membership;
use crate::domain::message::Message;
use crate::domain::reaction::Reaction;
use crate::domain::{MessageId, Timestamp, UserId};
use async_trait::async_trait;

#[async_trait]
pub trait Accounts: Send + Sync {
    /// Starts deleting `user`: blanks their profile (name "Deleted user",
    /// no email or picture, presence hidden) and keeps `ghost` as the id
    /// their messages move to. A deletion already under way keeps its own
    /// ghost, which is returned.
    async fn begin_deletion(&self, user: &UserId, ghost: &UserId) -> StoreResult<UserId>;
    /// `user`'s deletion, while it is under way.
    async fn deletion(&self, user: &UserId) -> StoreResult<Option<Deletion>>;
    /// Deletions begun and not finished.
    async fn pending_deletions(&self, limit: usize) -> StoreResult<Vec<Deletion>>;
    /// Ends a deletion: the user's places in threads' recent repliers and
    /// in reports (as reporter or reported author) move to the ghost, the
    /// notes of their reports go, their thread participations go, and the
    /// deletion is forgotten. Running it again changes nothing.
    async fn finish_deletion(&self, deletion: &Deletion) -> StoreResult<()>;
    /// Every membership of `user`, in any state (applications, bans and
    /// past memberships too), by group id.
    async fn memberships_of(&self, user: &UserId) -> StoreResult<Vec<Membership>>;
    /// Up to `limit` messages `author` wrote, by id (oldest first) after
    /// `after`.
    async fn authored(
        &self,
        author: &UserId,
        after: Option<&MessageId>,
        limit: usize,
    ) -> StoreResult<Vec<Message>>;
    /// Up to `limit` reactions `user` holds, by reaction id after `after`.
    async fn reactions_by(
        &self,
        user: &UserId,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<Reaction>>;
    /// Up to `limit` of `owner`'s uploads that no message holds.
    async fn uploads_of(&self, owner: &UserId, limit: usize) -> StoreResult<Vec<Attachment>>;
    /// The bots `user` created, revoked ones too.
    async fn bots_created_by(&self, user: &UserId) -> StoreResult<Vec<Bot>>;
    /// Stores `export`, unless its user has one still reusable at `now`
    /// (`DataExport::reusable`): then returns that one and stores nothing
    /// (decided under the user's lock: racing requests make one).
    async fn begin_export(&self, export: &DataExport, now: Timestamp) -> StoreResult<DataExport>;
    /// Writes an export's new state.
    async fn save_export(&self, export: &DataExport) -> StoreResult<()>;
    async fn data_export(&self, id: &ExportId) -> StoreResult<Option<DataExport>>;
    /// Exports still pending (a job that did not run or did not finish).
    async fn pending_exports(&self, limit: usize) -> StoreResult<Vec<DataExport>>;
}
