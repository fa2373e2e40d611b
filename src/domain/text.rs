//! Validated text values. Each `parse` trims and checks the documented limits,
//! so an invalid value cannot exist past the API boundary.

use super::error::DomainError;

/// Trims `raw` and checks `min..=max` characters (not bytes).
fn bounded(raw: &str, what: &str, min: usize, max: usize) -> Result<String, DomainError> {
    let trimmed = raw.trim();
    let len = trimmed.chars().count();
    if len < min {
        return Err(DomainError::invalid(format!("{what} must not be empty")));
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
    Ok(trimmed.to_owned())
}

/// Optional free text: `None` and blank both mean "no text".
fn optional(raw: Option<&str>, what: &str, max: usize) -> Result<Option<String>, DomainError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => bounded(text, what, 1, max).map(Some),
    }
}

pub const MESSAGE_BODY_MAX: usize = 10_000;
pub const GROUP_NAME_MAX: usize = 100;
pub const DESCRIPTION_MAX: usize = 2_000;
pub const NOTE_MAX: usize = 1_000;
pub const CLIENT_MESSAGE_ID_MAX: usize = 128;

/// A message body: 1..=10,000 characters after trimming.
pub fn message_body(raw: &str) -> Result<String, DomainError> {
    bounded(raw, "message body", 1, MESSAGE_BODY_MAX)
}

/// A group name: 1..=100 characters after trimming.
pub fn group_name(raw: &str) -> Result<String, DomainError> {
    bounded(raw, "group name", 1, GROUP_NAME_MAX)
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
    fn blank_optional_text_means_none() {
        assert_eq!(note(Some("  ")).ok(), Some(None));
        assert!(client_message_id(Some("")).is_err());
        assert_eq!(
            client_message_id(Some(" k ")).ok().flatten().as_deref(),
            Some(" k ")
        );
    }
}
