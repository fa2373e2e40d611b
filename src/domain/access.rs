//! Who may do what: the access rules every use case and store checks,
//! over the memberships involved. Imports only the membership types.

use super::group::Visibility;
use super::membership::{Action, Membership};
use super::{DomainError, DomainResult, UserId};

/// Whether `viewer` may read a membership's private text (the applicant's
/// note, the rejection reason): the applicant themselves and the group's
/// admins; `viewer_membership` is the viewer's own membership of that group.
pub fn can_read_private_text(
    membership: &Membership,
    viewer: &UserId,
    viewer_membership: Option<&Membership>,
) -> bool {
    &membership.user_id == viewer || viewer_membership.is_some_and(Membership::is_admin)
}

/// Whether a viewer may read a group's messages and members.
pub fn can_read_content(visibility: Visibility, viewer: Option<&Membership>) -> bool {
    visibility == Visibility::Public || viewer.is_some_and(Membership::is_member)
}

/// Owners and admins of a group manage its bots and webhooks.
pub fn may_manage(actor: Option<&Membership>) -> DomainResult<()> {
    if actor.is_some_and(Membership::is_admin) {
        Ok(())
    } else {
        Err(DomainError::forbidden(
            "only the group's owner and admins manage its integrations",
        ))
    }
}

/// A bot is confined to its group: any group-scoped access without an
/// active membership is refused (for a person, public groups stay
/// readable).
pub fn confine(viewer: &UserId, membership: Option<&Membership>) -> DomainResult<()> {
    if viewer.is_bot() && !membership.is_some_and(Membership::is_member) {
        return Err(DomainError::forbidden("a bot acts only in its own group"));
    }
    Ok(())
}

/// What only people do (create or find groups, apply, register devices,
/// manage integrations): refused to bots.
pub fn people_only(viewer: &UserId) -> DomainResult<()> {
    if viewer.is_bot() {
        return Err(DomainError::forbidden("a bot acts only in its own group"));
    }
    Ok(())
}

/// Memberships of bots are made by `createBot` and ended by `revokeBot`
/// (or an admin removing or banning the bot); bots change none.
pub fn may_transition(actor: &UserId, target: &UserId, action: &Action) -> DomainResult<()> {
    people_only(actor)?;
    if target.is_bot() && !matches!(action, Action::Remove | Action::Ban { .. }) {
        return Err(DomainError::forbidden(
            "a bot is only removed or banned; revoke it to retire it",
        ));
    }
    Ok(())
}
