//! Validated text values. Each `parse` normalizes (Unicode NFC), trims and
//! checks the documented limits, so an invalid value cannot exist past the
//! API boundary. Text must show something: a body of only zero-width or
//! direction-control characters is empty. Names (of groups and users) may
//! not carry direction overrides, which can disguise one name as another.

use super::error::DomainError;
use unicode_normalization::UnicodeNormalization;

/// Characters that render as nothing: whitespace, format characters
/// (zero-width space and joiners, direction marks, embeddings, overrides
/// and isolates, word joiner, BOM), soft hyphen, Hangul fillers,
/// variation selectors.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || is_direction_control(c)
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200D}'
                | '\u{2060}'..='\u{2064}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
        )
}

/// Bidirectional formatting characters (marks, embeddings, overrides,
/// isolates).
fn is_direction_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// NFC-normalized and trimmed.
fn normalized(raw: &str) -> String {
    raw.nfc().collect::<String>().trim().to_owned()
}

/// Normalizes `raw` and checks `min..=max` characters (not bytes).
fn bounded(raw: &str, what: &str, min: usize, max: usize) -> Result<String, DomainError> {
    let trimmed = normalized(raw);
    let len = trimmed.chars().count();
    if len < min || (min > 0 && trimmed.chars().all(is_invisible)) {
        return Err(DomainError::invalid(format!(
            "{what} must not be empty (it has no visible character)"
        )));
    }
    if len > max {
        return Err(DomainError::invalid(format!(
            "{what} is too long: {len} characters, at most {max}"
        )));
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(DomainError::invalid(format!(
            "{what} contains control characters"
        )));
    }
    Ok(trimmed)
}

/// A name: bounded text without direction controls.
fn name(raw: &str, what: &str, max: usize) -> Result<String, DomainError> {
    let name = bounded(raw, what, 1, max)?;
    if name.chars().any(is_direction_control) {
        return Err(DomainError::invalid(format!(
            "{what} contains direction control characters"
        )));
    }
    Ok(name)
}

/// Optional free text: `None` and blank both mean "no text".
fn optional(raw: Option<&str>, what: &str, max: usize) -> Result<Option<String>, DomainError> {
    match raw.map(str::trim) {
        None => Ok(None),
        Some(text) if text.chars().all(is_invisible) => Ok(None),
        Some(text) => bounded(text, what, 1, max).map(Some),
    }
}

pub const MESSAGE_BODY_MAX: usize = 10_000;
pub const GROUP_NAME_MAX: usize = 100;
pub const DESCRIPTION_MAX: usize = 2_000;
pub const NOTE_MAX: usize = 1_000;
pub const CLIENT_MESSAGE_ID_MAX: usize = 128;

/// Text that passed its rule; only these types reach the service and the
/// stores, so unvalidated text cannot. Read as `&str`; printed without the
/// text itself (personal text stays out of logs).
macro_rules! validated_text {
    ($name:ident, $what:literal) => {
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}(<{} chars>)", $what, self.0.chars().count())
            }
        }
    };
}

validated_text!(MessageBody, "MessageBody");
validated_text!(GroupName, "GroupName");

/// A message body: 1..=10,000 characters after trimming.
pub fn message_body(raw: &str) -> Result<MessageBody, DomainError> {
    bounded(raw, "message body", 1, MESSAGE_BODY_MAX).map(MessageBody)
}

/// A message body that may be empty: the message holds attachments.
pub fn message_body_beside_files(raw: &str) -> Result<MessageBody, DomainError> {
    bounded(raw, "message body", 0, MESSAGE_BODY_MAX).map(MessageBody)
}

/// A group name: 1..=100 characters after trimming, no direction controls.
pub fn group_name(raw: &str) -> Result<GroupName, DomainError> {
    name(raw, "group name", GROUP_NAME_MAX).map(GroupName)
}

/// A bot's or an incoming webhook's name: 1 to 100 characters after
/// trimming, no direction overrides.
pub fn bot_name(raw: &str) -> Result<String, DomainError> {
    name(raw, "bot name", DISPLAY_NAME_MAX)
}

pub const DISPLAY_NAME_MAX: usize = 100;
pub const URL_MAX: usize = 2_048;
pub const EMAIL_MAX: usize = 254;

/// A user's display name from an identity provider's claims, cleaned
/// rather than refused (the token is valid): control and direction
/// characters dropped, cut to 100 characters; `None` if nothing visible
/// is left.
pub fn display_name(raw: &str) -> Option<String> {
    let cleaned: String = normalized(raw)
        .chars()
        .filter(|c| !c.is_control() && !is_direction_control(*c))
        .take(DISPLAY_NAME_MAX)
        .collect();
    let cleaned = cleaned.trim();
    (!cleaned.chars().all(is_invisible)).then(|| cleaned.to_owned())
}

/// A picture URL from claims: kept only if it is an `https` URL of at most
/// 2,048 characters with no spaces or control characters.
pub fn picture_url(raw: &str) -> Option<String> {
    let ok = raw.len() <= URL_MAX
        && raw
            .get(..8)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
        && raw.len() > 8
        && !raw.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then(|| raw.to_owned())
}

/// An email from claims: kept if short and free of spaces and controls.
pub fn email(raw: &str) -> Option<String> {
    let ok = raw.len() <= EMAIL_MAX
        && raw.contains('@')
        && !raw.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then(|| raw.to_owned())
}

pub fn description(raw: Option<&str>) -> Result<Option<String>, DomainError> {
    optional(raw, "description", DESCRIPTION_MAX)
}

/// An application note or a rejection reason.
pub fn note(raw: Option<&str>) -> Result<Option<String>, DomainError> {
    optional(raw, "note", NOTE_MAX)
}

/// A client-chosen idempotency key; kept exactly (no trimming).
pub fn client_message_id(raw: Option<&str>) -> Result<Option<String>, DomainError> {
    match raw {
        None => Ok(None),
        Some(id) if id.is_empty() || id.chars().count() > CLIENT_MESSAGE_ID_MAX => {
            Err(DomainError::invalid(format!(
                "clientMessageId must be 1..={CLIENT_MESSAGE_ID_MAX} characters"
            )))
        }
        Some(id) if id.chars().any(char::is_control) => Err(DomainError::invalid(
            "clientMessageId contains control characters",
        )),
        Some(id) => Ok(Some(id.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_bodies_are_trimmed_and_bounded_in_characters() {
        assert_eq!(message_body("  hi \n").ok().as_deref(), Some("hi"));
        assert!(message_body("   ").is_err());
        assert!(message_body(&"é".repeat(MESSAGE_BODY_MAX)).is_ok());
        assert!(message_body(&"é".repeat(MESSAGE_BODY_MAX + 1)).is_err());
        assert!(message_body("line one\nline two").is_ok());
        assert!(message_body("bell \u{7}").is_err());
    }

    #[test]
    fn group_names_are_limited_to_one_hundred_characters() {
        assert!(group_name(&"a".repeat(100)).is_ok());
        assert!(group_name(&"a".repeat(101)).is_err());
        assert!(group_name("").is_err());
    }

    #[test]
    fn text_with_nothing_visible_is_empty_and_text_is_normalized() {
        assert!(message_body("\u{200B}").is_err());
        assert!(message_body(" \u{200B}\u{200D}\u{FEFF}\u{202E} ").is_err());
        assert!(message_body("a\u{200B}").is_ok());
        // "e" + combining acute becomes the one precomposed character.
        assert_eq!(message_body("e\u{301}").ok().as_deref(), Some("\u{e9}"));
    }

    #[test]
    fn names_refuse_direction_overrides() {
        assert!(group_name("admin\u{202E}nimda").is_err());
        assert!(group_name("\u{2066}x\u{2069}").is_err());
        assert!(message_body("\u{2067}\u{5e9}\u{5dc}\u{5d5}\u{5dd}\u{2069} hi").is_ok());
    }

    #[test]
    fn claims_text_is_cleaned_not_refused() {
        assert_eq!(display_name("  Ada\u{0}\u{202E} ").as_deref(), Some("Ada"));
        assert_eq!(display_name(&"x".repeat(3_000)).map(|n| n.len()), Some(100));
        assert_eq!(display_name("\u{200B}\u{0}"), None);
        assert_eq!(picture_url("javascript:alert(1)"), None);
        assert_eq!(picture_url("http://example.com/a.png"), None);
        assert_eq!(
            picture_url("https://example.com/a.png").as_deref(),
            Some("https://example.com/a.png")
        );
        assert_eq!(
            picture_url(&format!("https://x/{}", "a".repeat(3_000))),
            None
        );
    }

    #[test]
    fn blank_optional_text_means_none() {
        assert_eq!(note(Some("  ")).ok(), Some(None));
        assert!(client_message_id(Some("")).is_err());
        assert_eq!(
            client_message_id(Some(" k ")).ok().flatten().as_deref(),
            Some(" k ")
        );
    }
}
