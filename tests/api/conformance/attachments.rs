//! Attachments: a message keeps its files (and drops them when deleted),
//! a claim is all or nothing and wins once under concurrency, a release
//! undoes only its own claim, and sweeps see what no sweep kept.

use super::messages::new_message;
use super::{group, user, DynStore};
use chorus::domain::attachment::{Attachment, Declared, UploadRules};
use chorus::domain::message::MessageChange;
use chorus::domain::{AttachmentId, GroupId, MessageId, UserId};
use chorus::store::StoreError;
use chrono::Utc;

async fn upload(store: &DynStore, group: &GroupId, owner: &UserId, name: &str) -> Attachment {
    let declared = Declared {
        filename: name.into(),
        content_type: "image/png".into(),
        size: 10,
        width: Some(2),
        height: Some(3),
    };
    let a = UploadRules::default()
        .admit(
            declared,
            group.clone(),
            owner.clone(),
            chorus::domain::now(),
        )
        .unwrap();
    store.put_attachment(&a).await.unwrap();
    a
}

fn ids(files: &[&Attachment]) -> Vec<AttachmentId> {
    files.iter().map(|a| a.id.clone()).collect()
}

pub async fn a_message_keeps_its_claimed_files_until_deleted(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let (a, b) = (
        upload(&store, &g.id, &owner, "a.png").await,
        upload(&store, &g.id, &owner, "b.png").await,
    );
    let found = store.attachments(&ids(&[&b, &a])).await.unwrap();
    assert_eq!(found.len(), 2);
    assert!(found.contains(&a), "read back as written: {found:?}");
    let mut new = new_message(&g.id, None, &owner, "x", None);
    new.body = chorus::domain::text::message_body_beside_files("").unwrap();
    store
        .claim_attachments(&ids(&[&a, &b]), &owner, &new.id)
        .await
        .unwrap();
    let claimed: Vec<Attachment> = [&a, &b]
        .iter()
        .map(|f| Attachment {
            message_id: Some(new.id.clone()),
            ..(*f).clone()
        })
        .collect();
    new.attachments = claimed.clone();
    let posted = store.post_message(&new).await.unwrap().value.message;
    assert_eq!(posted.attachments, claimed, "in the order named");
    assert_eq!(posted.body.as_deref(), Some(""));
    let read = store
        .messages(std::slice::from_ref(&posted.id))
        .await
        .unwrap();
    assert_eq!(read[0].attachments, claimed);
    let held = store.attachments(&ids(&[&a])).await.unwrap();
    assert_eq!(held[0].message_id.as_ref(), Some(&posted.id));
    let deleted = store
        .change_message(&posted.id, &MessageChange::Delete { at: Utc::now() })
        .await
        .unwrap()
        .value;
    assert!(deleted.attachments.is_empty());
    let read = store
        .messages(std::slice::from_ref(&posted.id))
        .await
        .unwrap();
    assert!(read[0].attachments.is_empty(), "[] once deleted");
    store.delete_attachments(&ids(&[&a, &b])).await.unwrap();
    assert!(store.attachments(&ids(&[&a, &b])).await.unwrap().is_empty());
}

pub async fn a_claim_is_all_or_nothing_and_wins_once(store: DynStore) {
    let owner = user(&store, "owner").await;
    let other = user(&store, "other").await;
    let g = group(&store, &owner, "Club").await;
    let a = upload(&store, &g.id, &owner, "a.png").await;
    let b = upload(&store, &g.id, &owner, "b.png").await;
    let conflict = |r: Result<(), StoreError>| matches!(r, Err(StoreError::Conflict(_)));
    let first = MessageId::generate();
    assert!(conflict(
        store.claim_attachments(&ids(&[&a]), &other, &first).await
    ));
    // Ten sends race for one upload: one claims it.
    let racers: Vec<MessageId> = (0..10).map(|_| MessageId::generate()).collect();
    let claims = futures_util::future::join_all(
        racers
            .iter()
            .map(|m| store.claim_attachments(std::slice::from_ref(&a.id), &owner, m)),
    )
    .await;
    assert_eq!(claims.iter().filter(|r| r.is_ok()).count(), 1, "{claims:?}");
    let winner = &racers[claims.iter().position(Result::is_ok).unwrap()];
    // Naming a held one with a free one claims neither.
    assert!(conflict(
        store
            .claim_attachments(&ids(&[&b, &a]), &owner, &first)
            .await
    ));
    let b_now = store.attachments(&ids(&[&b])).await.unwrap();
    assert_eq!(b_now[0].message_id, None, "all or nothing");
    // The winner's claim again (a send retried) still holds.
    store
        .claim_attachments(&ids(&[&a]), &owner, winner)
        .await
        .unwrap();
    // A release undoes only the claims of its message.
    store
        .release_attachments(&ids(&[&a]), &first)
        .await
        .unwrap();
    let a_now = store.attachments(&ids(&[&a])).await.unwrap();
    assert_eq!(a_now[0].message_id.as_ref(), Some(winner));
    store
        .release_attachments(&ids(&[&a]), winner)
        .await
        .unwrap();
    let a_now = store.attachments(&ids(&[&a])).await.unwrap();
    assert_eq!(a_now[0].message_id, None);
}

pub async fn sweeps_see_old_uploads_until_kept(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let a = upload(&store, &g.id, &owner, "a.png").await;
    let b = upload(&store, &g.id, &owner, "b.png").await;
    let before_now = Utc::now() - chrono::Duration::hours(1);
    let none = store.unswept_attachments(before_now, 10).await.unwrap();
    assert!(none.iter().all(|f| f.id != a.id && f.id != b.id));
    let later = Utc::now() + chrono::Duration::seconds(1);
    let mine = |found: Vec<Attachment>| -> Vec<AttachmentId> {
        let ids = [a.id.clone(), b.id.clone()];
        found
            .into_iter()
            .map(|f| f.id)
            .filter(|id| ids.contains(id))
            .collect()
    };
    assert_eq!(
        mine(store.unswept_attachments(later, 100).await.unwrap()),
        vec![a.id.clone(), b.id.clone()],
        "oldest first"
    );
    store.keep_attachments(&ids(&[&a])).await.unwrap();
    assert_eq!(
        mine(store.unswept_attachments(later, 100).await.unwrap()),
        vec![b.id.clone()]
    );
}
