//! Attachments: files a member uploads straight to storage (S3 on AWS, the
//! local server's own `/uploads`), then names in a message. The rules of
//! what may be uploaded and what may be attached live here.

use super::{AttachmentId, DomainError, DomainResult, GroupId, MessageId, Timestamp, UserId};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Attachments one message holds at most.
pub const MAX_PER_MESSAGE: usize = 10;
/// The largest width or height a client may declare.
pub const MAX_DIMENSION: u32 = 20_000;
/// The longest file name, in characters.
pub const MAX_FILENAME: usize = 255;
/// How long an upload ticket is valid.
pub const UPLOAD_FOR: std::time::Duration = std::time::Duration::from_secs(15 * 60);
/// How long a download URL is valid.
pub const DOWNLOAD_FOR: std::time::Duration = std::time::Duration::from_secs(60 * 60);
/// How long an upload may wait to be attached before it is deleted.
pub const UNATTACHED_FOR: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

/// The types uploaded by default: common images, video, audio, PDF and
/// plain text (`CHORUS_UPLOAD_TYPES` replaces the list).
pub const DEFAULT_TYPES: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "video/mp4",
    "video/webm",
    "video/quicktime",
    "audio/mpeg",
    "audio/mp4",
    "audio/ogg",
    "audio/webm",
    "application/pdf",
    "text/plain",
];
/// 25 MiB (`CHORUS_MAX_UPLOAD_BYTES`).
pub const DEFAULT_MAX_BYTES: u64 = 25 * 1024 * 1024;

/// An uploaded (or announced) file. `message_id` is set once a message
/// names it; until then only its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub id: AttachmentId,
    pub group_id: GroupId,
    pub owner_id: UserId,
    pub filename: String,
    pub content_type: String,
    pub size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    pub created_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<MessageId>,
}

impl Attachment {
    /// Where its bytes are stored: the same key on every backend.
    pub fn object_key(&self) -> String {
        format!("{}/{}", self.group_id, self.id)
    }

    /// Images are shown inline; anything else downloads
    /// (`Content-Disposition: attachment`).
    pub fn is_inline(&self) -> bool {
        self.content_type.starts_with("image/")
    }

    /// Whether stored bytes match what was declared.
    pub fn matches(&self, stored: &StoredObject) -> bool {
        stored.size == self.size && stored.content_type == self.content_type
    }
}

/// What storage holds for one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObject {
    pub size: u64,
    pub content_type: String,
}

/// What may be uploaded.
#[derive(Debug, Clone)]
pub struct UploadRules {
    pub max_bytes: u64,
    pub types: Vec<String>,
}

impl Default for UploadRules {
    fn default() -> Self {
        Self {
            max_bytes: DEFAULT_MAX_BYTES,
            types: DEFAULT_TYPES.iter().map(|t| (*t).to_owned()).collect(),
        }
    }
}

/// What a client declares of a file it is about to upload.
#[derive(Debug, Clone)]
pub struct Declared {
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
}

impl UploadRules {
    /// Checks a declared file: a name of 1..255 characters with no path
    /// separator or control character, a type in the allow-list, a size
    /// of 1..`max_bytes`, dimensions of 1..20,000.
    pub fn admit(
        &self,
        declared: Declared,
        group_id: GroupId,
        owner_id: UserId,
        now: Timestamp,
    ) -> DomainResult<Attachment> {
        let filename = declared.filename;
        let chars = filename.chars().count();
        if chars == 0 || chars > MAX_FILENAME {
            return Err(DomainError::invalid(format!(
                "filename must be 1 to {MAX_FILENAME} characters"
            )));
        }
        if filename
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_control())
            || filename == "."
            || filename == ".."
        {
            return Err(DomainError::invalid(
                "filename may not hold path separators or control characters",
            ));
        }
        let content_type = declared.content_type.trim().to_ascii_lowercase();
        if !self.types.iter().any(|t| t == &content_type) {
            return Err(DomainError::invalid(format!(
                "contentType must be one of: {}",
                self.types.join(", ")
            )));
        }
        let size = u64::try_from(declared.size).unwrap_or(0);
        if size == 0 || size > self.max_bytes {
            return Err(DomainError::invalid(format!(
                "size must be 1 to {} bytes",
                self.max_bytes
            )));
        }
        let dimension = |value: Option<i64>, name: &str| -> DomainResult<Option<u32>> {
            value
                .map(|v| {
                    u32::try_from(v)
                        .ok()
                        .filter(|v| (1..=MAX_DIMENSION).contains(v))
                        .ok_or_else(|| {
                            DomainError::invalid(format!("{name} must be 1 to {MAX_DIMENSION}"))
                        })
                })
                .transpose()
        };
        Ok(Attachment {
            id: AttachmentId::generate(),
            group_id,
            owner_id,
            filename,
            content_type,
            size,
            width: dimension(declared.width, "width")?,
            height: dimension(declared.height, "height")?,
            created_at: now,
            message_id: None,
        })
    }
}

/// A message names at most [`MAX_PER_MESSAGE`] attachments.
pub fn check_count(named: usize) -> DomainResult<()> {
    if named > MAX_PER_MESSAGE {
        return Err(DomainError::invalid(format!(
            "a message holds at most {MAX_PER_MESSAGE} attachments"
        )));
    }
    Ok(())
}

/// Checks the attachments a message names, as read from the store (in any
/// order): at most ten, each named once, each the author's upload for this
/// group (else `NOT_FOUND`: another's upload is not revealed), none attached
/// yet (`CONFLICT`). Returns them in the order named.
pub fn claim(
    author: &UserId,
    group: &GroupId,
    named: &[AttachmentId],
    found: Vec<Attachment>,
) -> DomainResult<Vec<Attachment>> {
    check_count(named.len())?;
    let mut seen = HashSet::new();
    if !named.iter().all(|id| seen.insert(id)) {
        return Err(DomainError::invalid("an attachment is named twice"));
    }
    let mut claimed = Vec::with_capacity(named.len());
    for id in named {
        let attachment = found
            .iter()
            .find(|a| &a.id == id && &a.owner_id == author && &a.group_id == group)
            .ok_or(DomainError::NotFound("attachment"))?;
        if attachment.message_id.is_some() {
            return Err(DomainError::conflict(
                "the attachment is already part of a message",
            ));
        }
        claimed.push(attachment.clone());
    }
    Ok(claimed)
}

/// `Content-Disposition` of a download: RFC 6266's UTF-8 file name,
/// inline for images, a download for anything else.
pub fn content_disposition(inline: bool, filename: &str) -> String {
    let kind = if inline { "inline" } else { "attachment" };
    let name: String =
        percent_encoding::utf8_percent_encode(filename, percent_encoding::NON_ALPHANUMERIC)
            .collect();
    format!("{kind}; filename*=UTF-8''{name}")
}

/// What a notification says of a message: its body, or "📎 filename" when
/// it has none.
pub fn notice_text(body: Option<&str>, attachments: &[Attachment]) -> String {
    match (body.filter(|b| !b.is_empty()), attachments.first()) {
        (Some(body), _) => body.to_owned(),
        (None, Some(first)) => format!("📎 {}", first.filename),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared(filename: &str, content_type: &str, size: i64) -> Declared {
        Declared {
            filename: filename.into(),
            content_type: content_type.into(),
            size,
            width: None,
            height: None,
        }
    }

    fn admit(d: Declared) -> DomainResult<Attachment> {
        let rules = UploadRules {
            max_bytes: 100,
            types: vec!["image/png".into(), "text/plain".into()],
        };
        let user = UserId::parse("ann").unwrap();
        rules.admit(d, GroupId::generate(), user, crate::domain::now())
    }

    #[test]
    fn a_declared_file_is_admitted_only_within_the_rules() {
        let ok = admit(declared("cat.png", "Image/PNG", 100)).unwrap();
        assert_eq!(ok.content_type, "image/png");
        assert!(ok.is_inline());
        assert!(!admit(declared("notes.txt", "text/plain", 1))
            .unwrap()
            .is_inline());
        for bad in [
            declared("", "image/png", 1),
            declared(&"a".repeat(256), "image/png", 1),
            declared("../etc/passwd", "image/png", 1),
            declared("a\\b.png", "image/png", 1),
            declared("a\nb.png", "image/png", 1),
            declared("..", "image/png", 1),
            declared("x.html", "text/html", 1),
            declared("x.png", "image/png", 0),
            declared("x.png", "image/png", 101),
            declared("x.png", "image/png", -1),
        ] {
            let name = bad.filename.clone();
            assert!(admit(bad).is_err(), "{name}");
        }
        let mut huge = declared("x.png", "image/png", 1);
        huge.width = Some(20_001);
        assert!(admit(huge).is_err());
        let mut sized = declared("x.png", "image/png", 1);
        sized.width = Some(640);
        sized.height = Some(480);
        let sized = admit(sized).unwrap();
        assert_eq!((sized.width, sized.height), (Some(640), Some(480)));
    }

    #[test]
    fn a_message_claims_only_its_authors_free_uploads_of_its_group() {
        let ann = UserId::parse("ann").unwrap();
        let bob = UserId::parse("bob").unwrap();
        let group = GroupId::generate();
        let mine = admit(declared("a.png", "image/png", 1)).unwrap();
        let mine = Attachment {
            group_id: group.clone(),
            ..mine
        };
        let code = |r: DomainResult<Vec<Attachment>>| r.unwrap_err().code();
        let found = || vec![mine.clone()];
        let ids = [mine.id.clone()];
        assert_eq!(claim(&ann, &group, &ids, found()).unwrap(), found());
        assert_eq!(code(claim(&bob, &group, &ids, found())), "NOT_FOUND");
        assert_eq!(
            code(claim(&ann, &GroupId::generate(), &ids, found())),
            "NOT_FOUND"
        );
        assert_eq!(
            code(claim(&ann, &group, &[AttachmentId::generate()], found())),
            "NOT_FOUND"
        );
        let attached = Attachment {
            message_id: Some(MessageId::generate()),
            ..mine.clone()
        };
        assert_eq!(code(claim(&ann, &group, &ids, vec![attached])), "CONFLICT");
        let twice = [mine.id.clone(), mine.id.clone()];
        assert_eq!(code(claim(&ann, &group, &twice, found())), "BAD_USER_INPUT");
        let eleven: Vec<AttachmentId> = (0..11).map(|_| AttachmentId::generate()).collect();
        assert_eq!(code(claim(&ann, &group, &eleven, vec![])), "BAD_USER_INPUT");
    }

    #[test]
    fn a_notice_of_a_message_without_text_names_its_first_file() {
        let a = admit(declared("cat.png", "image/png", 1)).unwrap();
        assert_eq!(notice_text(Some("hi"), std::slice::from_ref(&a)), "hi");
        assert_eq!(
            notice_text(Some(""), std::slice::from_ref(&a)),
            "📎 cat.png"
        );
        assert_eq!(notice_text(None, &[]), "");
    }
}
