//! Reactions: exact counts and caps under concurrency, repeats that change
//! and announce nothing, and reactor lists.

use super::messages::post;
use super::{admit, backward, forward, group, user, DynStore};
use chorus::domain::event::EventKind;
use chorus::domain::message::MessageChange;
use chorus::domain::reaction::{ReactionChange, ReactionKey};
use chorus::domain::{MessageId, UserId};
use chorus::store::{Recorded, StoreError};
use chrono::Utc;

fn change(message: &MessageId, user: &UserId, key: &str, add: bool) -> ReactionChange {
    ReactionChange {
        message_id: message.clone(),
        user_id: user.clone(),
        key: ReactionKey::parse(key).unwrap(),
        add,
        now: Utc::now(),
        erasure: false,
    }
}

async fn react(
    store: &DynStore,
    message: &MessageId,
    user: &UserId,
    key: &str,
    add: bool,
) -> Result<Recorded<chorus::domain::message::Message>, StoreError> {
    store
        .change_reaction(&change(message, user, key, add))
        .await
}

fn counts(m: &chorus::domain::message::Message) -> Vec<(String, u64)> {
    m.reactions
        .iter()
        .map(|c| (c.key.clone(), c.count))
        .collect()
}

async fn stored(store: &DynStore, id: &MessageId) -> chorus::domain::message::Message {
    store
        .messages(std::slice::from_ref(id))
        .await
        .unwrap()
        .remove(0)
}

fn code(err: StoreError) -> &'static str {
    chorus::domain::DomainError::from(err).code()
}

pub async fn concurrent_identical_adds_count_once_and_announce_once(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let m = post(&store, &g.id, None, &owner, "hello").await;
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (store, m, owner) = (store.clone(), m.id.clone(), owner.clone());
            tokio::spawn(async move { react(&store, &m, &owner, "👍", true).await.unwrap() })
        })
        .collect();
    let mut events = Vec::new();
    for task in tasks {
        let done = task.await.unwrap();
        assert_eq!(
            counts(&done.value),
            vec![("👍".into(), 1)],
            "each call returns the message"
        );
        events.extend(done.events);
    }
    assert_eq!(events.len(), 1, "announced once");
    assert_eq!(events[0].kind, EventKind::ReactionAdded);
    let reaction = events[0].reaction.as_ref().unwrap();
    assert_eq!((reaction.key.as_str(), &reaction.user_id), ("👍", &owner));
    let carried = events[0].message.as_ref().unwrap();
    assert_eq!(
        counts(carried),
        vec![("👍".into(), 1)],
        "the event carries the counts"
    );
    assert_eq!(counts(&stored(&store, &m.id).await), vec![("👍".into(), 1)]);
    let again = react(&store, &m.id, &owner, "👍", true).await.unwrap();
    assert!(again.events.is_empty());
}

pub async fn racing_for_the_twenty_first_key_leaves_exactly_twenty(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let m = post(&store, &g.id, None, &owner, "vote").await;
    let mut users = Vec::new();
    for i in 0..30 {
        let u = user(&store, &format!("u{i}")).await;
        admit(&store, &g.id, &owner, &u).await;
        users.push(u);
    }
    let tasks: Vec<_> = users
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let (store, m, u) = (store.clone(), m.id.clone(), u.clone());
            tokio::spawn(async move {
                react(&store, &m, &u, &format!(":k{i}:"), true)
                    .await
                    .map(|r| r.events.len())
            })
        })
        .collect();
    let (mut won, mut refused) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Ok(announced) => won += announced,
            Err(err) => {
                assert_eq!(code(err), "CONFLICT");
                refused += 1;
            }
        }
    }
    assert_eq!((won, refused), (20, 10));
    let now = stored(&store, &m.id).await;
    assert_eq!(now.reactions.len(), 20, "exactly 20 keys");
    assert!(now.reactions.iter().all(|c| c.count == 1));
    // A key already on the message still takes more reactors.
    let late = &users[29];
    let first_key = now.reactions[0].key.clone();
    let joined = react(&store, &m.id, late, &first_key, true).await.unwrap();
    assert_eq!(joined.value.reactions[0].count, 2);
}

pub async fn counts_follow_removes_and_reactors_page(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let m = post(&store, &g.id, None, &owner, "hi").await;
    let mut users = vec![owner.clone()];
    for name in ["ann", "bob", "cat", "dan"] {
        let u = user(&store, name).await;
        admit(&store, &g.id, &owner, &u).await;
        users.push(u);
    }
    for u in &users {
        react(&store, &m.id, u, "🎉", true).await.unwrap();
    }
    react(&store, &m.id, &users[1], ":tada:", true)
        .await
        .unwrap();
    let gone = react(&store, &m.id, &users[2], "🎉", false).await.unwrap();
    assert_eq!(gone.events.len(), 1);
    assert_eq!(gone.events[0].kind, EventKind::ReactionRemoved);
    let absent = react(&store, &m.id, &users[2], "🎉", false).await.unwrap();
    assert!(
        absent.events.is_empty(),
        "removing what is not held announces nothing"
    );
    assert_eq!(
        counts(&stored(&store, &m.id).await),
        vec![("🎉".into(), 4), (":tada:".into(), 1)]
    );
    react(&store, &m.id, &users[1], ":tada:", false)
        .await
        .unwrap();
    assert_eq!(counts(&stored(&store, &m.id).await), vec![("🎉".into(), 4)]);
    // Reactors, oldest first, in both directions.
    let expected: Vec<UserId> = [0, 1, 3, 4].iter().map(|&i| users[i].clone()).collect();
    let page = store.reactors(&m.id, "🎉", forward(None, 3)).await.unwrap();
    let names: Vec<UserId> = page.items.iter().map(|r| r.user_id.clone()).collect();
    assert_eq!(names, expected[..3]);
    assert!(page.has_next && !page.has_previous);
    let after = page.items.last().unwrap().page_key();
    let rest = store
        .reactors(&m.id, "🎉", forward(Some(after), 3))
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 1);
    assert!(!rest.has_next && rest.has_previous);
    let before = rest.items[0].page_key();
    let back = store
        .reactors(&m.id, "🎉", backward(Some(before), 2))
        .await
        .unwrap();
    let names: Vec<UserId> = back.items.iter().map(|r| r.user_id.clone()).collect();
    assert_eq!(names, expected[1..3]);
    assert!(back.has_previous && back.has_next);
    // What one user holds, for a page of messages.
    let other = post(&store, &g.id, None, &owner, "other").await;
    react(&store, &other.id, &users[1], "👀", true)
        .await
        .unwrap();
    let held = store
        .reactions_of(&users[1], &[m.id.clone(), other.id.clone()])
        .await
        .unwrap();
    let keys: Vec<(&MessageId, &str)> = held
        .iter()
        .map(|r| (&r.message_id, r.key.as_str()))
        .collect();
    assert_eq!(keys, vec![(&m.id, "🎉"), (&other.id, "👀")]);
    // One user holds at most ten keys on a message.
    for i in 0..9 {
        react(&store, &m.id, &users[1], &format!(":k{i}:"), true)
            .await
            .unwrap();
    }
    let err = react(&store, &m.id, &users[1], ":k9:", true)
        .await
        .unwrap_err();
    assert_eq!(code(err), "CONFLICT");
}

pub async fn deleted_messages_and_non_members_are_refused(store: DynStore) {
    let owner = user(&store, "owner").await;
    let outsider = user(&store, "outsider").await;
    let g = group(&store, &owner, "Club").await;
    let m = post(&store, &g.id, None, &owner, "bye").await;
    let err = react(&store, &m.id, &outsider, "👍", true)
        .await
        .unwrap_err();
    assert_eq!(code(err), "FORBIDDEN");
    react(&store, &m.id, &owner, "👍", true).await.unwrap();
    store
        .change_message(&m.id, &MessageChange::Delete { at: Utc::now() })
        .await
        .unwrap();
    let err = react(&store, &m.id, &owner, "❤️", true).await.unwrap_err();
    assert_eq!(code(err), "CONFLICT");
    assert!(stored(&store, &m.id).await.visible_reactions().is_empty());
    let missing = MessageId::parse("m_missing").unwrap();
    let err = react(&store, &missing, &owner, "👍", true)
        .await
        .unwrap_err();
    assert_eq!(code(err), "NOT_FOUND");
    assert!(store
        .reactions_of(&outsider, std::slice::from_ref(&m.id))
        .await
        .unwrap()
        .is_empty());
}
