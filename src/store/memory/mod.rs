//! The embedded store: everything in process memory, behind one mutex.
//!
//! A product feature, not a test double: `cargo run` serves on it. Each
//! trait method holds the lock for one short synchronous section, so every
//! read-modify-write is atomic and the invariants the Neo4j store keeps with
//! transactions (gap-free `seq`, exact counters, one winner per membership
//! transition, one message per client id) hold here by construction.

mod bots;
mod memberships;
mod messages;
mod outbox;
mod pages;
mod reads;
mod webhooks;

use super::{MemberKey, MyGroupKey, Recorded, SearchKey, Store, StoreError, StoreResult};
use crate::domain::event::DomainEvent;
use crate::domain::group::{Group, GroupPatch, NewGroup};
use crate::domain::ids::EventId;
use crate::domain::keyset;
use crate::domain::membership::{Action, Decision, Membership, MembershipState};
use crate::domain::message::{Message, MessageChange, NewMessage, Parent, Posted};
use crate::domain::page::{Page, PageRequest};
use crate::domain::user::{Profile, User};
use crate::domain::{GroupId, MessageId, Timestamp, UserId};
use async_trait::async_trait;
use pages::FilterSome;
use parking_lot::Mutex;
use std::collections::{BTreeMap, HashMap};

#[derive(Default)]
pub struct MemoryStore {
    state: Mutex<State>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }
}

#[derive(Default)]
struct State {
    users: HashMap<UserId, User>,
    groups: HashMap<GroupId, GroupRow>,
    /// Group search order.
    by_name: BTreeMap<SearchKey, ()>,
    memberships: HashMap<(GroupId, UserId), Membership>,
    /// Member and application lists: (group, state) -> ordered keys.
    by_state: HashMap<(GroupId, MembershipState), BTreeMap<MemberKey, ()>>,
    /// A user's groups (state MEMBER).
    by_user: HashMap<UserId, BTreeMap<MyGroupKey, ()>>,
    messages: HashMap<MessageId, MessageRow>,
    /// Thread order: parent key -> seq -> child.
    children: HashMap<String, BTreeMap<u64, MessageId>>,
    /// Idempotent sends: (group, author, client id) -> message.
    /// Sends by `NewMessage::idempotency_key`.
    client_ids: HashMap<String, MessageId>,
    /// Recorded events not yet confirmed published, by (time, id); written
    /// under the same lock as the change they announce.
    outbox: BTreeMap<(Timestamp, EventId), DomainEvent>,
    bots: bots::BotTable,
    webhooks: webhooks::WebhookTable,
    /// Read markers and levels, kept from a member's first join on.
    markers: HashMap<(GroupId, UserId), crate::domain::reading::Marker>,
}

struct GroupRow {
    group: Group,
    next_seq: u64,
    /// Messages of the group, replies too: the last one's position.
    posted: u64,
}

struct MessageRow {
    message: Message,
    next_seq: u64,
    /// Its position in the group (`domain::reading`).
    pos: u64,
}

#[async_trait]
impl Store for MemoryStore {
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
        };
        let membership = Membership::founder(group.id.clone(), owner.clone(), now);
        let mut state = self.state.lock();
        state.by_name.insert(group.search_key(), ());
        state.groups.insert(
            group.id.clone(),
            GroupRow {
                group: group.clone(),
                next_seq: 1,
                posted: 0,
            },
        );
        state.put_membership(membership.clone());
        let event = DomainEvent::membership(membership.clone(), now);
        Ok(state.record((group, membership), vec![event]))
    }

    async fn update_group(&self, id: &GroupId, patch: &GroupPatch) -> StoreResult<Group> {
        let mut state = self.state.lock();
        let row = state
            .groups
            .get_mut(id)
            .ok_or(StoreError::NotFound("group"))?;
        let old_key = row.group.search_key();
        patch.apply(&mut row.group);
        let (group, new_key) = (row.group.clone(), row.group.search_key());
        state.by_name.remove(&old_key);
        state.by_name.insert(new_key, ());
        Ok(group)
    }

    async fn groups(&self, ids: &[GroupId]) -> StoreResult<Vec<Group>> {
        let state = self.state.lock();
        Ok(ids
            .iter()
            .filter_map(|id| state.groups.get(id).map(|r| r.group.clone()))
            .collect())
    }

    async fn search_groups(
        &self,
        query: &str,
        page: PageRequest<SearchKey>,
    ) -> StoreResult<Page<Group>> {
        let needle = query.to_lowercase();
        let state = self.state.lock();
        let page = keyset::page(
            &state.by_name,
            &page,
            |(name, _), _| name.contains(&needle),
            |(_, id), _| id.clone(),
        );
        Ok(page
            .map(|id| state.groups.get(&id).map(|r| r.group.clone()))
            .filter_some())
    }

    async fn access(
        &self,
        group: &GroupId,
        user: &UserId,
    ) -> StoreResult<Option<(Group, Option<Membership>)>> {
        let state = self.state.lock();
        let key = (group.clone(), user.clone());
        Ok(state
            .groups
            .get(group)
            .map(|row| (row.group.clone(), state.memberships.get(&key).cloned())))
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

    async fn post_message(&self, new: &NewMessage) -> StoreResult<Recorded<Posted>> {
        let mut state = self.state.lock();
        let posted = state.post_message(new)?;
        let parent = new.parent_id().and_then(|id| state.messages.get(id));
        let parent = parent.map(|row| &row.message);
        let members = state.groups.get(&posted.message.group_id);
        let members = members.map(|row| row.group.member_count);
        let events = DomainEvent::of_post(&posted, parent, new.now)
            .map(|event| event.with_member_count(members))
            .into_iter()
            .collect();
        Ok(state.record(posted, events))
    }

    async fn messages(&self, ids: &[MessageId]) -> StoreResult<Vec<Message>> {
        let state = self.state.lock();
        Ok(ids
            .iter()
            .filter_map(|id| state.messages.get(id).map(|r| r.message.clone()))
            .collect())
    }

    async fn children(
        &self,
        parent: &Parent,
        page: PageRequest<u64>,
    ) -> StoreResult<Page<Message>> {
        self.state.lock().children(parent, &page)
    }

    async fn ancestors(&self, id: &MessageId, last: usize) -> StoreResult<Vec<Message>> {
        self.state.lock().ancestors(id, last)
    }

    async fn change_message(
        &self,
        id: &MessageId,
        change: &MessageChange,
    ) -> StoreResult<Recorded<Message>> {
        let mut state = self.state.lock();
        let row = state
            .messages
            .get_mut(id)
            .ok_or(StoreError::NotFound("message"))?;
        let before = row.message.clone();
        change
            .apply(&mut row.message)
            .map_err(StoreError::Rejected)?;
        let after = state.remention(id, &before)?;
        let events = DomainEvent::of_change(change, &before, after.clone());
        Ok(state.record(after, events.into_iter().collect()))
    }

    async fn pending_events(
        &self,
        before: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<DomainEvent>> {
        Ok(self.state.lock().pending_events(before, limit))
    }

    async fn confirm_events(&self, ids: &[EventId]) -> StoreResult<()> {
        self.state.lock().confirm_events(ids);
        Ok(())
    }
}
