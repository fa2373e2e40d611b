//! Use cases. Every public method takes the acting user and decides what
//! that user may do before touching the store; resolvers only translate.

mod accounts;
mod bots;
mod groups;
mod hooks;
mod membership;
mod memo;
mod messages;
mod moderation;
pub mod outbox;
mod pins;
mod presence;
pub use bots::BotWithKey;
pub use hooks::{HookWithSecret, UNKNOWN_HOOK};
mod devices;
mod local_push;
pub mod ports;
mod push;
mod reactions;
mod reading;
mod reports;
mod search;
pub use search::{SearchHit, SearchPage, SearchRequest};
mod threads;
mod typing;
mod uploads;
pub use uploads::Ticket;
mod webhook_delivery;
pub mod webhook_gate;
mod webhooks;
pub use webhooks::WebhookWithSecret;
pub mod rate_limit;

use crate::domain::access::can_read_content;
use crate::domain::group::Group;
use crate::domain::membership::Membership;
use crate::domain::user::{Profile, User};
use crate::domain::{DomainError, DomainResult, GroupId, Timestamp, UserId};
use crate::store::Store;
use parking_lot::Mutex;
use ports::{EventPublisher, PushRegistry, RateLimit, WebhookDelivery};
use std::sync::Arc;

/// Users whose profile this process already wrote, so a request does not
/// upsert its user every time; the least recently seen goes first.
const SEEN_USERS: std::num::NonZeroUsize = std::num::NonZeroUsize::new(10_000).unwrap();
/// How long a process trusts its memory of having written a profile: an
/// account deleted through another process is written again (an empty
/// account) at most this long after its owner signs in again.
const PROFILE_WRITTEN_FOR: std::time::Duration = std::time::Duration::from_secs(300);
/// Typists whose last `true` a process remembers (the oldest forgotten
/// first: one of them may then send a `true` early).
const TYPISTS: std::num::NonZeroUsize = std::num::NonZeroUsize::new(100_000).unwrap();

/// The use cases over their ports. A process holds one; each GraphQL
/// request runs with a handle of its own ([`Service::for_request`]) that
/// shares everything but the request's memo of access checks.
pub struct Service {
    shared: Arc<Shared>,
    /// This request's access checks (`None` for the process's own handle:
    /// nothing is kept).
    memo: Option<memo::AccessMemo>,
}

/// What every handle of one service shares.
pub struct Shared {
    store: Arc<dyn Store>,
    events: Arc<dyn EventPublisher>,
    push: Arc<dyn PushRegistry>,
    limiter: Arc<dyn RateLimit>,
    seen: Mutex<lru::LruCache<UserId, (Profile, std::time::Instant)>>,
    /// How long a write waits for its events to be published before
    /// responding (they go on in the background; the sweeper has the rest).
    publish_wait: std::time::Duration,
    webhooks: WebhookDelivery,
    devices: Arc<dyn ports::DeviceEndpoints>,
    /// Bumped after every write through this service that can end a bot
    /// key (see [`Service::key_generation`]).
    key_changes: std::sync::atomic::AtomicU64,
    /// When each (user, group, parent) last sent `typing: true` through
    /// this process (per Lambda instance on AWS).
    typing: Mutex<lru::LruCache<crate::domain::typing::TypingKey, std::time::Instant>>,
    online: Arc<dyn ports::Online>,
    /// The minute each user's `lastSeenAt` was last written through this
    /// process (so a request writes it at most once a minute).
    seen_written: Mutex<lru::LruCache<UserId, Timestamp>>,
    files: Arc<dyn ports::FileStorage>,
    upload_rules: crate::domain::attachment::UploadRules,
    search_limiter: Arc<dyn RateLimit>,
    report_limiter: Arc<dyn RateLimit>,
    jobs: Option<Arc<dyn ports::JobQueue>>,
}

/// The adapters a service runs on, by name.
pub struct Ports {
    pub store: Arc<dyn Store>,
    /// Where committed events go.
    pub events: Arc<dyn EventPublisher>,
    /// Browsers' push subscriptions.
    pub push: Arc<dyn PushRegistry>,
    pub limiter: Arc<dyn RateLimit>,
    pub webhooks: WebhookDelivery,
    /// Native devices' endpoints (SNS platform endpoints on AWS; none
    /// locally).
    pub devices: Arc<dyn ports::DeviceEndpoints>,
    /// Who has a live socket (presence).
    pub online: Arc<dyn ports::Online>,
    /// Where attachments' bytes live, and what may be uploaded.
    pub files: Arc<dyn ports::FileStorage>,
    pub upload_rules: crate::domain::attachment::UploadRules,
    /// Searches per user (`CHORUS_SEARCH_PER_MINUTE`).
    pub search_limiter: Arc<dyn RateLimit>,
    /// Reports per user (`domain::report::PER_HOUR`).
    pub report_limiter: Arc<dyn RateLimit>,
    /// Where exports and deletions run (`None`: tasks of this process).
    pub jobs: Option<Arc<dyn ports::JobQueue>>,
    /// How long a write waits for its events to be published before
    /// returning.
    pub publish_wait: std::time::Duration,
}

impl Service {
    pub fn new(ports: Ports) -> Self {
        let Ports {
            store,
            events,
            push,
            limiter,
            webhooks,
            devices,
            online,
            publish_wait,
            files,
            upload_rules,
            search_limiter,
            report_limiter,
            jobs,
        } = ports;
        let shared = Shared {
            store,
            events,
            push,
            limiter,
            seen: Mutex::new(lru::LruCache::new(SEEN_USERS)),
            publish_wait,
            webhooks,
            devices,
            key_changes: std::sync::atomic::AtomicU64::new(0),
            typing: Mutex::new(lru::LruCache::new(TYPISTS)),
            online,
            seen_written: Mutex::new(lru::LruCache::new(SEEN_USERS)),
            files,
            upload_rules,
            search_limiter,
            report_limiter,
            jobs,
        };
        Self {
            shared: Arc::new(shared),
            memo: None,
        }
    }

    /// A handle for one request: the same service, with a memo of access
    /// checks that lives as long as the request (see `memo`).
    pub fn for_request(&self) -> Self {
        Self {
            shared: self.shared.clone(),
            memo: Some(memo::AccessMemo::default()),
        }
    }

    /// A handle of the process's own (no request memo), for work that
    /// outlives the request.
    fn process(&self) -> Self {
        Self {
            shared: self.shared.clone(),
            memo: None,
        }
    }

    /// What this request already learnt of `viewer`'s access to `group`.
    fn recall(&self, group: &GroupId, viewer: &UserId) -> Option<memo::Access> {
        self.memo.as_ref()?.recall(group, viewer)
    }

    fn keep(&self, group: &GroupId, viewer: &UserId, access: &memo::Access) {
        if let Some(memo) = &self.memo {
            memo.keep(group, viewer, access);
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    fn now() -> Timestamp {
        crate::domain::now()
    }

    /// Records the user behind a verified token (created on first use,
    /// refreshed when the token's name or picture changed).
    #[tracing::instrument(skip_all, fields(user = %profile.id))]
    pub async fn sign_in(&self, profile: &Profile) -> DomainResult<()> {
        let fresh = |(seen, at): &(Profile, std::time::Instant)| {
            seen == profile && at.elapsed() < PROFILE_WRITTEN_FOR
        };
        if self.seen.lock().get(&profile.id).is_some_and(fresh) {
            return Ok(());
        }
        self.store.upsert_user(profile, Self::now()).await?;
        let written = (profile.clone(), std::time::Instant::now());
        self.seen.lock().put(profile.id.clone(), written);
        Ok(())
    }

    pub async fn user(&self, id: &UserId) -> DomainResult<User> {
        let users = self.store.users(std::slice::from_ref(id)).await?;
        users
            .into_iter()
            .next()
            .ok_or(DomainError::NotFound("user"))
    }

    /// Counts a mutation against the user's rate limit.
    async fn throttle(&self, user: &UserId) -> DomainResult<()> {
        self.limiter.check(user).await
    }

    async fn load_group(&self, id: &GroupId) -> DomainResult<Group> {
        let groups = self.store.groups(std::slice::from_ref(id)).await?;
        groups
            .into_iter()
            .next()
            .ok_or(DomainError::NotFound("group"))
    }

    pub async fn membership_of(
        &self,
        group: &GroupId,
        user: &UserId,
    ) -> DomainResult<Option<Membership>> {
        let found = self
            .store
            .memberships(&[(group.clone(), user.clone())])
            .await?;
        Ok(found.into_iter().next())
    }

    /// The group and the viewer's membership in it, in one store read (or
    /// none, when this request already asked: `memo`).
    async fn access(
        &self,
        viewer: &UserId,
        group: &GroupId,
    ) -> DomainResult<(Group, Option<Membership>)> {
        let found = match self.recall(group, viewer) {
            Some(known) => known,
            None => {
                let found = self
                    .store
                    .access(group, viewer)
                    .await?
                    .ok_or(DomainError::NotFound("group"))?;
                self.keep(group, viewer, &found);
                found
            }
        };
        crate::domain::access::confine(viewer, found.1.as_ref())?;
        Ok(found)
    }

    /// The group, if `viewer` may read its messages and members.
    async fn readable_group(&self, viewer: &UserId, id: &GroupId) -> DomainResult<Group> {
        let (group, membership) = self.access(viewer, id).await?;
        Self::readable(group, membership.as_ref())
    }

    fn readable(group: Group, membership: Option<&Membership>) -> DomainResult<Group> {
        if can_read_content(group.visibility, membership) {
            Ok(group)
        } else {
            Err(DomainError::forbidden(
                "only members can read this group's messages and members",
            ))
        }
    }

    /// The viewer's membership, if it is an active one.
    async fn require_member(&self, viewer: &UserId, group: &GroupId) -> DomainResult<Membership> {
        Ok(self.member_of(viewer, group).await?.1)
    }

    /// The group and the viewer's membership, if the viewer is a member.
    async fn member_of(
        &self,
        viewer: &UserId,
        group: &GroupId,
    ) -> DomainResult<(Group, Membership)> {
        match self.access(viewer, group).await? {
            (group, Some(m)) if m.is_member() => Ok((group, m)),
            _ => Err(DomainError::forbidden(
                "only members of this group can do this",
            )),
        }
    }
}

impl std::ops::Deref for Service {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.shared
    }
}
