//! One request's memo of access checks. The resolvers of one query ask the
//! same question many times (may this viewer read this group?):
//! `message(id) { replies }` twice, a page of messages with their replies
//! once per message. The HTTP layer runs each GraphQL request with a
//! service handle of its own (`Service::for_request`), whose memo keeps
//! each result for the rest of the request; every write through the service
//! ends in `Service::announce`, which forgets them all, so what a mutation
//! returns is read with what it changed. The process-wide service keeps
//! nothing (a socket subscription lives for hours).

use crate::domain::group::Group;
use crate::domain::membership::Membership;
use crate::domain::{GroupId, UserId};
use parking_lot::Mutex;
use std::collections::HashMap;

pub(super) type Access = (Group, Option<Membership>);

/// The access checks one request made, by (group, viewer).
#[derive(Default)]
pub(super) struct AccessMemo(Mutex<HashMap<(GroupId, UserId), Access>>);

impl AccessMemo {
    pub fn recall(&self, group: &GroupId, user: &UserId) -> Option<Access> {
        let key = (group.clone(), user.clone());
        self.0.lock().get(&key).cloned()
    }

    pub fn keep(&self, group: &GroupId, user: &UserId, access: &Access) {
        self.0
            .lock()
            .insert((group.clone(), user.clone()), access.clone());
    }

    /// After a write: what was kept may have changed.
    pub fn forget(&self) {
        self.0.lock().clear();
    }
}
