//! Account deletion and data exports on Neo4j: a `Deletion` node per
//! deletion under way (its ghost id kept for a resumed run), `DataExport`
//! nodes, and an `ExportSlot` per user whose write lock decides the
//! one-a-day rule.

use super::attachments::AttachmentRow;
use super::bots::BotRow;
use super::queries as q;
use super::reactions::ReactionRow;
use super::rows::{self, micros, name_of, time, MembershipRow, MessageRow};
use super::tx::{self, write_txn};
use super::Neo4jStore;
use crate::domain::account::{DataExport, Deletion, ExportState, DELETED_NAME};
use crate::domain::attachment::Attachment;
use crate::domain::bot::Bot;
use crate::domain::ids::ExportId;
use crate::domain::membership::Membership;
use crate::domain::message::Message;
use crate::domain::reaction::Reaction;
use crate::domain::{MessageId, Timestamp, UserId};
use crate::store::{Accounts, StoreError, StoreResult};
use async_trait::async_trait;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeletionRow {
    user_id: UserId,
    ghost: UserId,
}

impl From<DeletionRow> for Deletion {
    fn from(r: DeletionRow) -> Self {
        Deletion {
            user_id: r.user_id,
            ghost: r.ghost,
        }
    }
}

#[derive(Deserialize)]
struct GhostRow {
    ghost: UserId,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExportRow {
    id: ExportId,
    user_id: UserId,
    state: ExportState,
    created_at: i64,
    finished_at: Option<i64>,
}

impl TryFrom<ExportRow> for DataExport {
    type Error = StoreError;
    fn try_from(r: ExportRow) -> Result<Self, StoreError> {
        Ok(DataExport {
            id: r.id,
            user_id: r.user_id,
            state: r.state,
            created_at: time(r.created_at)?,
            finished_at: r.finished_at.map(time).transpose()?,
        })
    }
}

fn put_export(export: &DataExport) -> q::Named {
    q::EXPORT_PUT
        .query()
        .param("id", export.id.as_str())
        .param("userId", export.user_id.as_str())
        .param("state", name_of(&export.state))
        .param("createdAt", micros(export.created_at))
        .param("finishedAt", export.finished_at.map(micros))
}

#[async_trait]
impl Accounts for Neo4jStore {
    async fn begin_deletion(&self, user: &UserId, ghost: &UserId) -> StoreResult<UserId> {
        let now = micros(crate::domain::now());
        write_txn!(self.graph, |txn| {
            let begin = q::DELETION_BEGIN
                .query()
                .param("userId", user.as_str())
                .param("ghost", ghost.as_str())
                .param("now", now);
            let kept = tx::first::<GhostRow>(txn, begin)
                .await?
                .ok_or(StoreError::NotFound("deletion"))?;
            let blank = q::USER_BLANK
                .query()
                .param("userId", user.as_str())
                .param("name", DELETED_NAME);
            tx::rows::<rows::Ignored>(txn, blank).await?;
            Ok(kept.ghost)
        })
    }

    async fn deletion(&self, user: &UserId) -> StoreResult<Option<Deletion>> {
        let statement = q::DELETION_OF_USER.query().param("userId", user.as_str());
        let found = tx::read::<DeletionRow>(&self.graph, statement).await?;
        Ok(found.into_iter().next().map(Deletion::from))
    }

    async fn pending_deletions(&self, limit: usize) -> StoreResult<Vec<Deletion>> {
        let statement = q::DELETIONS_PENDING.query().param("limit", limit as i64);
        let found = tx::read::<DeletionRow>(&self.graph, statement).await?;
        Ok(found.into_iter().map(Deletion::from).collect())
    }

    async fn finish_deletion(&self, deletion: &Deletion) -> StoreResult<()> {
        let (user, ghost) = (deletion.user_id.as_str(), deletion.ghost.as_str());
        write_txn!(self.graph, |txn| {
            for statement in [
                q::DELETION_THREAD_RECENT,
                q::DELETION_REPORTS_REPORTER,
                q::DELETION_REPORTS_AUTHOR,
            ] {
                let moved = statement
                    .query()
                    .param("userId", user)
                    .param("ghost", ghost);
                tx::rows::<rows::Ignored>(txn, moved).await?;
            }
            for statement in [q::DELETION_PARTICIPATIONS, q::DELETION_FORGET] {
                tx::rows::<rows::Ignored>(txn, statement.query().param("userId", user)).await?;
            }
            Ok(())
        })
    }

    async fn memberships_of(&self, user: &UserId) -> StoreResult<Vec<Membership>> {
        let statement = q::MEMBERSHIPS_OF_USER
            .query()
            .param("userId", user.as_str());
        rows::convert(tx::read::<MembershipRow>(&self.graph, statement).await?)
    }

    async fn authored(
        &self,
        author: &UserId,
        after: Option<&MessageId>,
        limit: usize,
    ) -> StoreResult<Vec<Message>> {
        let statement = q::MESSAGES_AUTHORED
            .query()
            .param("authorId", author.as_str())
            .param("after", after.map(ToString::to_string))
            .param("limit", limit as i64);
        rows::convert(tx::read::<MessageRow>(&self.graph, statement).await?)
    }

    async fn reactions_by(
        &self,
        user: &UserId,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<Reaction>> {
        let statement = q::REACTIONS_BY_USER
            .query()
            .param("userId", user.as_str())
            .param("after", after.map(str::to_owned))
            .param("limit", limit as i64);
        rows::convert(tx::read::<ReactionRow>(&self.graph, statement).await?)
    }

    async fn uploads_of(&self, owner: &UserId, limit: usize) -> StoreResult<Vec<Attachment>> {
        let statement = q::UPLOADS_OF_OWNER
            .query()
            .param("ownerId", owner.as_str())
            .param("limit", limit as i64);
        rows::convert(tx::read::<AttachmentRow>(&self.graph, statement).await?)
    }

    async fn bots_created_by(&self, user: &UserId) -> StoreResult<Vec<Bot>> {
        let statement = q::BOTS_OF_CREATOR.query().param("userId", user.as_str());
        rows::convert(tx::read::<BotRow>(&self.graph, statement).await?)
    }

    async fn begin_export(&self, export: &DataExport, now: Timestamp) -> StoreResult<DataExport> {
        let user = export.user_id.as_str();
        write_txn!(self.graph, |txn| {
            let lock = q::EXPORT_SLOT_LOCK.query().param("userId", user);
            tx::rows::<rows::Ignored>(txn, lock).await?;
            let latest = q::EXPORTS_OF_USER.query().param("userId", user);
            if let Some(found) = tx::first::<ExportRow>(txn, latest).await? {
                let found = DataExport::try_from(found)?;
                if found.reusable(now) {
                    return Ok(found);
                }
            }
            tx::rows::<rows::Ignored>(txn, put_export(export)).await?;
            Ok(export.clone())
        })
    }

    async fn save_export(&self, export: &DataExport) -> StoreResult<()> {
        write_txn!(self.graph, |txn| {
            tx::rows::<rows::Ignored>(txn, put_export(export)).await?;
            Ok(())
        })
    }

    async fn data_export(&self, id: &ExportId) -> StoreResult<Option<DataExport>> {
        let statement = q::EXPORTS_BY_IDS.query().param("ids", vec![id.to_string()]);
        let found = tx::read::<ExportRow>(&self.graph, statement).await?;
        found.into_iter().next().map(TryInto::try_into).transpose()
    }

    async fn pending_exports(&self, limit: usize) -> StoreResult<Vec<DataExport>> {
        let statement = q::EXPORTS_PENDING.query().param("limit", limit as i64);
        rows::convert(tx::read::<ExportRow>(&self.graph, statement).await?)
    }
}
