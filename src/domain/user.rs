use super::{Timestamp, UserId};
use serde::{Deserialize, Serialize};

/// A person, created on first sign-in from the identity token's claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub email: Option<String>,
    pub picture_url: Option<String>,
    pub created_at: Timestamp,
    /// Their last request or socket, to the minute (`domain::presence`).
    pub last_seen_at: Option<Timestamp>,
    /// Whether they hide their presence from others.
    pub presence_hidden: bool,
}

/// What a verified token says about its holder.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Profile {
    pub id: UserId,
    pub name: String,
    pub email: Option<String>,
    pub picture_url: Option<String>,
}
