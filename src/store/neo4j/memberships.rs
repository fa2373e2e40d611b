//! Memberships on Neo4j: the access check (a group and one user's
//! membership, one statement: `cypher/group_access.cypher`), transitions
//! and member lists.

use super::queries as q;
use super::rows::{self, micros, name_of, GroupRow, MembershipRow};
use super::tx::{self, write_txn, TxError};
use super::Neo4jStore;
use crate::domain::event::DomainEvent;
use crate::domain::group::Group;
use crate::domain::membership::{Action, Membership, MembershipState};
use crate::domain::page::{Page, PageRequest};
use crate::domain::transition::{self, Decision};
use crate::domain::{GroupId, Timestamp, UserId};
use crate::store::{MemberKey, Memberships, MyGroupKey, Recorded, StoreError, StoreResult};
use async_trait::async_trait;
use neo4rs::Txn;

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
        .param("updatedAt", micros(m.updated_at))
        .param("mutedUntil", m.muted_until.map(micros))
        .param("bannedUntil", m.banned_until.map(micros));
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
    fallout: &transition::Fallout,
    now: Timestamp,
) -> Result<(), TxError> {
    match fallout {
        transition::Fallout::DisableCreatedBy(user, reason) => {
            for statement in [q::BOTS_DISABLE_OF_CREATOR, q::WEBHOOKS_DISABLE_OF_CREATOR] {
                let statement = statement
                    .query()
                    .param("groupId", group.as_str())
                    .param("userId", user.as_str())
                    .param("reason", *reason);
                tx::rows::<rows::Ignored>(txn, statement).await?;
            }
        }
        transition::Fallout::RevokeBotOf(user) => {
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

#[async_trait]
impl Memberships for Neo4jStore {
    /// The group and the user's membership in it: one statement.
    async fn access(
        &self,
        group: &GroupId,
        user: &UserId,
    ) -> StoreResult<Option<(Group, Option<Membership>)>> {
        let statement = q::GROUP_ACCESS
            .query()
            .param("groupId", group.as_str())
            .param("userId", user.as_str());
        let Some(row) = tx::read_rows(&self.graph, statement).await?.pop() else {
            return Ok(None);
        };
        let decode = |e: neo4rs::DeError| StoreError::Internal(Box::new(e));
        let found: Group = row.to::<GroupRow>().map_err(decode)?.try_into()?;
        let membership = match row.get::<Option<String>>("state").ok().flatten() {
            Some(_) => Some(row.to::<MembershipRow>().map_err(decode)?.try_into()?),
            None => None,
        };
        Ok(Some((found, membership)))
    }

    async fn memberships(&self, keys: &[(GroupId, UserId)]) -> StoreResult<Vec<Membership>> {
        let pairs: Vec<Vec<String>> = keys
            .iter()
            .map(|(g, u)| vec![g.to_string(), u.to_string()])
            .collect();
        let statement = q::MEMBERSHIPS_BY_KEYS.query().param("pairs", pairs);
        rows::convert(tx::read::<MembershipRow>(&self.graph, statement).await?)
    }

    #[tracing::instrument(skip(self, now))]
    async fn transition(
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
            let situation = transition::Situation {
                group_id: group,
                actor_id: actor,
                target_id: target,
                actor: find(actor),
                target: find(target),
                now,
            };
            let decision = transition::decide(&situation, action).map_err(StoreError::Rejected)?;
            if let Some(fallout) = transition::fallout(find(target), &decision.target) {
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
            if let Some(entry) = &decision.log {
                super::moderation::log(txn, entry).await?;
            }
            let events = DomainEvent::of_decision(&decision, now);
            super::outbox::record(txn, &events).await?;
            Ok(Recorded {
                value: decision,
                events,
            })
        })
    }

    async fn group_memberships(
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

    async fn user_memberships(
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
