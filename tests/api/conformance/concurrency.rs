use super::messages::{new_message, post};
use super::{admit, forward, group, user, DynStore};
use chorus::domain::membership::{Action, MembershipState};
use chorus::domain::message::Parent;
use chrono::Utc;
use std::collections::HashSet;

pub async fn concurrent_replies_get_gap_free_seq_and_exact_reply_count(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let root = post(&store, &g.id, None, &owner, "root").await;
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let (store, g, root, owner) =
                (store.clone(), g.id.clone(), root.id.clone(), owner.clone());
            tokio::spawn(async move {
                let mut seqs = Vec::new();
                for i in 0..50 {
                    let m = new_message(&g, Some(&root), &owner, &format!("w{w} #{i}"), None);
                    seqs.push(store.post_message(&m).await.unwrap().value.message.seq);
                }
                seqs
            })
        })
        .collect();
    let mut seqs = Vec::new();
    for writer in writers {
        seqs.extend(writer.await.unwrap());
    }
    seqs.sort_unstable();
    assert_eq!(
        seqs,
        (1..=400).collect::<Vec<u64>>(),
        "seq 1..400, no gaps, no duplicates"
    );
    let root_now = store
        .messages(std::slice::from_ref(&root.id))
        .await
        .unwrap()
        .remove(0);
    assert_eq!(root_now.reply_count, 400);
    let mut stored = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .children(&Parent::Message(root.id.clone()), forward(after, 100))
            .await
            .unwrap();
        stored.extend(page.items.iter().map(|m| m.seq));
        after = page.items.last().map(|m| m.seq);
        if !page.has_next {
            break;
        }
    }
    assert_eq!(stored, (1..=400).collect::<Vec<u64>>());
}

pub async fn concurrent_top_level_posts_get_gap_free_seq(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let (store, g, owner) = (store.clone(), g.id.clone(), owner.clone());
            tokio::spawn(async move { post(&store, &g, None, &owner, &format!("m{i}")).await.seq })
        })
        .collect();
    let mut seqs = HashSet::new();
    for task in tasks {
        seqs.insert(task.await.unwrap());
    }
    assert_eq!(seqs, (1..=40).collect::<HashSet<u64>>());
}

pub async fn concurrent_sends_with_one_client_id_make_one_message(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (store, g, owner) = (store.clone(), g.id.clone(), owner.clone());
            tokio::spawn(async move {
                let m = new_message(&g, None, &owner, "once", Some("retry-key"));
                store.post_message(&m).await.unwrap().value
            })
        })
        .collect();
    let mut ids = HashSet::new();
    let mut created = 0;
    for task in tasks {
        let posted = task.await.unwrap();
        created += usize::from(posted.created);
        ids.insert(posted.message.id);
    }
    assert_eq!((ids.len(), created), (1, 1), "one message, created once");
    let page = store
        .children(&Parent::Group(g.id.clone()), forward(None, 50))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
}

pub async fn concurrent_approve_and_reject_have_one_winner(store: DynStore) {
    let owner = user(&store, "owner").await;
    let admin = user(&store, "admin").await;
    let g = group(&store, &owner, "Club").await;
    admit(&store, &g.id, &owner, &admin).await;
    store
        .transition(
            &g.id,
            &owner,
            &admin,
            &Action::SetRole(chorus::domain::membership::Role::Admin),
            Utc::now(),
        )
        .await
        .unwrap();
    for round in 0..10 {
        let applicant = user(&store, &format!("applicant{round}")).await;
        store
            .transition(
                &g.id,
                &applicant,
                &applicant,
                &Action::Apply { note: None },
                Utc::now(),
            )
            .await
            .unwrap();
        let approve = {
            let (store, g, owner, a) = (
                store.clone(),
                g.id.clone(),
                owner.clone(),
                applicant.clone(),
            );
            tokio::spawn(async move {
                store
                    .transition(&g, &owner, &a, &Action::Approve, Utc::now())
                    .await
            })
        };
        let reject = {
            let (store, g, admin, a) = (
                store.clone(),
                g.id.clone(),
                admin.clone(),
                applicant.clone(),
            );
            tokio::spawn(async move {
                store
                    .transition(&g, &admin, &a, &Action::Reject { reason: None }, Utc::now())
                    .await
            })
        };
        let (approved, rejected) = (approve.await.unwrap(), reject.await.unwrap());
        assert!(
            approved.is_ok() != rejected.is_ok(),
            "exactly one wins: {approved:?} / {rejected:?}"
        );
        let state = store
            .memberships(&[(g.id.clone(), applicant.clone())])
            .await
            .unwrap()[0]
            .state;
        let expected = if approved.is_ok() {
            MembershipState::Member
        } else {
            MembershipState::Rejected
        };
        assert_eq!(state, expected);
    }
    let members = store
        .group_memberships(&g.id, MembershipState::Member, forward(None, 100))
        .await
        .unwrap();
    let count = store.groups(std::slice::from_ref(&g.id)).await.unwrap()[0].member_count;
    assert_eq!(
        count as usize,
        members.items.len(),
        "member count matches the member list"
    );
}
