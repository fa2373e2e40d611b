use super::Service;
use crate::domain::group::{Group, GroupPatch, NewGroup};
use crate::domain::membership::Membership;
use crate::domain::moderation::{ModerationAction, ModerationEntry};
use crate::domain::page::{Page, PageRequest};
use crate::domain::{DomainError, DomainResult, GroupId, UserId};
use crate::store::MyGroupKey;

impl Service {
    /// Any signed-in user sees a group's public face (name, description,
    /// member count); content is guarded by `readable_group`.
    #[tracing::instrument(skip(self))]
    /// Read through `access`, so a bot sees only its own group and the
    /// request's later checks of this group cost nothing.
    pub async fn group(&self, viewer: &UserId, id: &GroupId) -> DomainResult<Option<Group>> {
        // A group the viewer may not see (a bot's foreign group) is absent,
        // as a missing one is: the answer tells nothing of what exists.
        match self.access(viewer, id).await {
            Ok((group, _)) => Ok(Some(group)),
            Err(DomainError::NotFound(_) | DomainError::Forbidden(_)) => Ok(None),
            Err(err) => Err(err),
        }
    }

    #[tracing::instrument(skip(self, group))]
    pub async fn create_group(&self, viewer: &UserId, group: NewGroup) -> DomainResult<Group> {
        crate::domain::access::people_only(viewer)?;
        self.throttle(viewer).await?;
        let created = self.store.create_group(&group, viewer, Self::now()).await?;
        let (group, _owner) = created.value;
        // The founder's membership event: fan-out adds them to the audience.
        self.announce(created.events).await;
        tracing::info!(group = %group.id, "group created");
        Ok(group)
    }

    #[tracing::instrument(skip(self, patch))]
    pub async fn update_group(
        &self,
        viewer: &UserId,
        id: &GroupId,
        patch: GroupPatch,
    ) -> DomainResult<Group> {
        self.throttle(viewer).await?;
        match self.membership_of(id, viewer).await? {
            Some(m) if m.is_admin() => {}
            _ => {
                self.load_group(id).await?;
                return Err(DomainError::forbidden(
                    "only the group's owner and admins can update it",
                ));
            }
        }
        // A slow mode setting is moderation: logged in the update's transaction.
        let log = patch.slow_mode_seconds.map(|seconds| {
            let mut entry =
                ModerationEntry::new(id, viewer, ModerationAction::SlowModeChanged, Self::now());
            entry.reason = Some(format!("{seconds} s"));
            entry
        });
        let updated = self.store.update_group(id, &patch, log.as_ref()).await?;
        self.announce(Vec::new()).await;
        Ok(updated)
    }

    /// The viewer's memberships in state MEMBER, oldest first.
    #[tracing::instrument(skip(self))]
    pub async fn my_groups(
        &self,
        viewer: &UserId,
        page: PageRequest<MyGroupKey>,
    ) -> DomainResult<Page<Membership>> {
        Ok(self.store.user_memberships(viewer, page).await?)
    }
}
