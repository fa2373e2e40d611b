//! The local server's half of push: with no push services to call, the
//! pushes a new message would make are logged (ids and kinds only, never
//! text), chosen by the same rule `deliver` follows on AWS
//! (`DomainEvent::notifies`), over the group's members read from the store.

use super::Service;
use crate::domain::event::{DomainEvent, EventKind};
use crate::domain::membership::MembershipState;
use crate::domain::page::PageRequest;
use crate::domain::push::PushSubscription;
use crate::domain::{DomainError, DomainResult, UserId};
use std::collections::{HashMap, HashSet};

/// Members read per page.
const PAGE: usize = 100;

impl Service {
    /// The devices and Web Push subscriptions a new message goes to, given
    /// who is `online` in its group. Locally only: on AWS the audience is
    /// kept in shards instead of read per message.
    pub async fn offline_pushes(
        &self,
        event: &DomainEvent,
        online: &HashSet<UserId>,
    ) -> DomainResult<Vec<PushSubscription>> {
        if event.kind != EventKind::MessagePosted {
            return Ok(Vec::new());
        }
        let group = &event.group_id;
        let mut members = Vec::new();
        let mut after = None;
        loop {
            let page = PageRequest::Forward { after, limit: PAGE };
            let found = self
                .store
                .group_memberships(group, MembershipState::Member, page)
                .await?;
            after = found.items.last().map(|m| m.list_key());
            members.extend(found.items.into_iter().map(|m| m.user_id));
            if !found.has_next {
                break;
            }
        }
        // Not pushed (`notifies` says so): their levels and devices go unread.
        members.retain(|m| !online.contains(m));
        let keys: Vec<_> = members.iter().map(|m| (group.clone(), m.clone())).collect();
        let levels: HashMap<UserId, _> = self
            .store
            .read_states(&keys)
            .await?
            .into_iter()
            .map(|((_, user), state)| (user, state.level))
            .collect();
        let pushes = self
            .push
            .of_users(&members)
            .await
            .map_err(|e| DomainError::Internal(Box::new(e)))?;
        Ok(pushes
            .into_iter()
            .filter(|p| {
                let level = levels.get(&p.user_id).copied().unwrap_or_default();
                event.notifies(&p.user_id, level, online.contains(&p.user_id))
            })
            .collect())
    }

    /// Logs the pushes a new message would make (the local server).
    pub async fn log_pushes(&self, event: &DomainEvent, online: &HashSet<UserId>) {
        match self.offline_pushes(event, online).await {
            Ok(pushes) => {
                for push in pushes {
                    let kind = push
                        .device
                        .as_ref()
                        .map_or("web push", |d| d.platform.as_str());
                    tracing::info!(
                        user = %push.user_id,
                        group = %event.group_id,
                        message_id = event.message.as_ref().map(|m| m.id.to_string()),
                        kind,
                        "push (local: logged, not sent)"
                    );
                }
            }
            Err(err) => tracing::warn!(error = %err, "pushes not computed"),
        }
    }
}
