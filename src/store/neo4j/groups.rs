//! Users and groups on Neo4j.

use super::queries as q;
use super::rows::{self, micros, name_of, GroupRow, UserRow};
use super::tx::{self, write_txn};
use super::Neo4jStore;
use crate::domain::event::DomainEvent;
use crate::domain::group::{Group, GroupPatch, NewGroup};
use crate::domain::membership::Membership;
use crate::domain::moderation::ModerationEntry;
use crate::domain::search::group_index;
use crate::domain::user::{Profile, User};
use crate::domain::{GroupId, Timestamp, UserId};
use crate::store::{Groups, Recorded, StoreError, StoreResult, Users};
use async_trait::async_trait;

fn ids<T: ToString>(values: &[T]) -> Vec<String> {
    values.iter().map(ToString::to_string).collect()
}

#[async_trait]
impl Users for Neo4jStore {
    #[tracing::instrument(skip_all, fields(user = %profile.id))]
    async fn upsert_user(&self, profile: &Profile, now: Timestamp) -> StoreResult<User> {
        // Two first sign-ins racing: the loser's MERGE hits the unique
        // constraint; run again, it now matches.
        let mut retried = false;
        let row = loop {
            let attempt: StoreResult<UserRow> = async {
                write_txn!(self.graph, |txn| {
                    let statement = q::USER_UPSERT
                        .query()
                        .param("id", profile.id.as_str())
                        .param("name", profile.name.as_str())
                        .param("email", profile.email.clone())
                        .param("pictureUrl", profile.picture_url.clone())
                        .param("now", micros(now));
                    tx::first::<UserRow>(txn, statement)
                        .await?
                        .ok_or_else(|| StoreError::NotFound("user").into())
                })
            }
            .await;
            match attempt {
                Err(StoreError::Conflict(_)) if !retried => retried = true,
                other => break other?,
            }
        };
        row.try_into()
    }

    async fn users(&self, wanted: &[UserId]) -> StoreResult<Vec<User>> {
        let statement = q::USERS_BY_IDS.query().param("ids", ids(wanted));
        rows::convert(tx::read::<UserRow>(&self.graph, statement).await?)
    }

    async fn mark_seen(&self, user: &UserId, minute: Timestamp) -> StoreResult<()> {
        let every =
            chrono::Duration::from_std(crate::domain::presence::SEEN_EVERY).unwrap_or_default();
        // A conditional SET: safe to run again after a lost answer.
        let statement = || {
            q::USER_MARK_SEEN
                .query()
                .param("id", user.as_str())
                .param("minute", micros(minute))
                .param("before", micros(minute - every))
        };
        tx::write_retried::<rows::Ignored>(&self.graph, statement).await?;
        Ok(())
    }

    async fn set_presence_hidden(&self, user: &UserId, hidden: bool) -> StoreResult<User> {
        let statement = || {
            q::USER_SET_PRESENCE
                .query()
                .param("id", user.as_str())
                .param("hidden", hidden)
        };
        match tx::write_retried::<UserRow>(&self.graph, statement).await? {
            tx::Wrote::Rows(rows) => rows.into_iter().next(),
            tx::Wrote::Taken => None,
        }
        .ok_or(StoreError::NotFound("user"))?
        .try_into()
    }

    async fn sharing(&self, viewer: &UserId, users: &[UserId]) -> StoreResult<Vec<UserId>> {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Sharer {
            user_id: UserId,
        }
        if users.is_empty() {
            return Ok(Vec::new());
        }
        let statement = q::USERS_SHARING_A_GROUP
            .query()
            .param("viewerId", viewer.as_str())
            .param("userIds", ids(users));
        let found = tx::read::<Sharer>(&self.graph, statement).await?;
        Ok(found.into_iter().map(|s| s.user_id).collect())
    }
}

#[async_trait]
impl Groups for Neo4jStore {
    #[tracing::instrument(skip_all)]
    async fn create_group(
        &self,
        new: &NewGroup,
        owner: &UserId,
        now: Timestamp,
    ) -> StoreResult<Recorded<(Group, Membership)>> {
        let id = GroupId::generate();
        let now = rows::time(micros(now))?;
        let founder = Membership::founder(id.clone(), owner.clone(), now);
        let events = vec![DomainEvent::membership(founder.clone(), now)];
        let row = write_txn!(self.graph, |txn| {
            let statement = q::GROUP_CREATE
                .query()
                .param("id", id.as_str())
                .param("name", new.name.as_str())
                .param("description", new.description.clone())
                .param(
                    "searchText",
                    group_index(new.name.as_str(), new.description.as_deref()),
                )
                .param("visibility", name_of(&new.visibility))
                .param("ownerId", owner.as_str())
                .param("now", micros(now));
            let row = tx::first::<GroupRow>(txn, statement)
                .await?
                .ok_or(StoreError::NotFound("user"))?;
            super::outbox::record(txn, &events).await?;
            Ok(row)
        })?;
        Ok(Recorded {
            value: (row.try_into()?, founder),
            events,
        })
    }

    #[tracing::instrument(skip_all, fields(group = %id))]
    async fn update_group(
        &self,
        id: &GroupId,
        patch: &GroupPatch,
        log: Option<&ModerationEntry>,
    ) -> StoreResult<Group> {
        let row = write_txn!(self.graph, |txn| {
            let locked = q::GROUP_LOCK.query().param("groupId", id.as_str());
            if tx::rows::<rows::Ignored>(txn, locked).await?.is_empty() {
                return Err(StoreError::NotFound("group").into());
            }
            let read = q::GROUPS_BY_IDS.query().param("ids", vec![id.to_string()]);
            let mut group: Group = tx::first::<GroupRow>(txn, read)
                .await?
                .ok_or(StoreError::NotFound("group"))?
                .try_into()?;
            patch.apply(&mut group);
            let statement = q::GROUP_UPDATE
                .query()
                .param("id", id.as_str())
                .param("name", group.name.as_str())
                .param("description", group.description.clone())
                .param("visibility", name_of(&group.visibility))
                .param("slowModeSeconds", i64::from(group.slow_mode_seconds))
                .param(
                    "searchText",
                    group_index(&group.name, group.description.as_deref()),
                );
            let row = tx::first::<GroupRow>(txn, statement)
                .await?
                .ok_or(StoreError::NotFound("group"))?;
            if let Some(entry) = log {
                super::moderation::log(txn, entry).await?;
            }
            Ok(row)
        })?;
        row.try_into()
    }

    async fn groups(&self, wanted: &[GroupId]) -> StoreResult<Vec<Group>> {
        let statement = q::GROUPS_BY_IDS.query().param("ids", ids(wanted));
        rows::convert(tx::read::<GroupRow>(&self.graph, statement).await?)
    }
}
