//! The storage port of memberships: access checks, transitions, lists.

use super::{MemberKey, MyGroupKey, Recorded, StoreResult};
use crate::domain::group::Group;
use crate::domain::membership::{Action, Membership, MembershipState};
use crate::domain::page::{Page, PageRequest};
use crate::domain::transition::Decision;
use crate::domain::{GroupId, Timestamp, UserId};
use async_trait::async_trait;

#[async_trait]
pub trait Memberships: Send + Sync {
    async fn memberships(&self, keys: &[(GroupId, UserId)]) -> StoreResult<Vec<Membership>>;
    /// A group and `user`'s membership in it, read together (every access
    /// check); `None` if the group does not exist.
    async fn access(
        &self,
        group: &GroupId,
        user: &UserId,
    ) -> StoreResult<Option<(Group, Option<Membership>)>>;
    /// Reads the actor's and target's memberships, checks `action` with
    /// `domain::membership::decide` and writes the decision, atomically.
    async fn transition(
        &self,
        group: &GroupId,
        actor: &UserId,
        target: &UserId,
        action: &Action,
        now: Timestamp,
    ) -> StoreResult<Recorded<Decision>>;
    /// A group's memberships in one state, oldest `since` first.
    async fn group_memberships(
        &self,
        group: &GroupId,
        state: MembershipState,
        page: PageRequest<MemberKey>,
    ) -> StoreResult<Page<Membership>>;
    /// The memberships in state MEMBER of one user.
    async fn user_memberships(
        &self,
        user: &UserId,
        page: PageRequest<MyGroupKey>,
    ) -> StoreResult<Page<Membership>>;
}
