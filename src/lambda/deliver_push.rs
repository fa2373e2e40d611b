//! The push half of `deliver`: Web Push to browsers, SNS mobile push to
//! native devices, the same rule for both (a subscription or device the
//! push service calls gone is removed, nothing else is).

use super::deliver::{Deliver, PushResult as Outcome};
use crate::delivery::mobile::{self, Notice};
use crate::delivery::webpush::PushOutcome;
use crate::domain::event::DomainEvent;
use crate::domain::push::PushSubscription;
use crate::domain::UserId;
use std::collections::HashMap;

/// What native notifications of one event say: the group's and author's
/// names, and each recipient's badge.
#[derive(Default)]
pub(super) struct Notices {
    group_name: String,
    author_name: String,
    badges: HashMap<UserId, u64>,
}

impl Deliver {
    /// Reads what the shard's native notifications need: one read of the
    /// names, one of the badges of every recipient with a device.
    pub(super) async fn notices(
        &self,
        event: &DomainEvent,
        pushes: &[PushSubscription],
    ) -> Notices {
        let mut users: Vec<UserId> = pushes
            .iter()
            .filter(|p| p.device.is_some())
            .map(|p| p.user_id.clone())
            .collect();
        users.sort();
        users.dedup();
        let Some(message) = event.message.as_ref().filter(|_| !users.is_empty()) else {
            return Notices::default();
        };
        let group = self.store.groups(std::slice::from_ref(&event.group_id));
        let author = self.store.users(std::slice::from_ref(&message.author_id));
        let badges = self.store.unread_summaries(&users);
        let (group, author, badges) = futures_util::join!(group, author, badges);
        Notices {
            group_name: group
                .ok()
                .and_then(|mut g| g.pop())
                .map(|g| g.name)
                .unwrap_or_default(),
            author_name: author
                .ok()
                .and_then(|mut a| a.pop())
                .map(|a| a.name)
                .unwrap_or_default(),
            badges: match badges {
                Ok(summaries) => users
                    .into_iter()
                    .zip(summaries.iter().map(|s| s.messages))
                    .collect(),
                Err(err) => {
                    tracing::warn!(error = %err, "badges not read");
                    HashMap::new()
                }
            },
        }
    }

    pub(super) async fn push(
        &self,
        sub: &PushSubscription,
        event: &DomainEvent,
        plaintext: &[u8],
        notices: &Notices,
    ) -> Outcome {
        let sent = match &sub.device {
            None => match &self.sender {
                Some(sender) => sender.send(sub, plaintext).await,
                None => return Outcome::Failed,
            },
            Some(device) => {
                let Some(mobile) = &self.mobile else {
                    return Outcome::Failed;
                };
                let notice = Notice {
                    event,
                    group_name: &notices.group_name,
                    author_name: &notices.author_name,
                    badge: notices.badges.get(&sub.user_id).copied().unwrap_or(0),
                };
                mobile
                    .send(device, mobile::message(&notice, device.platform))
                    .await
            }
        };
        match sent {
            PushOutcome::Delivered => Outcome::Push,
            PushOutcome::Gone => {
                if let Err(err) = self.push.remove(&sub.user_id, &sub.endpoint).await {
                    tracing::warn!(error = %err, "stale push subscription not removed");
                }
                if let (Some(mobile), Some(arn)) = (
                    &self.mobile,
                    sub.device.as_ref().and_then(|d| d.arn.as_ref()),
                ) {
                    use crate::service::ports::DeviceEndpoints;
                    if let Err(err) = mobile.delete(arn).await {
                        tracing::warn!(error = %err, "disabled endpoint not deleted");
                    }
                }
                Outcome::GonePush
            }
            PushOutcome::Failed(why) => {
                tracing::warn!(error = %why, "push not delivered");
                Outcome::Failed
            }
        }
    }
}
