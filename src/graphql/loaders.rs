//! Batched loads of related objects (no N+1): every `author`, `group`,
//! `parent` and `viewerMembership` of one request goes out as one store call
//! per kind.

use crate::domain::group::Group;
use crate::domain::membership::Membership;
use crate::domain::message::Message;
use crate::domain::user::User;
use crate::domain::{DomainError, GroupId, MessageId, UserId};
use async_graphql::dataloader::Loader;
use std::collections::HashMap;
use std::sync::Arc;

/// Batched loads through the service's store (and, for presence, the
/// service itself: its live-socket port).
pub struct StoreLoader(pub Arc<crate::service::Service>);

type Loaded<K, V> = Result<HashMap<K, V>, Arc<DomainError>>;

fn shared(err: crate::store::StoreError) -> Arc<DomainError> {
    Arc::new(err.into())
}

impl Loader<UserId> for StoreLoader {
    type Value = User;
    type Error = Arc<DomainError>;

    /// A deleted account's ghost id has no user: it shows as "Deleted
    /// user".
    async fn load(&self, keys: &[UserId]) -> Loaded<UserId, User> {
        let users = self.0.store().users(keys).await.map_err(shared)?;
        let mut found: HashMap<UserId, User> =
            users.into_iter().map(|u| (u.id.clone(), u)).collect();
        for ghost in keys.iter().filter(|k| k.is_ghost()) {
            (found.entry(ghost.clone()))
                .or_insert_with(|| crate::domain::account::deleted_user(ghost.clone()));
        }
        Ok(found)
    }
}

impl Loader<GroupId> for StoreLoader {
    type Value = Group;
    type Error = Arc<DomainError>;

    async fn load(&self, keys: &[GroupId]) -> Loaded<GroupId, Group> {
        let groups = self.0.store().groups(keys).await.map_err(shared)?;
        Ok(groups.into_iter().map(|g| (g.id.clone(), g)).collect())
    }
}

impl Loader<MessageId> for StoreLoader {
    type Value = Message;
    type Error = Arc<DomainError>;

    async fn load(&self, keys: &[MessageId]) -> Loaded<MessageId, Message> {
        let messages = self.0.store().messages(keys).await.map_err(shared)?;
        Ok(messages.into_iter().map(|m| (m.id.clone(), m)).collect())
    }
}

impl Loader<(GroupId, UserId)> for StoreLoader {
    type Value = Membership;
    type Error = Arc<DomainError>;

    async fn load(&self, keys: &[(GroupId, UserId)]) -> Loaded<(GroupId, UserId), Membership> {
        let found = self.0.store().memberships(keys).await.map_err(shared)?;
        Ok(found
            .into_iter()
            .map(|m| ((m.group_id.clone(), m.user_id.clone()), m))
            .collect())
    }
}

/// A member's read state in a group (`Group.unreadCount`,
/// `Membership.notificationLevel`...): one store call per request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReadKey(pub GroupId, pub UserId);

impl Loader<ReadKey> for StoreLoader {
    type Value = crate::domain::reading::ReadState;
    type Error = Arc<DomainError>;

    async fn load(&self, keys: &[ReadKey]) -> Loaded<ReadKey, Self::Value> {
        let pairs: Vec<(GroupId, UserId)> =
            keys.iter().map(|k| (k.0.clone(), k.1.clone())).collect();
        let found = self.0.store().read_states(&pairs).await.map_err(shared)?;
        Ok(found
            .into_iter()
            .map(|((g, u), state)| (ReadKey(g, u), state))
            .collect())
    }
}

/// The keys a user holds on a message (`ReactionSummary.viewerReacted`):
/// one store call per user per batch, so one per request's page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HeldKey(pub UserId, pub MessageId);

impl Loader<HeldKey> for StoreLoader {
    type Value = Vec<String>;
    type Error = Arc<DomainError>;

    async fn load(&self, keys: &[HeldKey]) -> Loaded<HeldKey, Self::Value> {
        let mut out: HashMap<HeldKey, Vec<String>> = HashMap::new();
        for (user, messages) in per_user(keys.iter().map(|k| (&k.0, &k.1))) {
            for r in self
                .0
                .store()
                .reactions_of(user, &messages)
                .await
                .map_err(shared)?
            {
                let key = HeldKey(r.user_id, r.message_id);
                out.entry(key).or_default().push(r.key);
            }
        }
        Ok(out)
    }
}

/// A top-level message's thread summary (`Message.thread`): one store call
/// per page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ThreadOf(pub MessageId);

impl Loader<ThreadOf> for StoreLoader {
    type Value = crate::domain::thread::Thread;
    type Error = Arc<DomainError>;

    async fn load(&self, keys: &[ThreadOf]) -> Loaded<ThreadOf, Self::Value> {
        let roots: Vec<MessageId> = keys.iter().map(|k| k.0.clone()).collect();
        let found = self.0.store().threads(&roots).await.map_err(shared)?;
        Ok(found
            .into_iter()
            .map(|t| (ThreadOf(t.root_id.clone()), t))
            .collect())
    }
}

/// Whether a user took part in a thread (`ThreadSummary.viewerParticipated`):
/// one store call per user per batch.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TookPart(pub UserId, pub MessageId);

impl Loader<TookPart> for StoreLoader {
    type Value = ();
    type Error = Arc<DomainError>;

    async fn load(&self, keys: &[TookPart]) -> Loaded<TookPart, ()> {
        let mut out = HashMap::new();
        for (user, roots) in per_user(keys.iter().map(|k| (&k.0, &k.1))) {
            for root in self
                .0
                .store()
                .participated(user, &roots)
                .await
                .map_err(shared)?
            {
                out.insert(TookPart(user.clone(), root), ());
            }
        }
        Ok(out)
    }
}

/// Whether a user has a live socket, as far as one viewer may know
/// (`User.presence`): one call per viewer per batch; absent when the viewer
/// may not see it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PresenceKey(pub UserId, pub UserId);

impl Loader<PresenceKey> for StoreLoader {
    type Value = bool;
    type Error = Arc<DomainError>;

    async fn load(&self, keys: &[PresenceKey]) -> Loaded<PresenceKey, bool> {
        let mut out = HashMap::new();
        for (viewer, users) in per_user(keys.iter().map(|k| (&k.0, &k.1))) {
            let found = self
                .0
                .online_among(viewer, &users)
                .await
                .map_err(Arc::new)?;
            for (user, online) in found {
                out.insert(PresenceKey(viewer.clone(), user), online);
            }
        }
        Ok(out)
    }
}

/// Pairs grouped by their first part (the user a batch is read for).
fn per_user<'a, T: Clone + 'a>(
    pairs: impl Iterator<Item = (&'a UserId, &'a T)>,
) -> HashMap<&'a UserId, Vec<T>> {
    let mut grouped: HashMap<&UserId, Vec<T>> = HashMap::new();
    for (user, item) in pairs {
        grouped.entry(user).or_default().push(item.clone());
    }
    grouped
}
