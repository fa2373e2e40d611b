use crate::domain::presence::Presence;
use crate::domain::push::PushSubscription;
use crate::domain::user::User;
use crate::domain::Timestamp;
use crate::graphql::context::{loader, viewer};
use crate::graphql::errors::ApiResult;
use crate::graphql::loaders::PresenceKey;
use async_graphql::{Context, Object, ID};

pub struct UserObject(pub User);

#[Object(name = "User")]
impl UserObject {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn picture_url(&self) -> Option<&str> {
        self.0.picture_url.as_deref()
    }

    /// Whether this user is a bot (a group's bot or an incoming webhook's),
    /// not a person: a client marks its messages so a bot named "Alice"
    /// cannot pass for her.
    async fn is_bot(&self) -> bool {
        self.0.id.is_bot()
    }

    /// Whether they have a live socket and when they were last seen: the
    /// viewer's own, or a user who shares a group with the viewer (both
    /// members); null otherwise. A user who hid it shows offline and never
    /// seen to others.
    async fn presence(&self, ctx: &Context<'_>) -> ApiResult<Option<PresenceObject>> {
        let viewer = viewer(ctx)?;
        let key = PresenceKey(viewer.clone(), self.0.id.clone());
        let Some(online) = loader(ctx)?.load_one(key).await? else {
            return Ok(None);
        };
        let own = &self.0.id == viewer;
        let (hidden, seen) = (self.0.presence_hidden, self.0.last_seen_at);
        Ok(Some(PresenceObject(Presence::shown(
            own, hidden, online, seen,
        ))))
    }
}

pub struct PresenceObject(pub Presence);

#[Object(name = "Presence")]
impl PresenceObject {
    async fn online(&self) -> bool {
        self.0.online
    }

    /// To the minute.
    async fn last_seen_at(&self) -> Option<Timestamp> {
        self.0.last_seen_at
    }
}

pub struct PushSubscriptionObject(pub PushSubscription);

#[Object(name = "PushSubscription")]
impl PushSubscriptionObject {
    async fn endpoint(&self) -> &str {
        &self.0.endpoint
    }

    async fn created_at(&self) -> Timestamp {
        self.0.created_at
    }
}

/// A native app's device registered for push (`registerDevice`).
pub struct DeviceObject(PushSubscription, crate::domain::push::DevicePlatform);

impl DeviceObject {
    /// The device a registration is, if it is a native one.
    pub fn of(sub: PushSubscription) -> Option<Self> {
        let platform = sub.device.as_ref()?.platform;
        Some(Self(sub, platform))
    }
}

#[Object(name = "Device")]
impl DeviceObject {
    /// A digest of the token, stable across registrations.
    async fn id(&self) -> async_graphql::ID {
        async_graphql::ID(self.0.device_id())
    }

    async fn platform(&self) -> super::DevicePlatformGql {
        self.1.into()
    }

    async fn created_at(&self) -> Timestamp {
        self.0.created_at
    }
}
