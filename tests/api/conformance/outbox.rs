//! The outbox: every write records its events in its own transaction, a
//! retried send records none, and confirmed events leave the outbox.

use super::messages::new_message;
use super::{admit, group, user, DynStore};
use chorus::domain::event::{DomainEvent, EventKind};
use chorus::domain::ids::EventId;
use chorus::domain::membership::Action;
use chorus::domain::message::MessageChange;
use chrono::{Duration, Utc};
use std::collections::HashSet;

fn ids(events: &[DomainEvent]) -> Vec<EventId> {
    events.iter().map(|e| e.id.clone()).collect()
}

async fn pending(store: &DynStore) -> Vec<DomainEvent> {
    let later = Utc::now() + Duration::hours(1);
    store.pending_events(later, 1_000).await.unwrap()
}

pub async fn every_write_records_its_events_until_confirmed(store: DynStore) {
    let owner = user(&store, "owner").await;
    let ann = user(&store, "ann").await;
    let g = group(&store, &owner, "Club").await;
    // Creating the group recorded the founder's membership event.
    let founded = pending(&store).await;
    assert_eq!(founded.len(), 1);
    assert_eq!(founded[0].kind, EventKind::MembershipChanged);
    store.confirm_events(&ids(&founded)).await.unwrap();
    let mut recorded = Vec::new();
    let post = store
        .post_message(&new_message(&g.id, None, &owner, "hi", Some("k")))
        .await
        .unwrap();
    recorded.extend(post.events.clone());
    let retry = store
        .post_message(&new_message(&g.id, None, &owner, "hi", Some("k")))
        .await
        .unwrap();
    assert!(retry.events.is_empty(), "a retried send announces nothing");
    let id = post.value.message.id.clone();
    let body = chorus::domain::text::message_body("hi again").unwrap();
    for change in [
        MessageChange::Edit {
            body,
            at: Utc::now(),
        },
        MessageChange::Delete { at: Utc::now() },
        MessageChange::Delete { at: Utc::now() },
    ] {
        recorded.extend(store.change_message(&id, &change).await.unwrap().events);
    }
    let apply = Action::Apply { note: None };
    let applied = store
        .transition(&g.id, &ann, &ann, &apply, Utc::now())
        .await
        .unwrap();
    recorded.extend(applied.events);
    let kinds: Vec<EventKind> = recorded.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EventKind::MessagePosted,
            EventKind::MessageEdited,
            EventKind::MessageDeleted,
            EventKind::MembershipChanged,
        ],
        "a second delete announces nothing"
    );

    let outbox = pending(&store).await;
    let expected: HashSet<EventId> = ids(&recorded).into_iter().collect();
    assert_eq!(ids(&outbox).into_iter().collect::<HashSet<_>>(), expected);
    assert!(
        outbox
            .windows(2)
            .all(|w| w[0].occurred_at <= w[1].occurred_at),
        "oldest first"
    );
    assert_eq!(
        outbox.iter().find(|e| e.id == recorded[0].id),
        Some(&recorded[0]),
        "as recorded"
    );
    let earliest = outbox[0].occurred_at;
    assert!(
        store.pending_events(earliest, 10).await.unwrap().is_empty(),
        "before is exclusive"
    );

    store.confirm_events(&ids(&recorded[..2])).await.unwrap();
    store.confirm_events(&[EventId::generate()]).await.unwrap();
    let left: HashSet<EventId> = ids(&pending(&store).await).into_iter().collect();
    assert_eq!(left, ids(&recorded[2..]).into_iter().collect());
}

pub async fn an_ownership_transfer_records_both_memberships(store: DynStore) {
    let owner = user(&store, "owner").await;
    let ann = user(&store, "ann").await;
    let g = group(&store, &owner, "Club").await;
    admit(&store, &g.id, &owner, &ann).await;
    store
        .confirm_events(&ids(&pending(&store).await))
        .await
        .unwrap();
    let transfer = store
        .transition(&g.id, &owner, &ann, &Action::TransferOwnership, Utc::now())
        .await
        .unwrap();
    let users: Vec<String> = transfer
        .events
        .iter()
        .map(|e| e.membership.as_ref().unwrap().user_id.to_string())
        .collect();
    assert_eq!(
        users,
        vec!["owner", "ann"],
        "the actor's change, then the target's"
    );
    assert_eq!(pending(&store).await.len(), 2);
}

pub async fn concurrent_sends_with_one_client_id_record_one_event(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    store
        .confirm_events(&ids(&pending(&store).await))
        .await
        .unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (store, g, owner) = (store.clone(), g.id.clone(), owner.clone());
            tokio::spawn(async move {
                let m = new_message(&g, None, &owner, "once", Some("retry-key"));
                store.post_message(&m).await.unwrap().events.len()
            })
        })
        .collect();
    let mut announced = 0;
    for task in tasks {
        announced += task.await.unwrap();
    }
    assert_eq!(announced, 1);
    assert_eq!(pending(&store).await.len(), 1);
}

/// A send's event carries the group's member count as the send saw it
/// (fan-out sizes its shards by it), on the announced copy and on the
/// outbox's alike; other events carry none.
pub async fn a_send_records_the_member_count_it_saw(store: DynStore) {
    let owner = user(&store, "owner").await;
    let ann = user(&store, "ann").await;
    let g = group(&store, &owner, "Club").await;
    let alone = store
        .post_message(&new_message(&g.id, None, &owner, "alone", None))
        .await
        .unwrap();
    assert_eq!(alone.events[0].member_count, Some(1));
    admit(&store, &g.id, &owner, &ann).await;
    let reply = store
        .post_message(&new_message(
            &g.id,
            Some(&alone.value.message.id),
            &ann,
            "two of us",
            None,
        ))
        .await
        .unwrap();
    assert_eq!(reply.events[0].member_count, Some(2));
    let outbox = pending(&store).await;
    let recorded = |id: &EventId| outbox.iter().find(|e| &e.id == id).unwrap().clone();
    assert_eq!(recorded(&alone.events[0].id), alone.events[0]);
    assert_eq!(recorded(&reply.events[0].id), reply.events[0]);
    assert!(outbox
        .iter()
        .filter(|e| e.kind == EventKind::MembershipChanged)
        .all(|e| e.member_count.is_none()));
}

pub async fn pruning_keeps_what_is_still_pending(store: DynStore) {
    // Confirmed events are pending no more at once; a prune (the sweeper's
    // first step) deletes only confirmed ones, never a pending event.
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    for n in 0..4 {
        let client_id = format!("p{n}");
        let new = new_message(&g.id, None, &owner, "hi", Some(&client_id));
        store.post_message(&new).await.unwrap();
    }
    let founded = pending(&store).await;
    assert_eq!(founded.len(), 5);
    let confirmed: Vec<EventId> = ids(&founded[..3]);
    store.confirm_events(&confirmed).await.unwrap();
    let left: HashSet<EventId> = ids(&pending(&store).await).into_iter().collect();
    assert_eq!(left, ids(&founded[3..]).into_iter().collect());
    store.prune_published(1_000).await.unwrap();
    store.prune_published(1_000).await.unwrap();
    let after: HashSet<EventId> = ids(&pending(&store).await).into_iter().collect();
    assert_eq!(after, left, "a prune deletes no pending event");
    store.confirm_events(&ids(&founded[3..])).await.unwrap();
    store.prune_published(1_000).await.unwrap();
    assert!(pending(&store).await.is_empty());
}
