//! Users, groups and memberships on Neo4j.

use super::queries as q;
use super::rows::{self, micros, name_of, GroupRow, MembershipRow, UserRow};
use super::tx::{self, write_txn, TxError};
use super::Neo4jStore;
use crate::domain::bot;
use crate::domain::event::DomainEvent;
use crate::domain::group::{Group, GroupPatch, NewGroup};
use crate::domain::membership::{self, Action, Decision, Membership, MembershipState};
use crate::domain::page::{Page, PageRequest};
use crate::domain::user::{Profile, User};
use crate::domain::{GroupId, Timestamp, UserId};
use crate::store::{MemberKey, MyGroupKey, Recorded, SearchKey, StoreError, StoreResult};
use neo4rs::Txn;

fn ids<T: ToString>(values: &[T]) -> Vec<String> {
    values.iter().map(ToString::to_string).collect()
}

pub(super) async fn put_membership(txn: &mut Txn, m: &Membership) -> Result<(), TxError> {
    let statement = q::MEMBERSHIP_PUT
        .query()
        .param("groupId", m.group_id.as_str())
        .param("userId", m.user_id.as_str())
        .param("state", name_of(&m.state))
        .param("role", m.role.as_ref().map(name_of))
        .param("note", m.note.clone())
        .param("reason", m.reason.clone())
        .param("since", micros(m.since))
        .param("updatedAt", micros(m.updated_at));
    match tx::first::<MembershipRow>(txn, statement).await? {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound("user").into()),
    }
}

/// Writes what a membership change does to the group's integrations
/// (`bot::fallout`), in the transition's transaction.
async fn apply_fallout(
    txn: &mut Txn,
    group: &GroupId,
    fallout: &bot::Fallout,
    now: Timestamp,
) -> Result<(), TxError> {
    match fallout {
        bot::Fallout::DisableCreatedBy(user, reason) => {
            for statement in [q::BOTS_DISABLE_OF_CREATOR, q::WEBHOOKS_DISABLE_OF_CREATOR] {
                let statement = statement
                    .query()
                    .param("groupId", group.as_str())
                    .param("userId", user.as_str())
                    .param("reason", *reason);
                tx::rows::<rows::Ignored>(txn, statement).await?;
            }
        }
        bot::Fallout::RevokeBotOf(user) => {
            let statement = q::BOT_REVOKE_OF_USER
                .query()
                .param("groupId", group.as_str())
                .param("userId", user.as_str())
                .param("now", micros(now));
            tx::rows::<rows::Ignored>(txn, statement).await?;
        }
    }
    Ok(())
}

impl Neo4jStore {
    #[tracing::instrument(skip_all, fields(user = %profile.id))]
    pub(super) async fn upsert_user_impl(
        &self,
        profile: &Profile,
        now: Timestamp,
    ) -> StoreResult<User> {
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

    pub(super) async fn users_impl(&self, wanted: &[UserId]) -> StoreResult<Vec<User>> {
        let statement = q::USERS_BY_IDS.query().param("ids", ids(wanted));
        rows::convert(tx::read::<UserRow>(&self.graph, statement).await?)
    }

    #[tracing::instrument(skip_all)]
    pub(super) async fn create_group_impl(
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
                .param("nameKey", new.name.to_lowercase())
                .param("description", new.description.clone())
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
    pub(super) async fn update_group_impl(
        &self,
        id: &GroupId,
        patch: &GroupPatch,
    ) -> StoreResult<Group> {
        let row = write_txn!(self.graph, |txn| {
            let statement = q::GROUP_UPDATE
                .query()
                .param("id", id.as_str())
                .param("name", patch.name.as_ref().map(|n| n.to_string()))
                .param("nameKey", patch.name.as_ref().map(|n| n.to_lowercase()))
                .param("setDescription", patch.description.is_some())
                .param("description", patch.description.clone().flatten())
                .param("visibility", patch.visibility.as_ref().map(name_of));
            tx::first::<GroupRow>(txn, statement)
                .await?
                .ok_or_else(|| StoreError::NotFound("group").into())
        })?;
        row.try_into()
    }

    pub(super) async fn groups_impl(&self, wanted: &[GroupId]) -> StoreResult<Vec<Group>> {
        let statement = q::GROUPS_BY_IDS.query().param("ids", ids(wanted));
        rows::convert(tx::read::<GroupRow>(&self.graph, statement).await?)
    }

    pub(super) async fn search_groups_impl(
        &self,
        text: &str,
        page: PageRequest<SearchKey>,
    ) -> StoreResult<Page<Group>> {
        let needle = text.to_lowercase();
        let fetch = |forward: bool, key: Option<&SearchKey>, limit: i64| {
            if forward {
                q::GROUPS_SEARCH_FORWARD
            } else {
                q::GROUPS_SEARCH_BACKWARD
            }
            .query()
            .param("query", needle.as_str())
            .param("name", key.map(|k| k.0.clone()))
            .param("id", key.map(|k| k.1.to_string()))
            .param("limit", limit)
        };
        let exists = |key: &SearchKey, up_to: bool| {
            q::GROUPS_SEARCH_EXISTS
                .query()
                .param("query", needle.as_str())
                .param("name", key.0.as_str())
                .param("id", key.1.as_str())
                .param("upTo", up_to)
        };
        self.page::<_, GroupRow, Group>(&page, fetch, exists).await
    }

    pub(super) async fn memberships_impl(
        &self,
        keys: &[(GroupId, UserId)],
    ) -> StoreResult<Vec<Membership>> {
        let pairs: Vec<Vec<String>> = keys
            .iter()
            .map(|(g, u)| vec![g.to_string(), u.to_string()])
            .collect();
        let statement = q::MEMBERSHIPS_BY_KEYS.query().param("pairs", pairs);
        rows::convert(tx::read::<MembershipRow>(&self.graph, statement).await?)
    }

    #[tracing::instrument(skip(self, now))]
    pub(super) async fn transition_impl(
        &self,
        group: &GroupId,
        actor: &UserId,
        target: &UserId,
        action: &Action,
        now: Timestamp,
    ) -> StoreResult<Recorded<Decision>> {
        write_txn!(self.graph, |txn| {
            // The group's write lock first: transitions on one group queue here.
            let locked = q::GROUP_LOCK.query().param("groupId", group.as_str());
            if tx::rows::<rows::Ignored>(txn, locked).await?.is_empty() {
                return Err(StoreError::NotFound("group").into());
            }
            let read = q::MEMBERSHIPS_OF_USERS
                .query()
                .param("groupId", group.as_str())
                .param("userIds", vec![actor.to_string(), target.to_string()]);
            let current: Vec<Membership> =
                rows::convert(tx::rows::<MembershipRow>(txn, read).await?)?;
            let find = |user: &UserId| current.iter().find(|m| &m.user_id == user);
            let situation = membership::Situation {
                group_id: group,
                actor_id: actor,
                target_id: target,
                actor: find(actor),
                target: find(target),
                now,
            };
            let decision = membership::decide(&situation, action).map_err(StoreError::Rejected)?;
            if let Some(fallout) = bot::fallout(find(target), &decision.target) {
                apply_fallout(txn, group, &fallout, now).await?;
            }
            put_membership(txn, &decision.target).await?;
            if let Some(actor) = &decision.actor {
                put_membership(txn, actor).await?;
            }
            if decision.member_delta != 0 {
                let count = q::GROUP_MEMBER_COUNT
                    .query()
                    .param("groupId", group.as_str())
                    .param("delta", decision.member_delta);
                tx::rows::<rows::Ignored>(txn, count).await?;
            }
            let events = DomainEvent::of_decision(&decision, now);
            super::outbox::record(txn, &events).await?;
            Ok(Recorded {
                value: decision,
                events,
            })
        })
    }

    pub(super) async fn group_memberships_impl(
        &self,
        group: &GroupId,
        state: MembershipState,
        page: PageRequest<MemberKey>,
    ) -> StoreResult<Page<Membership>> {
        let state = name_of(&state);
        let fetch = |forward: bool, key: Option<&MemberKey>, limit: i64| {
            if forward {
                q::GROUP_MEMBERSHIPS_FORWARD
            } else {
                q::GROUP_MEMBERSHIPS_BACKWARD
            }
            .query()
            .param("groupId", group.as_str())
            .param("state", state.as_str())
            .param("since", key.map(|k| k.0))
            .param("userId", key.map(|k| k.1.to_string()))
            .param("limit", limit)
        };
        let exists = |key: &MemberKey, up_to: bool| {
            q::GROUP_MEMBERSHIPS_EXISTS
                .query()
                .param("groupId", group.as_str())
                .param("state", state.as_str())
                .param("since", key.0)
                .param("userId", key.1.as_str())
                .param("upTo", up_to)
        };
        self.page::<_, MembershipRow, Membership>(&page, fetch, exists)
            .await
    }

    pub(super) async fn user_memberships_impl(
        &self,
        user: &UserId,
        page: PageRequest<MyGroupKey>,
    ) -> StoreResult<Page<Membership>> {
        let fetch = |forward: bool, key: Option<&MyGroupKey>, limit: i64| {
            if forward {
                q::USER_MEMBERSHIPS_FORWARD
            } else {
                q::USER_MEMBERSHIPS_BACKWARD
            }
            .query()
            .param("userId", user.as_str())
            .param("since", key.map(|k| k.0))
            .param("groupId", key.map(|k| k.1.to_string()))
            .param("limit", limit)
        };
        let exists = |key: &MyGroupKey, up_to: bool| {
            q::USER_MEMBERSHIPS_EXISTS
                .query()
                .param("userId", user.as_str())
                .param("since", key.0)
                .param("groupId", key.1.as_str())
                .param("upTo", up_to)
        };
        self.page::<_, MembershipRow, Membership>(&page, fetch, exists)
            .await
    }
}
