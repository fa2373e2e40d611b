//! Native push through SNS mobile push: a device is a platform endpoint of
//! the FCM or APNs platform application (created outside the template, as
//! they hold the FCM/APNs credentials); a push is one `Publish` to it with
//! `MessageStructure=json`, the FCM v1 and APNs payloads side by side.

use super::webpush::PushOutcome;
use crate::domain::event::DomainEvent;
use crate::domain::push::{DevicePlatform, NativeDevice};
use crate::service::ports::{DeviceEndpoints, RegistryError};
use async_trait::async_trait;
use serde_json::{json, Value};

/// The notification body's most characters (`Author: text`, cut with `…`).
const BODY_CHARS: usize = 180;

/// The platform applications' ARNs (each optional: a platform without one
/// records devices and sends nothing to them).
#[derive(Debug, Clone, Default)]
pub struct PlatformApps {
    pub fcm: Option<String>,
    pub apns: Option<String>,
    pub apns_sandbox: Option<String>,
}

impl PlatformApps {
    fn of(&self, platform: DevicePlatform) -> Option<&str> {
        match platform {
            DevicePlatform::Fcm => self.fcm.as_deref(),
            DevicePlatform::Apns => self.apns.as_deref(),
            DevicePlatform::ApnsSandbox => self.apns_sandbox.as_deref(),
        }
    }
}

/// What a notification says and where it leads.
pub struct Notice<'a> {
    pub event: &'a DomainEvent,
    pub group_name: &'a str,
    pub author_name: &'a str,
    /// The recipient's `unreadSummary.messages`.
    pub badge: u64,
}

/// `Author: text`, cut to fit a notification.
pub fn body(author: &str, text: &str) -> String {
    let full = format!("{author}: {text}");
    if full.chars().count() <= BODY_CHARS {
        return full;
    }
    let cut: String = full.chars().take(BODY_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// The `Publish` message (`MessageStructure=json`) for a device: the FCM
/// v1 message under `GCM`, the APNs payload under `APNS`/`APNS_SANDBOX`.
pub fn message(notice: &Notice<'_>, platform: DevicePlatform) -> String {
    let event = notice.event;
    let message = event.message.as_ref();
    let files = message.map_or(&[][..], |m| m.attachments.as_slice());
    let text =
        crate::domain::attachment::notice_text(message.and_then(|m| m.body.as_deref()), files);
    let body = body(notice.author_name, &text);
    let thread = message.map(|m| m.root_id.to_string()).unwrap_or_default();
    let data = json!({
        "groupId": event.group_id,
        "messageId": message.map(|m| m.id.to_string()).unwrap_or_default(),
        "parentId": message.and_then(|m| m.parent_id.as_ref()).map(ToString::to_string).unwrap_or_default(),
        "cursor": event.cursor.clone().unwrap_or_default(),
    });
    let payload: Value = match platform {
        DevicePlatform::Fcm => json!({ "fcmV1Message": { "message": {
            "notification": { "title": notice.group_name, "body": body },
            "data": data,
            "android": { "notification": { "tag": thread, "notification_count": notice.badge } },
        }}}),
        DevicePlatform::Apns | DevicePlatform::ApnsSandbox => json!({
            "aps": {
                "alert": { "title": notice.group_name, "body": body },
                "badge": notice.badge,
                "sound": "default",
                "thread-id": thread,
            },
            "groupId": data["groupId"],
            "messageId": data["messageId"],
            "parentId": data["parentId"],
            "cursor": data["cursor"],
        }),
    };
    let key = match platform {
        DevicePlatform::Fcm => "GCM",
        DevicePlatform::Apns => "APNS",
        DevicePlatform::ApnsSandbox => "APNS_SANDBOX",
    };
    json!({ "default": body, key: payload.to_string() }).to_string()
}

/// SNS mobile push.
#[derive(Clone)]
pub struct SnsMobilePush {
    pub client: aws_sdk_sns::Client,
    pub apps: PlatformApps,
}

fn failure<E: std::error::Error + Send + Sync + 'static>(err: E) -> RegistryError {
    RegistryError(Box::new(err))
}

impl SnsMobilePush {
    /// One push to a device; `Gone` when SNS says the endpoint is disabled
    /// or no longer exists (the device is then removed, as a 410 Web Push
    /// subscription is), nothing else.
    pub async fn send(&self, device: &NativeDevice, message: String) -> PushOutcome {
        let Some(arn) = &device.arn else {
            return PushOutcome::Failed("no platform endpoint".into());
        };
        let sent = self
            .client
            .publish()
            .target_arn(arn)
            .message_structure("json")
            .message(message)
            .send()
            .await;
        match sent {
            Ok(_) => PushOutcome::Delivered,
            Err(err) => {
                let gone = err.as_service_error().is_some_and(|e| {
                    e.is_endpoint_disabled_exception()
                        || e.is_not_found_exception()
                        || (e.is_invalid_parameter_exception()
                            && e.to_string().contains("No endpoint found"))
                });
                if gone {
                    PushOutcome::Gone
                } else {
                    PushOutcome::Failed(aws_sdk_sns::error::DisplayErrorContext(&err).to_string())
                }
            }
        }
    }
}

#[async_trait]
impl DeviceEndpoints for SnsMobilePush {
    async fn create(
        &self,
        platform: DevicePlatform,
        token: &str,
    ) -> Result<Option<String>, RegistryError> {
        let Some(app) = self.apps.of(platform) else {
            return Ok(None);
        };
        let out = self
            .client
            .create_platform_endpoint()
            .platform_application_arn(app)
            .token(token)
            .send()
            .await
            .map_err(failure)?;
        Ok(out.endpoint_arn().map(str::to_owned))
    }

    async fn delete(&self, arn: &str) -> Result<(), RegistryError> {
        self.client
            .delete_endpoint()
            .endpoint_arn(arn)
            .send()
            .await
            .map_err(failure)?;
        Ok(())
    }
}
