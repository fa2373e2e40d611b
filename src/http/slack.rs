//! Slack's incoming-webhook payload, as the tools that speak it send it:
//! JSON, or a form with the JSON in `payload=` (Slack's older form); the
//! text in `text`, or only in `attachments` (Alertmanager's and Grafana's
//! default) or `blocks`. Slack shows `text` when it is there and the
//! attachments and blocks otherwise; chorus posts the same words as plain
//! text.

use serde::Deserialize;
use serde_json::Value;

/// What chorus reads of a payload; the rest (username, icons, colours,
/// buttons) is ignored as Slack ignores what it cannot show.
#[derive(Deserialize, Default)]
pub struct Payload {
    text: Option<String>,
    #[serde(default)]
    attachments: Vec<Value>,
    #[serde(default)]
    blocks: Vec<Value>,
    pub thread_ts: Option<String>,
    #[serde(rename = "parentId")]
    pub parent_id: Option<String>,
}

/// Why a body is not a payload.
#[derive(Debug, PartialEq, Eq)]
pub struct Invalid;

/// Reads a body as JSON, or as a form with the JSON in its `payload`
/// field (when `form` says the body is `application/x-www-form-urlencoded`).
pub fn parse(bytes: &[u8], form: bool) -> Result<Payload, Invalid> {
    if !form {
        return serde_json::from_slice(bytes).map_err(|_| Invalid);
    }
    let json = form_urlencoded::parse(bytes)
        .find(|(name, _)| name == "payload")
        .map(|(_, value)| value)
        .ok_or(Invalid)?;
    serde_json::from_str(&json).map_err(|_| Invalid)
}

impl Payload {
    /// The words to post: `text` when it has any, else what the blocks and
    /// the attachments say, one line each. `None` when there is nothing.
    pub fn text(&self) -> Option<String> {
        if let Some(text) = self.text.as_deref().filter(|t| !t.trim().is_empty()) {
            return Some(text.to_owned());
        }
        let mut lines = Vec::new();
        for block in &self.blocks {
            block_lines(block, &mut lines);
        }
        for attachment in &self.attachments {
            attachment_lines(attachment, &mut lines);
        }
        let text = lines.join("\n");
        (!text.trim().is_empty()).then_some(text)
    }
}

/// A non-empty string at `key` of an object.
fn str_at<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A text object's words (`{"type": "mrkdwn", "text": ...}`) or a string.
fn text_object(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => Some(s.trim()).filter(|s| !s.is_empty()),
        _ => str_at(value, "text"),
    }
}

/// The words of a block: a header's and a section's text and fields, a
/// context's text elements, a rich text's runs.
fn block_lines(block: &Value, lines: &mut Vec<String>) {
    match block.get("type").and_then(Value::as_str) {
        Some("header" | "section") => {
            lines.extend(block.get("text").and_then(text_object).map(str::to_owned));
            let fields = block.get("fields").and_then(Value::as_array);
            lines.extend(
                fields
                    .into_iter()
                    .flatten()
                    .filter_map(text_object)
                    .map(str::to_owned),
            );
        }
        Some("context") => {
            let elements = block.get("elements").and_then(Value::as_array);
            let words: Vec<&str> = elements
                .into_iter()
                .flatten()
                .filter_map(|e| str_at(e, "text"))
                .collect();
            if !words.is_empty() {
                lines.push(words.join(" "));
            }
        }
        Some("rich_text") => {
            let mut run = String::new();
            rich_text(block, &mut run);
            let run = run.trim();
            if !run.is_empty() {
                lines.push(run.to_owned());
            }
        }
        _ => {}
    }
}

/// The text runs of a rich-text block's elements, in order.
fn rich_text(value: &Value, out: &mut String) {
    if let Some(elements) = value.get("elements").and_then(Value::as_array) {
        for element in elements {
            match element.get("type").and_then(Value::as_str) {
                Some("text") => out.push_str(element["text"].as_str().unwrap_or_default()),
                Some("link") => {
                    let shown = element.get("text").or_else(|| element.get("url"));
                    out.push_str(shown.and_then(Value::as_str).unwrap_or_default());
                }
                _ => rich_text(element, out),
            }
        }
    }
}

/// The words of a legacy attachment: its pretext, title, text and fields;
/// its `fallback` (the plain summary) when it has none of them.
fn attachment_lines(attachment: &Value, lines: &mut Vec<String>) {
    let before = lines.len();
    for key in ["pretext", "title", "text"] {
        lines.extend(str_at(attachment, key).map(str::to_owned));
    }
    let fields = attachment.get("fields").and_then(Value::as_array);
    for field in fields.into_iter().flatten() {
        match (str_at(field, "title"), str_at(field, "value")) {
            (Some(title), Some(value)) => lines.push(format!("{title}: {value}")),
            (None, Some(line)) | (Some(line), None) => lines.push(line.to_owned()),
            (None, None) => {}
        }
    }
    if lines.len() == before {
        lines.extend(str_at(attachment, "fallback").map(str::to_owned));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text_of(value: Value) -> Option<String> {
        serde_json::from_value::<Payload>(value).unwrap().text()
    }

    #[test]
    fn text_wins_over_attachments_and_blocks() {
        let payload = json!({"text": "plain", "attachments": [{"text": "more"}]});
        assert_eq!(text_of(payload).as_deref(), Some("plain"));
    }

    #[test]
    fn attachments_give_pretext_title_text_and_fields_or_else_their_fallback() {
        let payload = json!({"attachments": [
            {"pretext": "p", "title": "t", "text": "x", "fields": [{"title": "host", "value": "api-3"}], "fallback": "f"},
            {"fallback": "only the summary", "color": "danger"}
        ]});
        assert_eq!(
            text_of(payload).as_deref(),
            Some("p\nt\nx\nhost: api-3\nonly the summary")
        );
    }

    #[test]
    fn blocks_give_headers_sections_fields_context_and_rich_text() {
        let payload = json!({"blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Deploy"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": "*v2* is out"},
             "fields": [{"type": "mrkdwn", "text": "env: prod"}]},
            {"type": "divider"},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "by ci"}, {"type": "image", "image_url": "x"}]},
            {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": [
                {"type": "text", "text": "see "}, {"type": "link", "url": "https://x.test"}]}]}
        ]});
        assert_eq!(
            text_of(payload).as_deref(),
            Some("Deploy\n*v2* is out\nenv: prod\nby ci\nsee https://x.test")
        );
    }

    #[test]
    fn nothing_to_show_is_none() {
        assert_eq!(text_of(json!({"text": "  "})), None);
        assert_eq!(text_of(json!({"attachments": [{"color": "good"}]})), None);
        assert_eq!(text_of(json!({"blocks": [{"type": "divider"}]})), None);
    }

    #[test]
    fn a_form_carries_the_json_in_payload() {
        let body = b"payload=%7B%22text%22%3A%22from+a+form%22%7D";
        assert_eq!(
            parse(body, true).unwrap().text().as_deref(),
            Some("from a form")
        );
        assert!(parse(b"text=hi", true).is_err());
        assert!(parse(b"payload=not-json", true).is_err());
    }
}
