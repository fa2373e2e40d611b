use async_graphql::SimpleObject;

/// The viewer's unread counts over all their groups: the app badge.
#[derive(SimpleObject)]
#[graphql(name = "UnreadSummary")]
pub struct UnreadSummaryObject {
    /// Groups with at least one unread message.
    pub groups: i64,
    /// Unread messages over all groups.
    pub messages: i64,
    /// Of those, the ones that mention the viewer.
    pub mentions: i64,
}

impl From<crate::domain::reading::UnreadSummary> for UnreadSummaryObject {
    fn from(s: crate::domain::reading::UnreadSummary) -> Self {
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        Self {
            groups: count(s.groups),
            messages: count(s.messages),
            mentions: count(s.mentions),
        }
    }
}
