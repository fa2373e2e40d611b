use super::{admit, backward, forward, group, uid, user, DynStore};
use chorus::domain::group::{GroupPatch, NewGroup, Visibility};
use chorus::domain::membership::{Action, MembershipState, Role};
use chorus::domain::user::Profile;
use chorus::domain::GroupId;
use chorus::store::StoreError;
use chrono::Utc;

pub async fn upserting_a_user_creates_then_refreshes_the_profile(store: DynStore) {
    let mut profile = Profile {
        id: uid("ada"),
        name: "Ada".into(),
        email: Some("ada@example.com".into()),
        picture_url: None,
    };
    let first = store.upsert_user(&profile, Utc::now()).await.unwrap();
    profile.name = "Ada L.".into();
    let second = store.upsert_user(&profile, Utc::now()).await.unwrap();
    assert_eq!(second.name, "Ada L.");
    assert_eq!(second.created_at, first.created_at, "created_at is kept");
    let users = store.users(&[uid("ada"), uid("nobody")]).await.unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].email.as_deref(), Some("ada@example.com"));
}

pub async fn creating_a_group_makes_the_creator_its_owning_member(store: DynStore) {
    let owner = user(&store, "owner").await;
    let new = NewGroup {
        name: chorus::domain::text::group_name("Gardening").unwrap(),
        description: Some("dirt".into()),
        visibility: Visibility::Public,
    };
    let created = store.create_group(&new, &owner, Utc::now()).await.unwrap();
    let (group, membership) = created.value;
    assert_eq!(
        created.events.len(),
        1,
        "the owner's membership is announced"
    );
    assert_eq!(created.events[0].membership.as_ref(), Some(&membership));
    assert_eq!(
        (group.member_count, group.visibility),
        (1, Visibility::Public)
    );
    assert_eq!(
        (membership.state, membership.role),
        (MembershipState::Member, Some(Role::Owner))
    );
    let loaded = store.groups(std::slice::from_ref(&group.id)).await.unwrap();
    assert_eq!(loaded, vec![group.clone()]);
    let found = store
        .memberships(&[(group.id.clone(), owner)])
        .await
        .unwrap();
    assert_eq!(found, vec![membership]);
}

pub async fn updating_a_group_changes_only_the_given_fields(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Old name").await;
    let patch = GroupPatch {
        name: Some(chorus::domain::text::group_name("New name").unwrap()),
        ..Default::default()
    };
    let updated = store.update_group(&g.id, &patch, None).await.unwrap();
    assert_eq!(
        (updated.name.as_str(), updated.visibility),
        ("New name", Visibility::Private)
    );
    assert_eq!(
        group_candidates(&store, "new").await,
        ["New name"],
        "search follows the new name"
    );
    assert!(group_candidates(&store, "old").await.is_empty());
}

/// The names of the groups a store hands over for `query`, sorted (the
/// order is the caller's to decide).
async fn group_candidates(store: &DynStore, query: &str) -> Vec<String> {
    let query = chorus::domain::search::SearchQuery::parse(query).unwrap();
    let found = store
        .search_group_candidates(&query.engine_words(), 100)
        .await
        .unwrap();
    let mut names: Vec<String> = found.into_iter().map(|g| g.name).collect();
    names.sort();
    names
}

pub async fn group_search_finds_names_and_descriptions_folded_and_by_prefix(store: DynStore) {
    let owner = user(&store, "owner").await;
    for name in [
        "Rust Berlin",
        "rust paris",
        "Go Paris",
        "RUST Tokyo",
        "Zürich Climbers",
    ] {
        group(&store, &owner, name).await;
    }
    assert_eq!(
        group_candidates(&store, "rust").await,
        ["RUST Tokyo", "Rust Berlin", "rust paris"]
    );
    assert_eq!(
        group_candidates(&store, "zurich").await,
        ["Zürich Climbers"]
    );
    assert_eq!(
        group_candidates(&store, "climb*").await,
        ["Zürich Climbers"]
    );
    assert!(
        group_candidates(&store, "paris rust")
            .await
            .contains(&"rust paris".to_owned()),
        "a group holding every word is a candidate"
    );
    let quiet = group(&store, &owner, "Quiet").await;
    let patch = GroupPatch {
        description: Some(Some("Bouldering in Zürich".into())),
        ..Default::default()
    };
    store.update_group(&quiet.id, &patch, None).await.unwrap();
    assert_eq!(
        group_candidates(&store, "boulder*").await,
        ["Quiet"],
        "a description is searched"
    );
    let patch = GroupPatch {
        description: Some(None),
        ..Default::default()
    };
    store.update_group(&quiet.id, &patch, None).await.unwrap();
    assert!(group_candidates(&store, "bouldering").await.is_empty());
    assert_eq!(
        group_candidates(&store, "quiet").await,
        ["Quiet"],
        "the name stays"
    );
}

pub async fn transitions_follow_the_state_machine_and_keep_member_count(store: DynStore) {
    let owner = user(&store, "owner").await;
    let ann = user(&store, "ann").await;
    let g = group(&store, &owner, "Club").await;
    let now = Utc::now();
    let applied = store
        .transition(
            &g.id,
            &ann,
            &ann,
            &Action::Apply {
                note: Some("hi".into()),
            },
            now,
        )
        .await
        .unwrap()
        .value;
    assert_eq!(
        (applied.target.state, applied.target.note.as_deref()),
        (MembershipState::Applied, Some("hi"))
    );
    store
        .transition(&g.id, &owner, &ann, &Action::Approve, now)
        .await
        .unwrap();
    assert_eq!(
        store.groups(std::slice::from_ref(&g.id)).await.unwrap()[0].member_count,
        2
    );
    store
        .transition(&g.id, &owner, &ann, &Action::SetRole(Role::Admin), now)
        .await
        .unwrap();
    let transfer = store
        .transition(&g.id, &owner, &ann, &Action::TransferOwnership, now)
        .await
        .unwrap()
        .value;
    assert_eq!(transfer.target.role, Some(Role::Owner));
    let found = store
        .memberships(&[(g.id.clone(), owner.clone())])
        .await
        .unwrap();
    assert_eq!(
        found[0].role,
        Some(Role::Admin),
        "the old owner is now an admin"
    );
    store
        .transition(&g.id, &owner, &owner, &Action::Leave, now)
        .await
        .unwrap();
    assert_eq!(
        store.groups(std::slice::from_ref(&g.id)).await.unwrap()[0].member_count,
        1
    );
    store
        .transition(
            &g.id,
            &ann,
            &owner,
            &Action::Ban {
                until: None,
                reason: None,
            },
            now,
        )
        .await
        .unwrap();
    let err = store
        .transition(&g.id, &owner, &owner, &Action::Apply { note: None }, now)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Rejected(ref e) if e.code() == "FORBIDDEN"),
        "{err:?}"
    );
}

pub async fn refused_transitions_change_nothing(store: DynStore) {
    let owner = user(&store, "owner").await;
    let bob = user(&store, "bob").await;
    let g = group(&store, &owner, "Club").await;
    let now = Utc::now();
    let err = store
        .transition(&g.id, &owner, &bob, &Action::Approve, now)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Rejected(ref e) if e.code() == "CONFLICT"),
        "{err:?}"
    );
    let err = store
        .transition(&g.id, &owner, &owner, &Action::Leave, now)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected(_)));
    assert!(store
        .memberships(&[(g.id.clone(), bob)])
        .await
        .unwrap()
        .is_empty());
    let after = &store.groups(std::slice::from_ref(&g.id)).await.unwrap()[0];
    assert_eq!(after.member_count, 1);
}

pub async fn member_lists_page_in_both_directions(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let mut expected = vec![owner.clone()];
    for i in 0..5 {
        let u = user(&store, &format!("m{i}")).await;
        admit(&store, &g.id, &owner, &u).await;
        expected.push(u);
    }
    let all = store
        .group_memberships(&g.id, MembershipState::Member, forward(None, 10))
        .await
        .unwrap();
    let ids: Vec<_> = all.items.iter().map(|m| m.user_id.clone()).collect();
    assert_eq!(ids, expected);
    let last_two = store
        .group_memberships(&g.id, MembershipState::Member, backward(None, 2))
        .await
        .unwrap();
    let ids: Vec<_> = last_two.items.iter().map(|m| m.user_id.clone()).collect();
    assert_eq!(ids, expected[4..].to_vec());
    assert!(last_two.has_previous && !last_two.has_next);
    let before = last_two.items[0].list_key();
    let middle = store
        .group_memberships(&g.id, MembershipState::Member, backward(Some(before), 2))
        .await
        .unwrap();
    let ids: Vec<_> = middle.items.iter().map(|m| m.user_id.clone()).collect();
    assert_eq!(ids, expected[2..4].to_vec());
    assert!(middle.has_previous && middle.has_next);
    let applied = store
        .group_memberships(&g.id, MembershipState::Applied, forward(None, 10))
        .await
        .unwrap();
    assert!(applied.items.is_empty());
}

pub async fn user_memberships_list_only_active_memberships(store: DynStore) {
    let owner = user(&store, "owner").await;
    let ann = user(&store, "ann").await;
    let a = group(&store, &owner, "A").await;
    let b = group(&store, &owner, "B").await;
    let c = group(&store, &owner, "C").await;
    admit(&store, &a.id, &owner, &ann).await;
    admit(&store, &b.id, &owner, &ann).await;
    store
        .transition(&c.id, &ann, &ann, &Action::Apply { note: None }, Utc::now())
        .await
        .unwrap();
    store
        .transition(&a.id, &ann, &ann, &Action::Leave, Utc::now())
        .await
        .unwrap();
    let page = store
        .user_memberships(&ann, forward(None, 10))
        .await
        .unwrap();
    let groups: Vec<GroupId> = page.items.iter().map(|m| m.group_id.clone()).collect();
    assert_eq!(groups, vec![b.id]);
}

pub async fn missing_groups_are_not_found(store: DynStore) {
    let owner = user(&store, "owner").await;
    let missing = GroupId::parse("g_missing").unwrap();
    let err = store
        .transition(
            &missing,
            &owner,
            &owner,
            &Action::Apply { note: None },
            Utc::now(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
    let err = store
        .update_group(&missing, &GroupPatch::default(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
    assert!(store.groups(&[missing]).await.unwrap().is_empty());
}
