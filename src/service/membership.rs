use super::Service;
use crate::domain::access::can_read_content;
use crate::domain::group::Group;
use crate::domain::membership::{Action, Membership, MembershipState};
use crate::domain::page::{Page, PageRequest};
use crate::domain::{DomainError, DomainResult, GroupId, UserId};
use crate::store::MemberKey;

impl Service {
    /// Runs one membership transition (checked atomically by the store with
    /// `domain::transition::decide`) and announces the result.
    #[tracing::instrument(skip(self))]
    pub async fn change_membership(
        &self,
        viewer: &UserId,
        group: &GroupId,
        target: &UserId,
        action: Action,
    ) -> DomainResult<Membership> {
        self.throttle(viewer).await?;
        if target != viewer
            && self
                .store
                .users(std::slice::from_ref(target))
                .await?
                .is_empty()
        {
            return Err(DomainError::NotFound("user"));
        }
        let now = Self::now();
        let recorded = self
            .store
            .transition(group, viewer, target, &action, now)
            .await?;
        self.keys_may_have_changed();
        self.announce(recorded.events).await;
        Ok(recorded.value.target)
    }

    pub async fn transfer_ownership(
        &self,
        viewer: &UserId,
        group: &GroupId,
        to: &UserId,
    ) -> DomainResult<Group> {
        self.change_membership(viewer, group, to, Action::TransferOwnership)
            .await?;
        self.load_group(group).await
    }

    /// Members (state MEMBER), for whoever may read the group's content.
    #[tracing::instrument(skip(self))]
    pub async fn members(
        &self,
        viewer: &UserId,
        group: &GroupId,
        page: PageRequest<MemberKey>,
    ) -> DomainResult<Page<Membership>> {
        self.readable_group(viewer, group).await?;
        Ok(self
            .store
            .group_memberships(group, MembershipState::Member, page)
            .await?)
    }

    /// Pending applications, for the group's owner and admins.
    #[tracing::instrument(skip(self))]
    pub async fn applications(
        &self,
        viewer: &UserId,
        group: &GroupId,
        page: PageRequest<MemberKey>,
    ) -> DomainResult<Page<Membership>> {
        if !self.require_member(viewer, group).await?.is_admin() {
            return Err(DomainError::forbidden(
                "only the group's owner and admins see applications",
            ));
        }
        Ok(self
            .store
            .group_memberships(group, MembershipState::Applied, page)
            .await?)
    }

    /// One membership, if `viewer` may see it: their own; a member's, for
    /// whoever may read the group's members; any, for the group's admins.
    #[tracing::instrument(skip(self))]
    pub async fn membership(
        &self,
        viewer: &UserId,
        group: &GroupId,
        user: &UserId,
    ) -> DomainResult<Option<Membership>> {
        let Some(found) = self.membership_of(group, user).await? else {
            return Ok(None);
        };
        if &found.user_id == viewer {
            return Ok(Some(found));
        }
        let own = self.membership_of(group, viewer).await?;
        if crate::domain::access::confine(viewer, own.as_ref()).is_err() {
            return Ok(None);
        }
        let visible = own.as_ref().is_some_and(Membership::is_admin)
            || (found.is_member()
                && can_read_content(self.load_group(group).await?.visibility, own.as_ref()));
        Ok(visible.then_some(found))
    }

    /// Who may open a `groupEvents` subscription: members only.
    pub async fn authorize_subscription(
        &self,
        viewer: &UserId,
        group: &GroupId,
    ) -> DomainResult<()> {
        self.require_member(viewer, group).await.map(|_| ())
    }
}
