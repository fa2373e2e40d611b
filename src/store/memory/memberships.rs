//! Memberships in the embedded store: transitions checked by
//! `domain::membership::decide`, and the list indexes kept in step.

use super::pages::FilterSome;
use super::{MemberKey, MemoryStore, MyGroupKey, State, StoreError, StoreResult};
use crate::domain::event::DomainEvent;
use crate::domain::group::Group;
use crate::domain::keyset;
use crate::domain::membership::{Action, Membership, MembershipState};
use crate::domain::page::{Page, PageRequest};
use crate::domain::reading::Marker;
use crate::domain::transition::{self, Decision};
use crate::domain::{GroupId, Timestamp, UserId};
use crate::store::{Memberships, Recorded};
use async_trait::async_trait;

impl State {
    /// A group and `user`'s membership in it (every access check).
    pub(super) fn access(
        &self,
        group: &GroupId,
        user: &UserId,
    ) -> Option<(Group, Option<Membership>)> {
        let key = (group.clone(), user.clone());
        let row = self.groups.get(group)?;
        Some((row.group.clone(), self.memberships.get(&key).cloned()))
    }

    /// Replaces a membership and keeps the list indexes in step.
    pub(super) fn put_membership(&mut self, m: Membership) {
        let key = (m.group_id.clone(), m.user_id.clone());
        if let Some(old) = self.memberships.remove(&key) {
            if let Some(list) = self.by_state.get_mut(&(old.group_id.clone(), old.state)) {
                list.remove(&old.list_key());
            }
            if old.is_member() {
                self.list_reader(&key, false);
                if let Some(list) = self.by_user.get_mut(&old.user_id) {
                    list.remove(&(old.since.timestamp_micros(), old.group_id.clone()));
                }
            }
        }
        self.by_state
            .entry((m.group_id.clone(), m.state))
            .or_default()
            .insert(m.list_key(), ());
        if m.is_member() {
            let posted = self.groups.get(&m.group_id).map_or(0, |g| g.posted);
            self.markers
                .entry(key.clone())
                .or_insert_with(|| Marker::joining(posted));
            self.list_reader(&key, true);
            self.by_user
                .entry(m.user_id.clone())
                .or_default()
                .insert((m.since.timestamp_micros(), m.group_id.clone()), ());
        }
        self.memberships.insert(key, m);
    }

    pub(super) fn transition(
        &mut self,
        group: &GroupId,
        actor: &UserId,
        target: &UserId,
        action: &Action,
        now: Timestamp,
    ) -> StoreResult<Decision> {
        if !self.groups.contains_key(group) {
            return Err(StoreError::NotFound("group"));
        }
        let actor_m = self.memberships.get(&(group.clone(), actor.clone()));
        let target_m = self.memberships.get(&(group.clone(), target.clone()));
        let situation = transition::Situation {
            group_id: group,
            actor_id: actor,
            target_id: target,
            actor: actor_m,
            target: target_m,
            now,
        };
        let decision = transition::decide(&situation, action).map_err(StoreError::Rejected)?;
        let fallout = crate::domain::transition::fallout(target_m, &decision.target);
        if let Some(fallout) = &fallout {
            self.apply_fallout(group, fallout, now);
        }
        if let Some(row) = self.groups.get_mut(group) {
            row.group.member_count = row
                .group
                .member_count
                .saturating_add_signed(decision.member_delta);
        }
        self.put_membership(decision.target.clone());
        if let Some(actor_m) = &decision.actor {
            self.put_membership(actor_m.clone());
        }
        if let Some(entry) = &decision.log {
            self.log.append(entry);
        }
        Ok(decision)
    }

    pub(super) fn group_memberships(
        &self,
        group: &GroupId,
        wanted: MembershipState,
        page: &PageRequest<MemberKey>,
    ) -> Page<Membership> {
        let Some(list) = self.by_state.get(&(group.clone(), wanted)) else {
            return Page::empty();
        };
        let page = keyset::page(
            list,
            page,
            |_, _| true,
            |(_, user), _| {
                self.memberships
                    .get(&(group.clone(), user.clone()))
                    .cloned()
            },
        );
        page.filter_some()
    }

    pub(super) fn user_memberships(
        &self,
        user: &UserId,
        page: &PageRequest<MyGroupKey>,
    ) -> Page<Membership> {
        let Some(list) = self.by_user.get(user) else {
            return Page::empty();
        };
        let page = keyset::page(
            list,
            page,
            |_, _| true,
            |(_, group), _| {
                self.memberships
                    .get(&(group.clone(), user.clone()))
                    .cloned()
            },
        );
        page.filter_some()
    }
}

#[async_trait]
impl Memberships for MemoryStore {
    async fn access(
        &self,
        group: &GroupId,
        user: &UserId,
    ) -> StoreResult<Option<(Group, Option<Membership>)>> {
        Ok(self.state.lock().access(group, user))
    }

    async fn memberships(&self, keys: &[(GroupId, UserId)]) -> StoreResult<Vec<Membership>> {
        let state = self.state.lock();
        Ok(keys
            .iter()
            .filter_map(|k| state.memberships.get(k).cloned())
            .collect())
    }

    async fn transition(
        &self,
        group: &GroupId,
        actor: &UserId,
        target: &UserId,
        action: &Action,
        now: Timestamp,
    ) -> StoreResult<Recorded<Decision>> {
        let mut state = self.state.lock();
        let decision = state.transition(group, actor, target, action, now)?;
        let events = DomainEvent::of_decision(&decision, now);
        Ok(state.record(decision, events))
    }

    async fn group_memberships(
        &self,
        group: &GroupId,
        wanted: MembershipState,
        page: PageRequest<MemberKey>,
    ) -> StoreResult<Page<Membership>> {
        Ok(self.state.lock().group_memberships(group, wanted, &page))
    }

    async fn user_memberships(
        &self,
        user: &UserId,
        page: PageRequest<MyGroupKey>,
    ) -> StoreResult<Page<Membership>> {
        Ok(self.state.lock().user_memberships(user, &page))
    }
}
