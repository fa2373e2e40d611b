use super::text::GroupName;
use super::{GroupId, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Visibility {
    /// Only members read messages and members; the default.
    #[default]
    Private,
    /// Any signed-in user reads messages and members; posting still needs
    /// membership.
    Public,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    pub description: Option<String>,
    pub visibility: Visibility,
    pub created_at: Timestamp,
    /// Number of memberships in state MEMBER.
    pub member_count: u64,
    /// Slow mode: a plain member posts or replies at most once this many
    /// seconds (0: off).
    #[serde(default)]
    pub slow_mode_seconds: u32,
}

impl Group {
    /// The key `searchGroups` orders by: case-folded name, then id.
    pub fn search_key(&self) -> (String, GroupId) {
        (self.name.to_lowercase(), self.id.clone())
    }
}

/// A validated `createGroup` input.
#[derive(Debug, Clone)]
pub struct NewGroup {
    pub name: GroupName,
    pub description: Option<String>,
    pub visibility: Visibility,
}

/// A validated `updateGroup` input; `None` leaves a field as it is.
/// `description: Some(None)` clears the description.
#[derive(Debug, Clone, Default)]
pub struct GroupPatch {
    pub name: Option<GroupName>,
    pub description: Option<Option<String>>,
    pub visibility: Option<Visibility>,
    pub slow_mode_seconds: Option<u32>,
}

impl GroupPatch {
    pub fn apply(&self, group: &mut Group) {
        if let Some(name) = &self.name {
            group.name = name.to_string();
        }
        if let Some(description) = &self.description {
            group.description.clone_from(description);
        }
        if let Some(seconds) = self.slow_mode_seconds {
            group.slow_mode_seconds = seconds;
        }
        if let Some(visibility) = self.visibility {
            group.visibility = visibility;
        }
    }
}
