use super::MessageObject;
use crate::domain::search::TextRange;
use crate::graphql::pagination::PageInfo;
use async_graphql::SimpleObject;

/// A range of a snippet in UTF-16 code units (as JavaScript counts).
#[derive(SimpleObject)]
#[graphql(name = "TextRange")]
pub struct TextRangeObject {
    pub start: i32,
    pub length: i32,
}

impl From<TextRange> for TextRangeObject {
    fn from(range: TextRange) -> Self {
        let int = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
        Self {
            start: int(range.start),
            length: int(range.length),
        }
    }
}

/// One hit: the message, and its body around the best match with the
/// matched words marked.
#[derive(SimpleObject)]
#[graphql(name = "MessageSearchEdge")]
pub struct MessageSearchEdgeObject {
    pub cursor: String,
    pub node: MessageObject,
    pub snippet: String,
    pub highlights: Vec<TextRangeObject>,
}

/// Hits, best first, then newest.
#[derive(SimpleObject)]
#[graphql(name = "MessageSearchConnection")]
pub struct MessageSearchConnectionObject {
    pub edges: Vec<MessageSearchEdgeObject>,
    pub page_info: PageInfo,
}
