//! Users and groups in the embedded store.

use super::{GroupRow, MemoryStore};
use crate::domain::event::DomainEvent;
use crate::domain::group::{Group, GroupPatch, NewGroup};
use crate::domain::membership::Membership;
use crate::domain::moderation::ModerationEntry;
use crate::domain::user::{Profile, User};
use crate::domain::{GroupId, Timestamp, UserId};
use crate::store::{Groups, Recorded, StoreError, StoreResult, Users};
use async_trait::async_trait;

#[async_trait]
impl Users for MemoryStore {
    async fn upsert_user(&self, profile: &Profile, now: Timestamp) -> StoreResult<User> {
        let mut state = self.state.lock();
        let user = state
            .users
            .entry(profile.id.clone())
            .or_insert_with(|| User {
                id: profile.id.clone(),
                name: profile.name.clone(),
                email: profile.email.clone(),
                picture_url: profile.picture_url.clone(),
                created_at: now,
                last_seen_at: None,
                presence_hidden: false,
            });
        user.name.clone_from(&profile.name);
        user.email.clone_from(&profile.email);
        user.picture_url.clone_from(&profile.picture_url);
        Ok(user.clone())
    }

    async fn users(&self, ids: &[UserId]) -> StoreResult<Vec<User>> {
        let state = self.state.lock();
        Ok(ids
            .iter()
            .filter_map(|id| state.users.get(id).cloned())
            .collect())
    }

    async fn mark_seen(&self, user: &UserId, minute: Timestamp) -> StoreResult<()> {
        let every =
            chrono::Duration::from_std(crate::domain::presence::SEEN_EVERY).unwrap_or_default();
        let mut state = self.state.lock();
        if let Some(found) = state.users.get_mut(user) {
            if found.last_seen_at.is_none_or(|at| at <= minute - every) {
                found.last_seen_at = Some(minute);
            }
        }
        Ok(())
    }

    async fn set_presence_hidden(&self, user: &UserId, hidden: bool) -> StoreResult<User> {
        let mut state = self.state.lock();
        let found = state
            .users
            .get_mut(user)
            .ok_or(StoreError::NotFound("user"))?;
        found.presence_hidden = hidden;
        Ok(found.clone())
    }

    async fn sharing(&self, viewer: &UserId, users: &[UserId]) -> StoreResult<Vec<UserId>> {
        let state = self.state.lock();
        let empty = std::collections::BTreeMap::new();
        let groups = state.by_user.get(viewer).unwrap_or(&empty);
        let member = |user: &UserId, group: &GroupId| {
            let key = (group.clone(), user.clone());
            state.memberships.get(&key).is_some_and(|m| m.is_member())
        };
        let shares = |user: &&UserId| groups.keys().any(|(_, g)| member(user, g));
        Ok(users.iter().filter(shares).cloned().collect())
    }
}

#[async_trait]
impl Groups for MemoryStore {
    async fn create_group(
        &self,
        new: &NewGroup,
        owner: &UserId,
        now: Timestamp,
    ) -> StoreResult<Recorded<(Group, Membership)>> {
        let group = Group {
            id: GroupId::generate(),
            name: new.name.to_string(),
            description: new.description.clone(),
            visibility: new.visibility,
            created_at: now,
            member_count: 1,
            slow_mode_seconds: 0,
        };
        let membership = Membership::founder(group.id.clone(), owner.clone(), now);
        let mut state = self.state.lock();
        state.search.group(None, &group);
        state.groups.insert(
            group.id.clone(),
            GroupRow {
                group: group.clone(),
                next_seq: 1,
                posted: 0,
                pins: Vec::new(),
            },
        );
        state.put_membership(membership.clone());
        let event = DomainEvent::membership(membership.clone(), now);
        Ok(state.record((group, membership), vec![event]))
    }

    async fn update_group(
        &self,
        id: &GroupId,
        patch: &GroupPatch,
        log: Option<&ModerationEntry>,
    ) -> StoreResult<Group> {
        let mut state = self.state.lock();
        let row = state
            .groups
            .get_mut(id)
            .ok_or(StoreError::NotFound("group"))?;
        let before = row.group.clone();
        patch.apply(&mut row.group);
        let group = row.group.clone();
        state.search.group(Some(&before), &group);
        if let Some(entry) = log {
            state.log.append(entry);
        }
        Ok(group)
    }

    async fn groups(&self, ids: &[GroupId]) -> StoreResult<Vec<Group>> {
        let state = self.state.lock();
        Ok(ids
            .iter()
            .filter_map(|id| state.groups.get(id).map(|r| r.group.clone()))
            .collect())
    }
}
