use super::*;
use chrono::Utc;

fn membership(user: &str, state: MembershipState, role: Option<Role>) -> Membership {
    Membership {
        group_id: GroupId::parse("g_1").unwrap(),
        user_id: UserId::parse(user).unwrap(),
        state,
        role,
        note: None,
        reason: None,
        since: Utc::now(),
        updated_at: Utc::now(),
        muted_until: None,
        banned_until: None,
        last_post_at: None,
    }
}

fn run(
    actor: Option<&Membership>,
    target: Option<&Membership>,
    actor_id: &str,
    target_id: &str,
    action: Action,
) -> Result<Decision, DomainError> {
    let group = GroupId::parse("g_1").unwrap();
    let (a, t) = (
        UserId::parse(actor_id).unwrap(),
        UserId::parse(target_id).unwrap(),
    );
    decide(
        &Situation {
            group_id: &group,
            actor_id: &a,
            target_id: &t,
            actor,
            target,
            now: Utc::now(),
        },
        &action,
    )
}

#[test]
fn a_stranger_applies_and_an_admin_approves() {
    let applied = run(
        None,
        None,
        "u",
        "u",
        Action::Apply {
            note: Some("hi".into()),
        },
    )
    .unwrap();
    assert_eq!(applied.target.state, MembershipState::Applied);
    assert_eq!(applied.target.note.as_deref(), Some("hi"));
    let admin = membership("a", MembershipState::Member, Some(Role::Admin));
    let approved = run(
        Some(&admin),
        Some(&applied.target),
        "a",
        "u",
        Action::Approve,
    )
    .unwrap();
    assert_eq!(approved.target.state, MembershipState::Member);
    assert_eq!(approved.target.role, Some(Role::Member));
    assert_eq!(approved.member_delta, 1);
}

#[test]
fn a_banned_user_cannot_apply_but_a_rejected_one_can() {
    let banned = membership("u", MembershipState::Banned, None);
    let err = run(None, Some(&banned), "u", "u", Action::Apply { note: None }).unwrap_err();
    assert_eq!(err.code(), "FORBIDDEN");
    let rejected = membership("u", MembershipState::Rejected, None);
    assert!(run(
        None,
        Some(&rejected),
        "u",
        "u",
        Action::Apply { note: None }
    )
    .is_ok());
}

#[test]
fn the_owner_cannot_leave_but_a_member_can() {
    let owner = membership("o", MembershipState::Member, Some(Role::Owner));
    assert_eq!(
        run(Some(&owner), Some(&owner), "o", "o", Action::Leave)
            .unwrap_err()
            .code(),
        "CONFLICT"
    );
    let member = membership("m", MembershipState::Member, Some(Role::Member));
    let left = run(Some(&member), Some(&member), "m", "m", Action::Leave).unwrap();
    assert_eq!(
        (left.target.state, left.member_delta),
        (MembershipState::Left, -1)
    );
}

#[test]
fn a_plain_member_cannot_approve_and_an_admin_cannot_ban_an_admin() {
    let member = membership("m", MembershipState::Member, Some(Role::Member));
    let applicant = membership("u", MembershipState::Applied, None);
    let err = run(Some(&member), Some(&applicant), "m", "u", Action::Approve).unwrap_err();
    assert_eq!(err.code(), "FORBIDDEN");
    let admin = membership("a", MembershipState::Member, Some(Role::Admin));
    let other = membership("b", MembershipState::Member, Some(Role::Admin));
    assert_eq!(
        run(
            Some(&admin),
            Some(&other),
            "a",
            "b",
            Action::Ban {
                until: None,
                reason: None
            }
        )
        .unwrap_err()
        .code(),
        "FORBIDDEN"
    );
}

#[test]
fn approving_twice_is_a_conflict() {
    let admin = membership("a", MembershipState::Member, Some(Role::Admin));
    let member = membership("u", MembershipState::Member, Some(Role::Member));
    assert_eq!(
        run(Some(&admin), Some(&member), "a", "u", Action::Approve)
            .unwrap_err()
            .code(),
        "CONFLICT"
    );
}

#[test]
fn transferring_ownership_demotes_the_old_owner_to_admin() {
    let owner = membership("o", MembershipState::Member, Some(Role::Owner));
    let member = membership("m", MembershipState::Member, Some(Role::Member));
    let d = run(
        Some(&owner),
        Some(&member),
        "o",
        "m",
        Action::TransferOwnership,
    )
    .unwrap();
    assert_eq!(d.target.role, Some(Role::Owner));
    assert_eq!(d.actor.unwrap().role, Some(Role::Admin));
}

#[test]
fn nobody_is_made_owner_through_set_role() {
    let owner = membership("o", MembershipState::Member, Some(Role::Owner));
    let member = membership("m", MembershipState::Member, Some(Role::Member));
    let err = run(
        Some(&owner),
        Some(&member),
        "o",
        "m",
        Action::SetRole(Role::Owner),
    )
    .unwrap_err();
    assert_eq!(err.code(), "BAD_USER_INPUT");
}
