use super::{admit, backward, forward, group, user, DynStore};
use chorus::domain::message::{Message, MessageChange, NewMessage, Parent, Posted};
use chorus::domain::{GroupId, MessageId, UserId};
use chorus::store::StoreError;
use chrono::Utc;

pub fn new_message(
    group: &GroupId,
    parent: Option<&MessageId>,
    author: &UserId,
    body: &str,
    cid: Option<&str>,
) -> NewMessage {
    NewMessage {
        id: chorus::domain::MessageId::generate(),
        attachments: Vec::new(),
        to: parent.map_or_else(
            || Parent::Group(group.clone()),
            |p| Parent::Message(p.clone()),
        ),
        author_id: author.clone(),
        body: chorus::domain::text::message_body(body).unwrap(),
        client_message_id: cid.map(str::to_owned),
        now: Utc::now(),
    }
}

/// A send that must succeed: the message and whether it was created.
pub async fn sent(
    store: &DynStore,
    group: &GroupId,
    parent: Option<&MessageId>,
    author: &UserId,
    body: &str,
    cid: Option<&str>,
) -> Posted {
    store
        .post_message(&new_message(group, parent, author, body, cid))
        .await
        .unwrap()
        .value
}

pub async fn post(
    store: &DynStore,
    group: &GroupId,
    parent: Option<&MessageId>,
    author: &UserId,
    body: &str,
) -> Message {
    sent(store, group, parent, author, body, None).await.message
}

async fn reload(store: &DynStore, id: &MessageId) -> Message {
    store
        .messages(std::slice::from_ref(id))
        .await
        .unwrap()
        .remove(0)
}

pub async fn top_level_messages_and_replies_get_their_parents_next_seq(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let first = post(&store, &g.id, None, &owner, "first").await;
    let second = post(&store, &g.id, None, &owner, "second").await;
    assert_eq!((first.seq, second.seq, first.depth), (1, 2, 0));
    assert_eq!(first.root_id, first.id);
    let r1 = post(&store, &g.id, Some(&first.id), &owner, "r1").await;
    let r2 = post(&store, &g.id, Some(&first.id), &owner, "r2").await;
    let rr = post(&store, &g.id, Some(&r2.id), &owner, "rr").await;
    assert_eq!(
        (r1.seq, r2.seq, rr.seq),
        (1, 2, 1),
        "each parent counts on its own"
    );
    assert_eq!((r1.depth, rr.depth), (1, 2));
    assert_eq!(rr.root_id, first.id);
    assert_eq!(rr.parent_id.as_ref(), Some(&r2.id));
    assert_eq!(reload(&store, &first.id).await.reply_count, 2);
    assert_eq!(reload(&store, &r2.id).await.reply_count, 1);
    let third = post(&store, &g.id, None, &owner, "third").await;
    assert_eq!(third.seq, 3, "replies do not consume the group's sequence");
}

pub async fn ancestors_run_from_root_to_parent(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let mut chain = vec![post(&store, &g.id, None, &owner, "root").await];
    for depth in 1..=4 {
        let parent = chain.last().unwrap().id.clone();
        chain.push(post(&store, &g.id, Some(&parent), &owner, &format!("d{depth}")).await);
    }
    let leaf = chain.pop().unwrap();
    let ids = |list: Vec<chorus::domain::message::Message>| -> Vec<_> {
        list.into_iter().map(|m| m.id).collect()
    };
    let expected: Vec<_> = chain.iter().map(|m| m.id.clone()).collect();
    assert_eq!(ids(store.ancestors(&leaf.id, 20).await.unwrap()), expected);
    // The nearest two, still root-most first.
    let nearest = ids(store.ancestors(&leaf.id, 2).await.unwrap());
    assert_eq!(nearest, expected[2..].to_vec());
    assert!(store.ancestors(&chain[0].id, 20).await.unwrap().is_empty());
}

pub async fn threads_page_forward_and_backward_with_exact_flags(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let root = post(&store, &g.id, None, &owner, "root").await;
    for i in 1..=7 {
        post(&store, &g.id, Some(&root.id), &owner, &format!("reply {i}")).await;
    }
    let parent = Parent::Message(root.id.clone());
    let seqs =
        |p: &chorus::domain::page::Page<Message>| p.items.iter().map(|m| m.seq).collect::<Vec<_>>();
    let first = store.children(&parent, forward(None, 3)).await.unwrap();
    assert_eq!(
        (seqs(&first), first.has_previous, first.has_next),
        (vec![1, 2, 3], false, true)
    );
    let next = store.children(&parent, forward(Some(3), 3)).await.unwrap();
    assert_eq!(
        (seqs(&next), next.has_previous, next.has_next),
        (vec![4, 5, 6], true, true)
    );
    let end = store.children(&parent, forward(Some(6), 3)).await.unwrap();
    assert_eq!(
        (seqs(&end), end.has_previous, end.has_next),
        (vec![7], true, false)
    );
    let last = store.children(&parent, backward(None, 3)).await.unwrap();
    assert_eq!(
        (seqs(&last), last.has_previous, last.has_next),
        (vec![5, 6, 7], true, false)
    );
    let back = store.children(&parent, backward(Some(3), 5)).await.unwrap();
    assert_eq!(
        (seqs(&back), back.has_previous, back.has_next),
        (vec![1, 2], false, true)
    );
    let top = store
        .children(&Parent::Group(g.id.clone()), forward(None, 10))
        .await
        .unwrap();
    assert_eq!(seqs(&top), vec![1], "replies are not top-level messages");
    let leaf = &next.items[0];
    let empty = store
        .children(&Parent::Message(leaf.id.clone()), forward(None, 5))
        .await
        .unwrap();
    assert!(empty.items.is_empty() && !empty.has_next && !empty.has_previous);
}

pub async fn a_client_message_id_is_honoured_once_per_author_and_group(store: DynStore) {
    let owner = user(&store, "owner").await;
    let ann = user(&store, "ann").await;
    let g = group(&store, &owner, "Club").await;
    let other = group(&store, &owner, "Other").await;
    admit(&store, &g.id, &owner, &ann).await;
    let first = sent(&store, &g.id, None, &owner, "hello", Some("k1")).await;
    let again = sent(&store, &g.id, None, &owner, "changed", Some("k1")).await;
    assert!(first.created && !again.created);
    assert_eq!(
        again.message, first.message,
        "the original comes back unchanged"
    );
    let by_ann = sent(&store, &g.id, None, &ann, "hello", Some("k1")).await;
    assert!(by_ann.created, "another author may use the same key");
    let elsewhere = sent(&store, &other.id, None, &owner, "hello", Some("k1")).await;
    assert!(
        elsewhere.created,
        "the same key in another group is another message"
    );
    let page = store
        .children(&Parent::Group(g.id.clone()), forward(None, 10))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
}

pub async fn edits_and_deletes_keep_the_tree(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let root = post(&store, &g.id, None, &owner, "root").await;
    let reply = post(&store, &g.id, Some(&root.id), &owner, "reply").await;
    let at = Utc::now();
    let edited = store
        .change_message(
            &root.id,
            &MessageChange::Edit {
                body: chorus::domain::text::message_body("root v2").unwrap(),
                at,
            },
        )
        .await
        .unwrap()
        .value;
    assert_eq!(
        (edited.body.as_deref(), edited.edited_at.is_some()),
        (Some("root v2"), true)
    );
    let deleted = store
        .change_message(&root.id, &MessageChange::Delete { at })
        .await
        .unwrap()
        .value;
    assert_eq!((deleted.body, deleted.deleted_at.is_some()), (None, true));
    assert_eq!(deleted.reply_count, 1);
    let again = store
        .change_message(&root.id, &MessageChange::Delete { at: Utc::now() })
        .await
        .unwrap()
        .value;
    assert_eq!(
        again.deleted_at, deleted.deleted_at,
        "a second delete changes nothing"
    );
    let err = store
        .change_message(
            &root.id,
            &MessageChange::Edit {
                body: chorus::domain::text::message_body("x").unwrap(),
                at,
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Rejected(ref e) if e.code() == "CONFLICT"),
        "{err:?}"
    );
    let page = store
        .children(&Parent::Message(root.id.clone()), forward(None, 5))
        .await
        .unwrap();
    assert_eq!(
        page.items[0].id, reply.id,
        "replies of a tombstone stay reachable"
    );
}

pub async fn sends_by_non_members_are_forbidden_and_change_nothing(store: DynStore) {
    let owner = user(&store, "owner").await;
    let ann = user(&store, "ann").await;
    let g = group(&store, &owner, "Club").await;
    let root = post(&store, &g.id, None, &owner, "root").await;
    for parent in [None, Some(&root.id)] {
        let err = store
            .post_message(&new_message(&g.id, parent, &ann, "x", Some("k")))
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Rejected(ref e) if e.code() == "FORBIDDEN"),
            "{err:?}"
        );
    }
    admit(&store, &g.id, &owner, &ann).await;
    let first = post(&store, &g.id, Some(&root.id), &ann, "now a member").await;
    assert_eq!(first.seq, 1, "the refused reply took no seq");
    let top = post(&store, &g.id, None, &ann, "top").await;
    assert_eq!(top.seq, 2, "the refused post took no seq");
    let missing = GroupId::parse("g_missing").unwrap();
    let err = store
        .post_message(&new_message(&missing, None, &owner, "x", None))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound("group")), "{err:?}");
}

pub async fn replies_to_deleted_or_missing_messages_are_refused(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let root = post(&store, &g.id, None, &owner, "root").await;
    let kept = sent(&store, &g.id, Some(&root.id), &owner, "kept", Some("k")).await;
    store
        .change_message(&root.id, &MessageChange::Delete { at: Utc::now() })
        .await
        .unwrap();
    let err = store
        .post_message(&new_message(&g.id, Some(&root.id), &owner, "x", None))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected(_)), "{err:?}");
    let again = sent(&store, &g.id, Some(&root.id), &owner, "kept", Some("k")).await;
    assert_eq!(
        (again.created, again.message.id),
        (false, kept.message.id),
        "a retried send finds its message under a parent deleted since"
    );
    let missing = MessageId::parse("m_missing").unwrap();
    let err = store
        .post_message(&new_message(&g.id, Some(&missing), &owner, "x", None))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
    assert_eq!(
        reload(&store, &root.id).await.reply_count,
        1,
        "nothing was added"
    );
}
