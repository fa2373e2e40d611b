use crate::helpers::{spawn_app, Client};
use serde_json::{json, Value};

const APPLY: &str = "mutation($g: ID!, $n: String) { applyToGroup(groupId: $g, note: $n) { state note user { id } } }";
const WITHDRAW: &str = "mutation($g: ID!) { withdrawApplication(groupId: $g) { state } }";
const APPROVE: &str =
    "mutation($g: ID!, $u: ID!) { approveApplication(groupId: $g, userId: $u) { state role } }";
const REJECT: &str = "mutation($g: ID!, $u: ID!, $r: String) { rejectApplication(groupId: $g, userId: $u, reason: $r) { state rejectionReason } }";
const LEAVE: &str = "mutation($g: ID!) { leaveGroup(groupId: $g) { state role } }";
const REMOVE: &str =
    "mutation($g: ID!, $u: ID!) { removeMember(groupId: $g, userId: $u) { state } }";
const BAN: &str = "mutation($g: ID!, $u: ID!) { banMember(groupId: $g, userId: $u) { state } }";
const SET_ROLE: &str = "mutation($g: ID!, $u: ID!, $r: Role!) { setMemberRole(groupId: $g, userId: $u, role: $r) { role } }";
const TRANSFER: &str =
    "mutation($g: ID!, $u: ID!) { transferOwnership(groupId: $g, userId: $u) { id } }";

fn vars(g: &str, u: &str) -> Value {
    json!({ "g": g, "u": u })
}

async fn state_of(client: &Client<'_>, g: &str) -> Value {
    let data = client
        .ok(
            "query($g: ID!) { group(id: $g) { viewerMembership { state role } memberCount } }",
            json!({"g": g}),
        )
        .await;
    data["group"].clone()
}

#[tokio::test]
async fn an_applicant_with_a_note_is_listed_for_admins_and_approved_into_membership() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Club").await;
    let applied = bob.ok(APPLY, json!({"g": g, "n": "let me in"})).await;
    assert_eq!(
        applied["applyToGroup"],
        json!({"state": "APPLIED", "note": "let me in", "user": {"id": "bob"}})
    );
    let apps = alice.ok("query($g: ID!) { group(id: $g) { applications { edges { node { user { id name } note } } } } }", json!({"g": g})).await;
    assert_eq!(
        apps["group"]["applications"]["edges"][0]["node"],
        json!({"user": {"id": "bob", "name": "bob name"}, "note": "let me in"})
    );
    assert_eq!(
        bob.err(
            "query($g: ID!) { group(id: $g) { applications { edges { cursor } } } }",
            json!({"g": g})
        )
        .await,
        "FORBIDDEN"
    );
    let approved = alice.ok(APPROVE, vars(&g, "bob")).await;
    assert_eq!(
        approved["approveApplication"],
        json!({"state": "MEMBER", "role": "MEMBER"})
    );
    assert_eq!(
        state_of(&bob, &g).await,
        json!({"viewerMembership": {"state": "MEMBER", "role": "MEMBER"}, "memberCount": 2})
    );
    assert_eq!(
        alice.err(APPROVE, vars(&g, "bob")).await,
        "CONFLICT",
        "approving twice"
    );
}

#[tokio::test]
async fn a_rejected_applicant_sees_the_reason_and_may_apply_again() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Club").await;
    bob.apply(&g).await;
    let rejected = alice
        .ok(REJECT, json!({"g": g, "u": "bob", "r": "full"}))
        .await;
    assert_eq!(
        rejected["rejectApplication"],
        json!({"state": "REJECTED", "rejectionReason": "full"})
    );
    assert_eq!(
        state_of(&bob, &g).await["viewerMembership"]["state"],
        "REJECTED"
    );
    bob.apply(&g).await;
    assert_eq!(
        state_of(&bob, &g).await["viewerMembership"]["state"],
        "APPLIED"
    );
}

#[tokio::test]
async fn an_applicant_may_withdraw_but_not_twice() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Club").await;
    bob.apply(&g).await;
    assert_eq!(
        bob.err(APPLY, json!({"g": g})).await,
        "CONFLICT",
        "applying twice"
    );
    assert_eq!(
        bob.ok(WITHDRAW, json!({"g": g})).await["withdrawApplication"]["state"],
        "LEFT"
    );
    assert_eq!(bob.err(WITHDRAW, json!({"g": g})).await, "CONFLICT");
    assert_eq!(
        alice.err(APPROVE, vars(&g, "bob")).await,
        "CONFLICT",
        "nothing left to approve"
    );
}

#[tokio::test]
async fn a_banned_user_is_removed_and_cannot_apply_again() {
    let app = spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    assert_eq!(
        alice.ok(BAN, vars(&g, "bob")).await["banMember"]["state"],
        "BANNED"
    );
    assert_eq!(state_of(&alice, &g).await["memberCount"], 1);
    assert_eq!(bob.err(APPLY, json!({"g": g})).await, "FORBIDDEN");
    assert_eq!(
        alice.err(BAN, vars(&g, "bob")).await,
        "CONFLICT",
        "already banned"
    );
}

#[tokio::test]
async fn members_leave_and_are_removed_but_the_owner_must_transfer_first() {
    let app = spawn_app().await;
    let (alice, bob, carol) = (app.user("alice"), app.user("bob"), app.user("carol"));
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    alice.admit(&g, &carol).await;
    assert_eq!(alice.err(LEAVE, json!({"g": g})).await, "CONFLICT");
    assert_eq!(
        bob.err(REMOVE, vars(&g, "carol")).await,
        "FORBIDDEN",
        "members cannot remove"
    );
    assert_eq!(
        alice.ok(REMOVE, vars(&g, "carol")).await["removeMember"]["state"],
        "LEFT"
    );
    assert_eq!(
        alice.err(REMOVE, vars(&g, "carol")).await,
        "CONFLICT",
        "no longer a member"
    );
    alice.ok(TRANSFER, vars(&g, "bob")).await;
    assert_eq!(
        state_of(&bob, &g).await["viewerMembership"]["role"],
        "OWNER"
    );
    assert_eq!(
        state_of(&alice, &g).await["viewerMembership"]["role"],
        "ADMIN"
    );
    assert_eq!(
        alice.ok(LEAVE, json!({"g": g})).await["leaveGroup"],
        json!({"state": "LEFT", "role": null})
    );
    assert_eq!(state_of(&bob, &g).await["memberCount"], 1);
}

#[tokio::test]
async fn only_the_owner_sets_roles_and_a_promoted_admin_can_approve() {
    let app = spawn_app().await;
    let (alice, bob, carol, dan) = (
        app.user("alice"),
        app.user("bob"),
        app.user("carol"),
        app.user("dan"),
    );
    let g = alice.create_group("Club").await;
    alice.admit(&g, &bob).await;
    alice.admit(&g, &carol).await;
    assert_eq!(
        bob.err(SET_ROLE, json!({"g": g, "u": "carol", "r": "ADMIN"}))
            .await,
        "FORBIDDEN"
    );
    assert_eq!(
        alice
            .err(SET_ROLE, json!({"g": g, "u": "bob", "r": "OWNER"}))
            .await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        alice
            .ok(SET_ROLE, json!({"g": g, "u": "bob", "r": "ADMIN"}))
            .await["setMemberRole"]["role"],
        "ADMIN"
    );
    dan.apply(&g).await;
    bob.approve(&g, "dan").await;
    assert_eq!(
        bob.err(REMOVE, vars(&g, "alice")).await,
        "FORBIDDEN",
        "nobody acts on the owner"
    );
    assert_eq!(
        carol.err(TRANSFER, vars(&g, "bob")).await,
        "FORBIDDEN",
        "only the owner transfers"
    );
}

#[tokio::test]
async fn acting_on_unknown_groups_or_users_is_not_found() {
    let app = spawn_app().await;
    let alice = app.user("alice");
    let g = alice.create_group("Club").await;
    assert_eq!(alice.err(APPLY, json!({"g": "g_nope"})).await, "NOT_FOUND");
    assert_eq!(alice.err(APPROVE, vars(&g, "ghost")).await, "NOT_FOUND");
}
