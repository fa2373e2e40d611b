//! Read markers, unread counts, levels and mentions on every store: the
//! counts stay exact through replies, own posts, edits, deletes and
//! markers moving while others post.

use super::messages::post;
use super::{admit, group, user, DynStore};
use chorus::domain::message::MessageChange;
use chorus::domain::reading::{NotificationLevel, ReadState};
use chorus::domain::{DomainError, GroupId, UserId};
use chorus::store::StoreError;

async fn state(store: &DynStore, g: &GroupId, u: &UserId) -> ReadState {
    let key = (g.clone(), u.clone());
    let mut found = store.read_states(&[key]).await.unwrap();
    assert_eq!(found.len(), 1, "a member has a read state");
    found.remove(0).1
}

async fn counts(store: &DynStore, g: &GroupId, u: &UserId) -> (u64, u64) {
    let s = state(store, g, u).await;
    (s.unread, s.mentions)
}

fn edit(body: &str) -> MessageChange {
    MessageChange::Edit {
        body: chorus::domain::text::message_body(body).unwrap(),
        at: chorus::domain::now(),
    }
}

pub async fn unread_counts_follow_markers_posts_and_mentions(store: DynStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let eve = user(&store, "eve").await;
    let g = group(&store, &ann, "Readers").await;
    let before = post(&store, &g.id, None, &ann, "before bob joined").await;
    admit(&store, &g.id, &ann, &bob).await;
    assert_eq!(
        counts(&store, &g.id, &bob).await,
        (0, 0),
        "joining reads the past"
    );

    let m1 = post(&store, &g.id, None, &ann, "hello").await;
    let r1 = post(&store, &g.id, Some(&m1.id), &ann, "@bob look, a reply").await;
    let own = post(&store, &g.id, None, &bob, "mine, @ann @eve @nobody").await;
    assert_eq!(r1.mentions, vec![bob.clone()]);
    assert_eq!(
        own.mentions,
        vec![ann.clone()],
        "only members are mentioned"
    );
    assert_eq!(
        counts(&store, &g.id, &bob).await,
        (2, 1),
        "own messages never count"
    );
    assert_eq!(
        counts(&store, &g.id, &ann).await,
        (1, 1),
        "ann caught up by posting"
    );

    let read = store.mark_read(&g.id, &bob, &r1.id).await.unwrap();
    assert_eq!((read.unread, read.mentions), (0, 0));
    assert_eq!(read.last_read_at, Some(r1.created_at));
    let back = store.mark_read(&g.id, &bob, &before.id).await.unwrap();
    assert_eq!(back.last_read_at, Some(r1.created_at), "never backward");
    assert_eq!(counts(&store, &g.id, &bob).await, (0, 0));

    // Edits add and remove mentions; a delete removes them.
    let m2 = post(&store, &g.id, None, &ann, "plain").await;
    assert_eq!(counts(&store, &g.id, &bob).await, (1, 0));
    let edited = store
        .change_message(&m2.id, &edit("now @bob"))
        .await
        .unwrap();
    assert_eq!(edited.value.mentions, vec![bob.clone()]);
    assert_eq!(counts(&store, &g.id, &bob).await, (1, 1));
    store
        .change_message(&m2.id, &edit("now @bob twice @bob"))
        .await
        .unwrap();
    assert_eq!(
        counts(&store, &g.id, &bob).await,
        (1, 1),
        "one mention per message"
    );
    store
        .change_message(&m2.id, &edit("plain again"))
        .await
        .unwrap();
    assert_eq!(counts(&store, &g.id, &bob).await, (1, 0));
    store
        .change_message(&m2.id, &edit("@bob once more"))
        .await
        .unwrap();
    let deleted = store
        .change_message(
            &m2.id,
            &MessageChange::Delete {
                at: chorus::domain::now(),
            },
        )
        .await
        .unwrap();
    assert!(deleted.value.mentions.is_empty());
    assert_eq!(
        counts(&store, &g.id, &bob).await,
        (1, 0),
        "the tombstone still counts"
    );
    // Mentioning a member whose marker is past the message counts nothing.
    store
        .change_message(&r1.id, &edit("@bob edited late"))
        .await
        .unwrap();
    assert_eq!(counts(&store, &g.id, &bob).await, (1, 0));

    let summary = store.unread_summary(&bob).await.unwrap();
    assert_eq!(
        (summary.groups, summary.messages, summary.mentions),
        (1, 1, 0)
    );
    let none = store.unread_summary(&eve).await.unwrap();
    assert_eq!(
        (none.groups, none.messages),
        (0, 0),
        "no groups, nothing unread"
    );
    let batch = store
        .unread_summaries(&[eve.clone(), bob.clone(), ann.clone(), bob.clone()])
        .await
        .unwrap();
    let theirs = store.unread_summary(&ann).await.unwrap();
    assert_eq!(theirs.messages, 1, "ann has bob's message to read");
    assert_eq!(
        batch,
        vec![none, summary, theirs, summary],
        "one summary per user asked for, in order"
    );
}

pub async fn markers_refuse_other_groups_and_non_members(store: DynStore) {
    let ann = user(&store, "ann").await;
    let eve = user(&store, "eve").await;
    let g = group(&store, &ann, "Mine").await;
    let other = group(&store, &ann, "Other").await;
    let elsewhere = post(&store, &other.id, None, &ann, "elsewhere").await;
    let here = post(&store, &g.id, None, &ann, "here").await;
    let err = store
        .mark_read(&g.id, &ann, &elsewhere.id)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Rejected(DomainError::InvalidInput(_))),
        "{err:?}"
    );
    let err = store.mark_read(&g.id, &eve, &here.id).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Rejected(DomainError::Forbidden(_))),
        "{err:?}"
    );
    let missing = chorus::domain::MessageId::generate();
    let err = store.mark_read(&g.id, &ann, &missing).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
    let err = store
        .set_level(&g.id, &eve, NotificationLevel::None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Rejected(DomainError::Forbidden(_))),
        "{err:?}"
    );
    let set = store
        .set_level(&g.id, &ann, NotificationLevel::Mentions)
        .await
        .unwrap();
    assert_eq!(set.level, NotificationLevel::Mentions);
    assert_eq!(
        state(&store, &g.id, &ann).await.level,
        NotificationLevel::Mentions
    );
}

pub async fn concurrent_posts_while_markers_move_stay_exact(store: DynStore) {
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let g = group(&store, &ann, "Busy").await;
    admit(&store, &g.id, &ann, &bob).await;
    let first = post(&store, &g.id, None, &ann, "first").await;
    // 30 posts by ann (10 mention bob) race bob marking read the first one
    // again and again, and 10 posts of bob's own.
    let mut tasks = Vec::new();
    for i in 0..30 {
        let (store, g, ann) = (store.clone(), g.id.clone(), ann.clone());
        let body = if i % 3 == 0 {
            format!("@bob {i}")
        } else {
            format!("{i}")
        };
        tasks.push(tokio::spawn(async move {
            post(&store, &g, None, &ann, &body).await;
        }));
    }
    for i in 0..10 {
        let (store, g, bob, first) = (store.clone(), g.id.clone(), bob.clone(), first.id.clone());
        tasks.push(tokio::spawn(async move {
            store.mark_read(&g, &bob, &first).await.unwrap();
            post(&store, &g, None, &bob, &format!("bob {i}")).await;
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(counts(&store, &g.id, &bob).await, (30, 10));
    let last = post(&store, &g.id, None, &ann, "last").await;
    store.mark_read(&g.id, &bob, &last.id).await.unwrap();
    assert_eq!(counts(&store, &g.id, &bob).await, (0, 0));
}

pub async fn seen_by_follows_markers_and_leaves_out_the_author(store: DynStore) {
    use chorus::domain::membership::Action;
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let mut people = Vec::new();
    for name in ["ann", "bob", "cat"] {
        let u = user(&store, name).await;
        admit(&store, &g.id, &owner, &u).await;
        people.push(u);
    }
    let (ann, bob, cat) = (&people[0], &people[1], &people[2]);
    let m1 = post(&store, &g.id, None, &owner, "one").await;
    let m2 = post(&store, &g.id, None, &owner, "two").await;
    let m3 = post(&store, &g.id, None, ann, "three").await;
    let seen = |m: chorus::domain::MessageId, after, limit| {
        let store = store.clone();
        async move {
            let page = store.seen_by(&m, after, limit).await.unwrap();
            let users: Vec<String> = page
                .items
                .iter()
                .map(|(_, m)| m.user_id.to_string())
                .collect();
            (users, page)
        }
    };
    assert!(
        seen(m2.id.clone(), None, 10).await.0.is_empty(),
        "the author is left out"
    );
    store.mark_read(&g.id, ann, &m2.id).await.unwrap();
    store.mark_read(&g.id, bob, &m3.id).await.unwrap();
    store.mark_read(&g.id, cat, &m1.id).await.unwrap();
    assert_eq!(seen(m2.id.clone(), None, 10).await.0, vec!["ann", "bob"]);
    assert_eq!(
        seen(m3.id.clone(), None, 10).await.0,
        vec!["bob"],
        "ann wrote it"
    );
    assert_eq!(
        seen(m1.id.clone(), None, 10).await.0,
        vec!["cat", "ann", "bob"]
    );
    let (first, page) = seen(m1.id.clone(), None, 1).await;
    assert_eq!(first, vec!["cat"]);
    assert!(page.has_next && !page.has_previous);
    let after = page.items[0].0.clone();
    let (rest, page) = seen(m1.id.clone(), Some(after), 10).await;
    assert_eq!(rest, vec!["ann", "bob"]);
    assert!(!page.has_next && page.has_previous);
    // Markers move forward; a member who leaves is no reader.
    store.mark_read(&g.id, cat, &m3.id).await.unwrap();
    assert_eq!(
        seen(m2.id.clone(), None, 10).await.0,
        vec!["ann", "bob", "cat"]
    );
    // A bot that posted (its marker moved past m2) is no reader.
    let (_, bot) = super::bots::new_bot(&g.id, &owner);
    let bot = store.create_bot(&bot).await.unwrap().value.0;
    post(&store, &g.id, None, &bot.user_id, "beep").await;
    assert_eq!(
        seen(m2.id.clone(), None, 10).await.0,
        vec!["ann", "bob", "cat"]
    );
    let now = chrono::Utc::now();
    store
        .transition(&g.id, bob, bob, &Action::Leave, now)
        .await
        .unwrap();
    assert_eq!(seen(m2.id.clone(), None, 10).await.0, vec!["ann", "cat"]);
}

pub async fn last_seen_is_written_once_a_minute_and_sharers_are_members_together(store: DynStore) {
    let (ann, bob, cat) = (
        user(&store, "ann").await,
        user(&store, "bob").await,
        user(&store, "cat").await,
    );
    let g = group(&store, &ann, "Club").await;
    admit(&store, &g.id, &ann, &bob).await;
    let apply = chorus::domain::membership::Action::Apply { note: None };
    store
        .transition(&g.id, &cat, &cat, &apply, chrono::Utc::now())
        .await
        .unwrap();
    let minute = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
    let seen = |at: i64| minute + chrono::Duration::seconds(at);
    let stored = |store: DynStore| async move {
        store
            .users(std::slice::from_ref(&UserId::parse("bob").unwrap()))
            .await
            .unwrap()[0]
            .last_seen_at
    };
    assert_eq!(stored(store.clone()).await, None);
    store.mark_seen(&bob, seen(0)).await.unwrap();
    assert_eq!(stored(store.clone()).await, Some(seen(0)));
    store.mark_seen(&bob, seen(0)).await.unwrap();
    store.mark_seen(&bob, seen(30)).await.unwrap();
    assert_eq!(
        stored(store.clone()).await,
        Some(seen(0)),
        "within the minute: kept"
    );
    store.mark_seen(&bob, seen(60)).await.unwrap();
    assert_eq!(stored(store.clone()).await, Some(seen(60)));
    store.mark_seen(&bob, seen(0)).await.unwrap();
    assert_eq!(
        stored(store.clone()).await,
        Some(seen(60)),
        "never backward"
    );
    let hidden = store.set_presence_hidden(&bob, true).await.unwrap();
    assert!(hidden.presence_hidden);
    let shown = store.set_presence_hidden(&bob, false).await.unwrap();
    assert!(!shown.presence_hidden);
    let sharing = store
        .sharing(&ann, &[bob.clone(), cat.clone()])
        .await
        .unwrap();
    assert_eq!(
        sharing,
        vec![bob.clone()],
        "an applicant shares nothing yet"
    );
    assert!(store
        .sharing(&cat, std::slice::from_ref(&ann))
        .await
        .unwrap()
        .is_empty());
}
