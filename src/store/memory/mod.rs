//! The embedded store: everything in process memory, behind one mutex.
//!
//! A product feature, not a test double: `cargo run` serves on it. Each
//! trait method holds the lock for one short synchronous section, so every
//! read-modify-write is atomic and the invariants the Neo4j store keeps with
//! transactions (gap-free `seq`, exact counters, one winner per membership
//! transition, one message per client id) hold here by construction.

mod accounts;
mod attachments;
mod bots;
mod groups;
mod memberships;
mod messages;
mod moderation;
mod outbox;
mod pages;
mod pins;
mod reactions;
mod reads;
mod reports;
mod search;
mod threads;
mod webhooks;

use super::{MemberKey, MyGroupKey, StoreError, StoreResult};
use crate::domain::attachment::Attachment;
use crate::domain::event::DomainEvent;
use crate::domain::group::Group;
use crate::domain::ids::EventId;
use crate::domain::membership::{Membership, MembershipState};
use crate::domain::message::Message;
use crate::domain::user::User;
use crate::domain::{AttachmentId, GroupId, MessageId, Timestamp, UserId};
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
    /// Members (people, not bots) by marker, per group: `seenBy`.
    readers: HashMap<GroupId, BTreeMap<(u64, String), ()>>,
    reactions: reactions::ReactionTable,
    threads: threads::ThreadTable,
    search: search::SearchIndex,
    log: moderation::LogTable,
    reports: reports::ReportTable,
    /// Deletions under way and data exports.
    accounts: accounts::AccountTable,
    /// Uploads, with whether a sweep kept them.
    attachments: HashMap<AttachmentId, (Attachment, bool)>,
}

struct GroupRow {
    group: Group,
    next_seq: u64,
    /// Messages of the group, replies too: the last one's position.
    posted: u64,
    /// Pinned messages, in pin order.
    pins: Vec<MessageId>,
}

struct MessageRow {
    message: Message,
    next_seq: u64,
    /// Its position in the group (`domain::reading`).
    pos: u64,
}
