//! Pins: owners and admins only, the group's cap under concurrency, pin
//! order, repeats that announce nothing, and deletes that unpin.

use super::messages::post;
use super::{admit, group, user, DynStore};
use chorus::domain::event::EventKind;
use chorus::domain::membership::{Action, Role};
use chorus::domain::message::MessageChange;
use chorus::domain::pin::PinChange;
use chorus::domain::{MessageId, UserId};
use chorus::store::StoreError;
use chrono::Utc;

fn change(message: &MessageId, by: &UserId, pin: bool) -> PinChange {
    PinChange {
        message_id: message.clone(),
        by: by.clone(),
        pin,
        now: Utc::now(),
    }
}

fn code(err: StoreError) -> &'static str {
    chorus::domain::DomainError::from(err).code()
}

async fn pinned_ids(store: &DynStore, g: &chorus::domain::GroupId) -> Vec<MessageId> {
    let pinned = store.pinned_messages(g).await.unwrap();
    pinned.into_iter().map(|m| m.id).collect()
}

pub async fn admins_pin_in_order_and_repeats_and_deletes_behave(store: DynStore) {
    let owner = user(&store, "owner").await;
    let member = user(&store, "member").await;
    let g = group(&store, &owner, "Club").await;
    admit(&store, &g.id, &owner, &member).await;
    let a = post(&store, &g.id, None, &member, "a").await;
    let b = post(&store, &g.id, None, &member, "b").await;
    let err = store
        .change_pin(&change(&a.id, &member, true))
        .await
        .unwrap_err();
    assert_eq!(code(err), "FORBIDDEN");
    let pinned = store
        .change_pin(&change(&b.id, &owner, true))
        .await
        .unwrap();
    assert_eq!(pinned.events.len(), 1);
    assert_eq!(pinned.events[0].kind, EventKind::MessagePinned);
    let carried = pinned.events[0].message.as_ref().unwrap();
    assert_eq!(
        carried.pinned_by.as_ref(),
        Some(&owner),
        "the event carries the pin"
    );
    store
        .change_pin(&change(&a.id, &owner, true))
        .await
        .unwrap();
    let again = store
        .change_pin(&change(&b.id, &owner, true))
        .await
        .unwrap();
    assert!(again.events.is_empty(), "a repeat announces nothing");
    assert_eq!(
        pinned_ids(&store, &g.id).await,
        vec![b.id.clone(), a.id.clone()]
    );
    let stored = store.messages(std::slice::from_ref(&b.id)).await.unwrap();
    assert!(stored[0].pinned_at.is_some());
    // A deleted message is unpinned, and cannot be pinned again.
    store
        .change_message(&b.id, &MessageChange::Delete { at: Utc::now() })
        .await
        .unwrap();
    assert_eq!(pinned_ids(&store, &g.id).await, vec![a.id.clone()]);
    let stored = store.messages(std::slice::from_ref(&b.id)).await.unwrap();
    assert!(stored[0].pinned_at.is_none() && stored[0].pinned_by.is_none());
    let err = store
        .change_pin(&change(&b.id, &owner, true))
        .await
        .unwrap_err();
    assert_eq!(code(err), "CONFLICT");
    let unpinned = store
        .change_pin(&change(&a.id, &owner, false))
        .await
        .unwrap();
    assert_eq!(unpinned.events[0].kind, EventKind::MessageUnpinned);
    let repeat = store
        .change_pin(&change(&a.id, &owner, false))
        .await
        .unwrap();
    assert!(repeat.events.is_empty());
    assert!(pinned_ids(&store, &g.id).await.is_empty());
}

pub async fn concurrent_pins_stop_at_the_groups_cap(store: DynStore) {
    let owner = user(&store, "owner").await;
    let admin = user(&store, "admin").await;
    let g = group(&store, &owner, "Club").await;
    admit(&store, &g.id, &owner, &admin).await;
    let promote = Action::SetRole(Role::Admin);
    store
        .transition(&g.id, &owner, &admin, &promote, Utc::now())
        .await
        .unwrap();
    let mut messages = Vec::new();
    for i in 0..60 {
        messages.push(post(&store, &g.id, None, &owner, &format!("m{i}")).await.id);
    }
    let tasks: Vec<_> = messages
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let by = if i % 2 == 0 {
                owner.clone()
            } else {
                admin.clone()
            };
            let (store, m) = (store.clone(), m.clone());
            tokio::spawn(async move { store.change_pin(&change(&m, &by, true)).await })
        })
        .collect();
    let (mut won, mut refused) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Ok(done) => won += done.events.len(),
            Err(err) => {
                assert_eq!(code(err), "CONFLICT");
                refused += 1;
            }
        }
    }
    assert_eq!((won, refused), (50, 10));
    let pinned = store.pinned_messages(&g.id).await.unwrap();
    assert_eq!(pinned.len(), 50);
    assert!(pinned.iter().all(|m| m.pinned_at.is_some()));
    let stored = store.messages(&messages).await.unwrap();
    assert_eq!(stored.iter().filter(|m| m.pinned_at.is_some()).count(), 50);
}
