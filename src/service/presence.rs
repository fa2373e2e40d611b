use super::Service;
use crate::domain::presence::{seen_minute, Presence};
use crate::domain::user::User;
use crate::domain::{DomainError, DomainResult, UserId};
use std::collections::HashMap;

impl Service {
    /// Records that `user` made a request or opened a socket: their
    /// `lastSeenAt` moves to this minute, written at most once a minute per
    /// user through this process (and conditionally in the store, so
    /// processes racing write once), off the request path.
    pub(super) fn seen(&self, user: &UserId) {
        let minute = seen_minute(Self::now());
        {
            let mut written = self.seen_written.lock();
            if written.get(user) == Some(&minute) {
                return;
            }
            written.put(user.clone(), minute);
        }
        let (store, user) = (self.store.clone(), user.clone());
        tokio::spawn(async move {
            if let Err(err) = store.mark_seen(&user, minute).await {
                tracing::warn!(error = %err, "last seen not recorded");
            }
        });
    }

    /// The presence of each of `users` that `viewer` may see: their own,
    /// and that of users who share a group with them (both `MEMBER`s);
    /// the others are left out.
    pub async fn presences(
        &self,
        viewer: &UserId,
        users: &[UserId],
    ) -> DomainResult<HashMap<UserId, Presence>> {
        let others: Vec<UserId> = users.iter().filter(|u| *u != viewer).cloned().collect();
        let mut visible = self.store.sharing(viewer, &others).await?;
        if users.contains(viewer) {
            visible.push(viewer.clone());
        }
        if visible.is_empty() {
            return Ok(HashMap::new());
        }
        let online = self
            .online
            .with_sockets(&visible)
            .await
            .map_err(|e| DomainError::Internal(e.0))?;
        let found = self.store.users(&visible).await?;
        Ok(found
            .into_iter()
            .map(|u| {
                let shown = Presence::shown(
                    &u.id == viewer,
                    u.presence_hidden,
                    online.contains(&u.id),
                    u.last_seen_at,
                );
                (u.id, shown)
            })
            .collect())
    }

    /// Shows (`visible`) or hides the viewer's presence from others.
    #[tracing::instrument(skip(self))]
    pub async fn set_presence_visible(&self, viewer: &UserId, visible: bool) -> DomainResult<User> {
        Ok(self.store.set_presence_hidden(viewer, !visible).await?)
    }
}
