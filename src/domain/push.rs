use super::{DomainError, Timestamp, UserId};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// Push subscriptions one user may hold (one per browser or device).
pub const MAX_PER_USER: usize = 20;

/// The push service of a native app's device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DevicePlatform {
    /// Firebase Cloud Messaging (Android, and iOS through Firebase).
    Fcm,
    /// Apple Push Notification service, production.
    Apns,
    /// APNs' sandbox, for development builds.
    ApnsSandbox,
}

impl DevicePlatform {
    /// The wire name (`FCM`, `APNS`, `APNS_SANDBOX`), as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fcm => "FCM",
            Self::Apns => "APNS",
            Self::ApnsSandbox => "APNS_SANDBOX",
        }
    }
}

/// A native app's device, reached through SNS mobile push: `arn` is its
/// platform endpoint (none where no platform application is configured,
/// as on the local server: recorded, not sent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NativeDevice {
    pub platform: DevicePlatform,
    pub arn: Option<String>,
}

/// Where a user's pushes go: a browser's Web Push subscription (RFC 8030 +
/// RFC 8291), or a native device (`device`: `endpoint` is then its FCM or
/// APNs token and the keys are empty). One registry and one audience hold
/// both, keyed by `endpoint`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushSubscription {
    pub user_id: UserId,
    pub endpoint: String,
    /// The client's P-256 public key, base64url (65 bytes uncompressed).
    pub p256dh: String,
    /// The client's auth secret, base64url (16 bytes).
    pub auth: String,
    pub created_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<NativeDevice>,
}

impl PushSubscription {
    /// A native device's registration.
    pub fn native(user: UserId, token: String, device: NativeDevice, at: Timestamp) -> Self {
        Self {
            user_id: user,
            endpoint: token,
            p256dh: String::new(),
            auth: String::new(),
            created_at: at,
            device: Some(device),
        }
    }

    /// The schema's id of a device: a digest of its token (stable across
    /// registrations, revealing nothing of the token).
    pub fn device_id(&self) -> String {
        let digest = ring::digest::digest(&ring::digest::SHA256, self.endpoint.as_bytes());
        let hex: String = digest.as_ref()[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("dev_{hex}")
    }
}

const TOKEN_MAX: usize = 4_096;

/// Checks a device token: 1 to 4,096 visible characters, not a URL.
pub fn device_token(raw: &str) -> Result<String, DomainError> {
    let visible = raw.chars().all(|c| c.is_ascii_graphic());
    if raw.is_empty() || raw.len() > TOKEN_MAX || !visible || raw.contains("://") {
        return Err(DomainError::invalid(
            "token must be the device's FCM or APNs token (1 to 4096 visible characters)",
        ));
    }
    Ok(raw.to_owned())
}

const ENDPOINT_MAX: usize = 2_048;

/// Checks an endpoint's form: at most 2,048 characters, no whitespace.
/// Where it may point is the address rule's to say, as for webhook URLs
/// (`WebhookTransport::check`).
pub fn endpoint(raw: &str) -> Result<String, DomainError> {
    if raw.len() > ENDPOINT_MAX || raw.chars().any(char::is_whitespace) {
        return Err(DomainError::invalid(
            "endpoint must be an https URL of at most 2048 characters",
        ));
    }
    Ok(raw.to_owned())
}

/// Checks the subscription keys: `p256dh` an uncompressed P-256 point,
/// `auth` a 16-byte secret, both base64url (padding tolerated).
pub fn keys(p256dh: &str, auth: &str) -> Result<(String, String), DomainError> {
    let decode = |s: &str| URL_SAFE_NO_PAD.decode(s.trim_end_matches('='));
    match (decode(p256dh), decode(auth)) {
        (Ok(point), Ok(secret)) if point.len() == 65 && point[0] == 4 && secret.len() == 16 => {
            Ok((p256dh.to_owned(), auth.to_owned()))
        }
        _ => Err(DomainError::invalid(
            "p256dh must be a base64url P-256 public key and auth a base64url 16-byte secret",
        )),
    }
}
