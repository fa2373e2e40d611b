//! A user's own account: deleting it for good, and exporting its data
//! (GDPR articles 15, 17 and 20). The rules live here; the service drives
//! the steps and the stores keep what each step leaves.

use super::bot::Bot;
use super::group::{Group, GroupPatch, Visibility};
use super::ids::ExportId;
use super::membership::Membership;
use super::message::Message;
use super::push::PushSubscription;
use super::reaction::Reaction;
use super::user::User;
use super::{DomainError, DomainResult, GroupId, Timestamp, UserId};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// How a user who is gone is shown: the author of their messages' tombstones,
/// and any other reference to an account that no longer has a profile.
pub const DELETED_NAME: &str = "Deleted user";
/// How long an export's link works, and how long a second request returns
/// the export already made.
pub const EXPORT_VALID: chrono::Duration = chrono::Duration::hours(24);
/// The name an export downloads as.
pub const EXPORT_FILENAME: &str = "chorus-export.json";

/// `deleteMyAccount`'s `confirm` must be the viewer's own id: a client
/// cannot delete an account by a stray call.
pub fn check_confirm(viewer: &UserId, confirm: &str) -> DomainResult<()> {
    super::access::people_only(viewer)?;
    if confirm != viewer.as_str() {
        return Err(DomainError::invalid(
            "confirm must be your own user id (me { id })",
        ));
    }
    Ok(())
}

/// The owner of a group with other members must hand it over first: the
/// group would otherwise be left with nobody to run it.
pub fn check_owned(group: &Group) -> DomainResult<()> {
    if group.member_count > 1 {
        return Err(DomainError::conflict(format!(
            "you own \"{}\", which has other members: transfer ownership first",
            group.name
        )));
    }
    Ok(())
}

/// What a group whose owner deleted their account as its last member
/// becomes: private, its name (unique, so with the id's end) and
/// description no longer theirs. `searchGroups` lists no group without
/// members.
pub fn closed_group(id: &GroupId) -> DomainResult<GroupPatch> {
    let id = id.as_str();
    let end = id.get(id.len().saturating_sub(8)..).unwrap_or(id);
    Ok(GroupPatch {
        name: Some(super::text::group_name(&format!("Deleted group {end}"))?),
        description: Some(None),
        visibility: Some(Visibility::Private),
        slow_mode_seconds: None,
    })
}

/// What a user who is gone (or never was) shows as: a name and nothing
/// else.
pub fn deleted_user(id: UserId) -> User {
    User {
        id,
        name: DELETED_NAME.to_owned(),
        email: None,
        picture_url: None,
        created_at: chrono::DateTime::UNIX_EPOCH,
        last_seen_at: None,
        presence_hidden: true,
    }
}

/// A deletion under way: who, and the id their messages move to (kept, so
/// a resumed deletion moves the rest to the same one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deletion {
    pub user_id: UserId,
    pub ghost: UserId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExportState {
    Pending,
    Ready,
    Failed,
}

/// One request for a user's data: built off the request path, then a
/// document in file storage for [`EXPORT_VALID`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataExport {
    pub id: ExportId,
    pub user_id: UserId,
    pub state: ExportState,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

impl DataExport {
    pub fn new(user: &UserId, now: Timestamp) -> Self {
        Self {
            id: ExportId::generate(),
            user_id: user.clone(),
            state: ExportState::Pending,
            created_at: now,
            finished_at: None,
        }
    }

    /// Where its document is stored.
    pub fn key(&self) -> String {
        format!("exports/{}", self.id)
    }

    pub fn expires_at(&self) -> Timestamp {
        self.created_at + EXPORT_VALID
    }

    /// Whether a new request at `now` gets this one back (one a day; a
    /// failed one may be asked for again at once).
    pub fn reusable(&self, now: Timestamp) -> bool {
        self.state != ExportState::Failed && now < self.expires_at()
    }

    /// Whether its link may be handed out at `now`.
    pub fn downloadable(&self, now: Timestamp) -> bool {
        self.state == ExportState::Ready && now < self.expires_at()
    }

    pub fn finished(&self, state: ExportState, now: Timestamp) -> Self {
        Self {
            state,
            finished_at: Some(now),
            ..self.clone()
        }
    }
}

/// Everything a user wrote or owns, as the stores and registries hold it.
pub struct ExportData {
    pub user: User,
    /// Each membership with its group's name (`None`: the group is gone).
    pub memberships: Vec<(Membership, Option<String>)>,
    pub messages: Vec<Message>,
    pub reactions: Vec<Reaction>,
    pub subscriptions: Vec<PushSubscription>,
    pub bots: Vec<Bot>,
}

/// The export document: the user's own data only. Devices go without
/// their tokens and endpoints, bots without any key material; a message's
/// files are named, not included.
pub fn document(data: &ExportData, now: Timestamp) -> Value {
    let user = &data.user;
    json!({
        "exportedAt": now,
        "user": {
            "id": user.id, "name": user.name, "email": user.email,
            "pictureUrl": user.picture_url, "createdAt": user.created_at,
            "presenceHidden": user.presence_hidden,
        },
        "memberships": data.memberships.iter().map(|(m, group)| json!({
            "groupId": m.group_id, "groupName": group, "state": m.state, "role": m.role,
            "since": m.since, "note": m.note, "mutedUntil": m.muted_until,
            "bannedUntil": m.banned_until,
        })).collect::<Vec<_>>(),
        "messages": data.messages.iter().map(|m| json!({
            "id": m.id, "groupId": m.group_id, "parentId": m.parent_id, "body": m.body,
            "createdAt": m.created_at, "editedAt": m.edited_at, "deletedAt": m.deleted_at,
            "attachments": m.attachments.iter().map(|a| &a.filename).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "reactions": data.reactions.iter().map(|r| json!({
            "messageId": r.message_id, "groupId": r.group_id, "key": r.key,
            "createdAt": r.created_at,
        })).collect::<Vec<_>>(),
        "devices": data.subscriptions.iter().map(|s| json!({
            "kind": if s.device.is_some() { "NATIVE" } else { "WEB_PUSH" },
            "platform": s.device.as_ref().map(|d| d.platform),
            "createdAt": s.created_at,
        })).collect::<Vec<_>>(),
        "bots": data.bots.iter().map(|b| json!({
            "id": b.id, "groupId": b.group_id, "name": b.name, "createdAt": b.created_at,
            "lastUsedAt": b.last_used_at, "revokedAt": b.revoked_at,
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confirm_must_be_the_viewers_own_id() {
        let me = UserId::parse("alice").unwrap();
        assert!(check_confirm(&me, "alice").is_ok());
        let wrong = check_confirm(&me, "bob").unwrap_err();
        assert_eq!(wrong.code(), "BAD_USER_INPUT");
        assert_eq!(check_confirm(&me, "").unwrap_err().code(), "BAD_USER_INPUT");
    }

    #[test]
    fn an_export_is_reused_for_a_day_unless_it_failed() {
        let now = crate::domain::now();
        let export = DataExport::new(&UserId::parse("alice").unwrap(), now);
        assert!(export.reusable(now + chrono::Duration::hours(23)));
        assert!(!export.reusable(now + EXPORT_VALID));
        let failed = export.finished(ExportState::Failed, now);
        assert!(!failed.reusable(now));
        assert!(!export.downloadable(now), "pending has no link");
        let ready = export.finished(ExportState::Ready, now);
        assert!(ready.downloadable(now + chrono::Duration::hours(23)));
        assert!(!ready.downloadable(now + EXPORT_VALID));
    }

    #[test]
    fn a_ghost_id_is_nobodys_sign_in() {
        let ghost = UserId::ghost();
        assert!(UserId::person(ghost.as_str()).is_err());
        assert_ne!(ghost, UserId::ghost());
    }
}
