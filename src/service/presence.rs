use super::Service;
use crate::domain::presence::seen_minute;
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

    /// Whether each of `users` whose presence `viewer` may see has a live
    /// socket: the viewer themself, and users who share a group with them
    /// (both `MEMBER`s); the others are left out. What is shown is
    /// `Presence::shown` of this and the user's own fields.
    pub async fn online_among(
        &self,
        viewer: &UserId,
        users: &[UserId],
    ) -> DomainResult<HashMap<UserId, bool>> {
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
        Ok(visible
            .into_iter()
            .map(|u| {
                let on = online.contains(&u);
                (u, on)
            })
            .collect())
    }

    /// Shows (`visible`) or hides the viewer's presence from others.
    #[tracing::instrument(skip(self))]
    pub async fn set_presence_visible(&self, viewer: &UserId, visible: bool) -> DomainResult<User> {
        Ok(self.store.set_presence_hidden(viewer, !visible).await?)
    }
}
