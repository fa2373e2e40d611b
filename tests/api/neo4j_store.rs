//! What only the Neo4j store has to show: transactions roll back whole,
//! and its schema migration is idempotent.

use crate::conformance::messages::{new_message, post};
use crate::conformance::{group, user};
use crate::neo4j_support::neo4j_store;
use chorus::domain::message::Parent;
use chorus::domain::page::PageRequest;
use chorus::store::{Store, StoreError};
use std::sync::Arc;

#[tokio::test]
async fn a_failure_between_two_statements_of_a_send_leaves_nothing_behind() {
    let under_test = neo4j_store().await;
    let store: Arc<dyn Store> = under_test.store.clone();
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let root = post(&store, &g.id, None, &owner, "root").await;

    under_test.store.fail_next_send();
    let err = store
        .post_message(&new_message(
            &g.id,
            Some(&root.id),
            &owner,
            "lost",
            Some("k"),
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Internal(_)), "{err:?}");
    under_test.store.fail_next_send();
    assert!(store
        .post_message(&new_message(&g.id, None, &owner, "lost too", None))
        .await
        .is_err());

    let root_now = store
        .messages(std::slice::from_ref(&root.id))
        .await
        .unwrap()
        .remove(0);
    assert_eq!(
        root_now.reply_count, 0,
        "the reply count taken before the failure was rolled back"
    );
    let replies = store
        .children(
            &Parent::Message(root.id.clone()),
            PageRequest::Forward {
                after: None,
                limit: 10,
            },
        )
        .await
        .unwrap();
    assert!(replies.items.is_empty());
    let retried = store
        .post_message(&new_message(
            &g.id,
            Some(&root.id),
            &owner,
            "again",
            Some("k"),
        ))
        .await
        .unwrap();
    assert!(
        retried.created,
        "the client id of the failed send was not kept"
    );
    assert_eq!(retried.message.seq, 1, "no seq was burnt");
    assert_eq!(post(&store, &g.id, None, &owner, "second top").await.seq, 2);
}

#[tokio::test]
async fn migrations_can_run_again_without_changing_anything() {
    let under_test = neo4j_store().await;
    under_test.store.migrate().await.unwrap();
    under_test.store.migrate().await.unwrap();
    let store: Arc<dyn Store> = under_test.store.clone();
    let owner = user(&store, "owner").await;
    group(&store, &owner, "Still works").await;
}
