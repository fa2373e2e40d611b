//! Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm (RFC 8291),
//! through the web-push crate; the HTTP request is sent with reqwest.

use crate::delivery::outbound;
use crate::domain::attachment::notice_text;
use crate::domain::event::DomainEvent;
use crate::domain::push::PushSubscription;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use web_push::{ContentEncoding, SubscriptionInfo, VapidSignatureBuilder, WebPushMessageBuilder};

/// The largest plaintext the web-push crate encrypts.
pub const MAX_PLAINTEXT_BYTES: usize = 3052;
const PREVIEW_CHARS: usize = 200;

#[derive(Debug, PartialEq, Eq)]
pub enum PushOutcome {
    Delivered,
    /// 404 or 410: the subscription is gone and should be removed.
    Gone,
    Failed(String),
}

pub struct WebPushSender {
    http: reqwest::Client,
    allow_private: bool,
    vapid_private_key: SecretString,
    subject: String,
    ttl: u32,
}

/// `scheme://host[:port]` of an endpoint: the VAPID audience. The web-push
/// crate leaves the port out, which push services on non-default ports
/// refuse.
pub fn origin(endpoint: &str) -> Option<String> {
    let url = reqwest::Url::parse(endpoint).ok()?;
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    })
}

/// The notification a closed app receives for a new message: ids to open
/// the right thread, and a preview cut to fit the encryption limit.
pub fn payload(event: &DomainEvent) -> Vec<u8> {
    let message = event.message.as_ref();
    let files = message.map_or(&[][..], |m| m.attachments.as_slice());
    let body = notice_text(message.and_then(|m| m.body.as_deref()), files);
    let mut preview: String = body.chars().take(PREVIEW_CHARS).collect();
    let attachments: Vec<_> = files
        .iter()
        .map(|a| json!({"id": a.id, "filename": a.filename, "contentType": a.content_type, "size": a.size}))
        .collect();
    loop {
        let value = json!({
            "attachments": attachments,
            "id": event.id,
            "type": event.kind.as_str(),
            "groupId": event.group_id,
            "messageId": message.map(|m| &m.id),
            "parentId": message.and_then(|m| m.parent_id.as_ref()),
            "authorId": message.map(|m| &m.author_id),
            "cursor": event.cursor,
            "preview": preview,
        });
        let bytes = value.to_string().into_bytes();
        if bytes.len() <= MAX_PLAINTEXT_BYTES || preview.is_empty() {
            return bytes;
        }
        let keep = preview.chars().count() / 2;
        preview = preview.chars().take(keep).collect();
    }
}

/// A new VAPID key pair: (public key, private key), both base64url; the
/// public key is an uncompressed P-256 point, the private key its scalar.
pub fn generate_vapid_keys() -> Result<(String, String), ece::Error> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let (pair, _) = ece::generate_keypair_and_auth_secret()?;
    let private = pair.raw_components()?.private_key().to_vec();
    // The scalar as 32 bytes: openssl drops leading zero bytes.
    let private = padded_scalar(&private).ok_or(ece::Error::CryptoError)?;
    Ok((
        URL_SAFE_NO_PAD.encode(pair.pub_as_raw()?),
        URL_SAFE_NO_PAD.encode(private),
    ))
}

/// A P-256 private scalar as the 32 bytes web-push expects (it panics on
/// fewer): left-padded with zeros, or `None` if longer or empty.
fn padded_scalar(bytes: &[u8]) -> Option<[u8; 32]> {
    if bytes.is_empty() || bytes.len() > 32 {
        return None;
    }
    let mut scalar = [0u8; 32];
    scalar[32 - bytes.len()..].copy_from_slice(bytes);
    Some(scalar)
}

/// A configured VAPID private key in its canonical form (32-byte scalar,
/// base64url), or `None` if it is not one.
fn canonical_vapid_key(raw: &str) -> Option<SecretString> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let bytes = URL_SAFE_NO_PAD
        .decode(raw.trim().trim_end_matches('='))
        .ok()?;
    let scalar = padded_scalar(&bytes)?;
    Some(SecretString::from(URL_SAFE_NO_PAD.encode(scalar)))
}

impl WebPushSender {
    /// A sender signing with `vapid_private_key` (base64url P-256 scalar;
    /// a key whose leading zero bytes were dropped is accepted). `None` if
    /// the key is not one.
    /// Endpoints are user-given URLs: the address rule holds
    /// (`delivery::outbound`) unless `allow_private`.
    pub fn new(
        vapid_private_key: SecretString,
        subject: String,
        ttl: u32,
        allow_private: bool,
    ) -> Option<Self> {
        let vapid_private_key = canonical_vapid_key(vapid_private_key.expose_secret())?;
        let http = outbound::client(allow_private, Arc::new(outbound::SystemLookup))
            .timeout(Duration::from_secs(10))
            .build()
            .ok()?;
        Some(Self {
            http,
            vapid_private_key,
            subject,
            ttl,
            allow_private,
        })
    }

    #[tracing::instrument(skip_all, fields(user = %sub.user_id))]
    pub async fn send(&self, sub: &PushSubscription, plaintext: &[u8]) -> PushOutcome {
        let info = SubscriptionInfo::new(
            sub.endpoint.as_str(),
            sub.p256dh.as_str(),
            sub.auth.as_str(),
        );
        let Some(audience) = origin(&sub.endpoint) else {
            return PushOutcome::Failed("endpoint is not a URL".into());
        };
        if outbound::check_url(&sub.endpoint, self.allow_private).is_err() {
            return PushOutcome::Failed(outbound::REFUSED.into());
        }
        let message = (|| {
            let mut vapid =
                VapidSignatureBuilder::from_base64(self.vapid_private_key.expose_secret(), &info)?;
            vapid.add_claim("sub", self.subject.as_str());
            vapid.add_claim("aud", audience.as_str());
            let mut builder = WebPushMessageBuilder::new(&info);
            builder.set_payload(ContentEncoding::Aes128Gcm, plaintext);
            builder.set_ttl(self.ttl);
            builder.set_vapid_signature(vapid.build()?);
            builder.build()
        })();
        let message = match message {
            Ok(message) => message,
            Err(err) => return PushOutcome::Failed(format!("cannot build push: {err}")),
        };
        let mut request = self
            .http
            .post(&sub.endpoint)
            .header("TTL", message.ttl.to_string())
            .header("Content-Type", "application/octet-stream");
        if let Some(payload) = message.payload {
            request = request.header("Content-Encoding", payload.content_encoding.to_str());
            for (name, value) in payload.crypto_headers {
                request = request.header(name, value);
            }
            request = request.body(payload.content);
        }
        match request.send().await {
            Ok(r) if r.status().is_success() => PushOutcome::Delivered,
            Ok(r)
                if r.status() == reqwest::StatusCode::GONE
                    || r.status() == reqwest::StatusCode::NOT_FOUND =>
            {
                PushOutcome::Gone
            }
            Ok(r) => PushOutcome::Failed(format!("push service answered {}", r.status())),
            Err(err) if outbound::is_refused(&err) => PushOutcome::Failed(outbound::REFUSED.into()),
            Err(err) => PushOutcome::Failed(format!("push service unreachable: {err}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::EventKind;
    use crate::domain::message::Message;
    use crate::domain::{GroupId, MessageId, UserId};

    #[test]
    fn short_scalars_are_padded_and_bad_keys_refused() {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use base64::Engine;
        let (_, private) = generate_vapid_keys().unwrap();
        let full = URL_SAFE_NO_PAD.decode(&private).unwrap();
        assert_eq!(full.len(), 32);
        // A key that lost a leading zero byte means the same scalar.
        let mut short = full.clone();
        short[0] = 0;
        let short = URL_SAFE_NO_PAD.encode(&short[1..]);
        let canonical = canonical_vapid_key(&short).unwrap();
        assert_eq!(
            URL_SAFE_NO_PAD
                .decode(canonical.expose_secret())
                .unwrap()
                .len(),
            32
        );
        assert!(canonical_vapid_key("not base64 !").is_none());
        assert!(canonical_vapid_key(&URL_SAFE_NO_PAD.encode([1u8; 33])).is_none());
    }

    #[test]
    fn generated_vapid_keys_sign_pushes() {
        let (public, private) = generate_vapid_keys().unwrap();
        assert_eq!(public.len(), 87, "65 bytes, base64url");
        let info = SubscriptionInfo::new("https://push.example.com/x", "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", "tBHItJI5svbpez7KI4CCXg");
        assert!(VapidSignatureBuilder::from_base64(&private, &info)
            .unwrap()
            .build()
            .is_ok());
    }

    #[test]
    fn the_audience_keeps_a_non_default_port() {
        assert_eq!(
            origin("http://127.0.0.1:8123/push/1").as_deref(),
            Some("http://127.0.0.1:8123")
        );
        assert_eq!(
            origin("https://fcm.googleapis.com/fcm/send/x").as_deref(),
            Some("https://fcm.googleapis.com")
        );
    }

    #[test]
    fn a_push_of_a_message_without_text_names_its_file_and_carries_the_files() {
        let mut message = long_message();
        message.body = Some(String::new());
        let file = crate::domain::fixtures::attachment("cat.png", "image/png", 42);
        message.attachments = vec![file.clone()];
        let event = DomainEvent::message(EventKind::MessagePosted, message, chrono::Utc::now());
        let value: serde_json::Value = serde_json::from_slice(&payload(&event)).unwrap();
        assert_eq!(value["preview"], "📎 cat.png");
        assert_eq!(
            value["attachments"],
            json!([{"id": file.id, "filename": "cat.png", "contentType": "image/png", "size": 42}])
        );
    }

    fn long_message() -> Message {
        let id = MessageId::parse("m_1").unwrap();
        Message {
            id: id.clone(),
            group_id: GroupId::parse("g_1").unwrap(),
            author_id: UserId::parse("u").unwrap(),
            body: Some("é".repeat(10_000)),
            parent_id: None,
            root_id: id,
            depth: 0,
            seq: 1,
            reply_count: 0,
            client_message_id: None,
            created_at: chrono::Utc::now(),
            edited_at: None,
            deleted_at: None,
            mentions: Vec::new(),
            reactions: Vec::new(),
            pinned_at: None,
            pinned_by: None,
            attachments: Vec::new(),
        }
    }

    #[test]
    fn a_long_message_is_cut_to_fit_and_keeps_its_ids() {
        let message = long_message();
        let bytes = payload(&DomainEvent::message(
            EventKind::MessagePosted,
            message,
            chrono::Utc::now(),
        ));
        assert!(bytes.len() <= MAX_PLAINTEXT_BYTES);
        let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(value["messageId"], "m_1");
        assert_eq!(
            value["preview"].as_str().unwrap().chars().count(),
            PREVIEW_CHARS
        );
    }
}
