//! What only the Neo4j store has to show: transactions roll back whole,
//! and its schema migration is idempotent.

use crate::conformance::messages::{new_message, post, sent};
use crate::conformance::{admit, forward, group, user};
use crate::skip::skip_without;
use chorus::domain::message::Parent;
use chorus::store::Store;
use chorus_testkit::neo4j::neo4j_store;
use secrecy::ExposeSecret;
use std::sync::Arc;

#[tokio::test]
async fn a_connection_lost_before_a_send_reached_the_server_leaves_nothing_behind() {
    skip_without!(without_bolt);
    let under_test = neo4j_store().await;
    let Some(faults) = under_test.faults.clone() else {
        return; // a real Neo4j: no bridge to drop connections on
    };
    let store: Arc<dyn Store> = under_test.store.clone();
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let root = post(&store, &g.id, None, &owner, "root").await;

    // The connection drops before the send's write reaches the server:
    // nothing happened there, and the store runs the write again.
    faults.drop_connection_at("CREATE (m:Message");
    let reply = sent(&store, &g.id, Some(&root.id), &owner, "once", Some("k")).await;
    assert!(reply.created);
    assert_eq!(faults.dropped(), 1, "the fault happened");
    assert_eq!(
        reply.message.seq, 1,
        "the seq of the lost attempt was rolled back"
    );
    let root_now = store
        .messages(std::slice::from_ref(&root.id))
        .await
        .unwrap()
        .remove(0);
    assert_eq!(root_now.reply_count, 1, "counted once, not per attempt");
    let later = chrono::Utc::now() + chrono::Duration::hours(1);
    let outbox = store.pending_events(later, 100).await.unwrap();
    let announced: Vec<_> = outbox
        .iter()
        .filter(|e| e.message.as_ref().map(|m| &m.id) == Some(&reply.message.id))
        .collect();
    assert_eq!(
        announced.len(),
        1,
        "recorded once, with the commit that kept it"
    );
    let replies = store
        .children(&Parent::Message(root.id.clone()), forward(None, 10))
        .await
        .unwrap();
    assert_eq!(replies.items.len(), 1);
    let again = sent(&store, &g.id, Some(&root.id), &owner, "once", Some("k")).await;
    assert_eq!((again.created, again.message.id), (false, reply.message.id));

    faults.drop_connection_at("CREATE (m:Message");
    assert_eq!(post(&store, &g.id, None, &owner, "second top").await.seq, 2);
    assert_eq!(faults.dropped(), 2);
}

#[tokio::test]
async fn a_send_whose_answer_was_lost_after_it_committed_is_made_once() {
    skip_without!(without_bolt);
    let under_test = neo4j_store().await;
    let Some(faults) = under_test.faults.clone() else {
        return; // a real Neo4j: no bridge to lose answers on
    };
    let store: Arc<dyn Store> = under_test.store.clone();
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let root = post(&store, &g.id, None, &owner, "root").await;

    // The reply commits, but its answer never comes back: the store cannot
    // tell, runs the same write again, and finds its own message.
    faults.lose_answer_at("CREATE (m:Message");
    let reply = store
        .post_message(&new_message(&g.id, Some(&root.id), &owner, "once", None))
        .await
        .unwrap();
    assert_eq!(faults.dropped(), 1, "the fault happened");
    assert!(reply.value.created);
    assert_eq!(reply.value.message.seq, 1);
    assert_eq!(reply.events.len(), 1, "its event is announced");
    let root_now = store
        .messages(std::slice::from_ref(&root.id))
        .await
        .unwrap()
        .remove(0);
    assert_eq!(root_now.reply_count, 1, "counted once");
    let later = chrono::Utc::now() + chrono::Duration::hours(1);
    let outbox = store.pending_events(later, 100).await.unwrap();
    let recorded: Vec<_> = outbox
        .iter()
        .filter(|e| e.message.as_ref().map(|m| &m.id) == Some(&reply.value.message.id))
        .collect();
    assert_eq!(recorded.len(), 1, "recorded once");
    // The announced copy leaves the member count to fan-out: the answer
    // that carried it was lost.
    assert_eq!(reply.events[0].member_count, None);
    assert_eq!(
        recorded[0].clone().with_member_count(None),
        reply.events[0],
        "the outbox holds the event that was announced, seq and cursor included"
    );
    assert_eq!(
        post(&store, &g.id, Some(&root.id), &owner, "next")
            .await
            .seq,
        2
    );
}

#[tokio::test]
async fn migrations_can_run_again_without_changing_anything() {
    skip_without!(without_bolt);
    let under_test = neo4j_store().await;
    under_test.store.migrate().await.unwrap();
    under_test.store.migrate().await.unwrap();
    let store: Arc<dyn Store> = under_test.store.clone();
    let owner = user(&store, "owner").await;
    group(&store, &owner, "Still works").await;
}

#[tokio::test]
async fn every_statement_runs_in_a_span_named_after_its_cypher_file() {
    skip_without!(without_bolt);
    crate::privacy::record();
    let under_test = neo4j_store().await;
    let store: Arc<dyn Store> = under_test.store.clone();
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let root = post(&store, &g.id, None, &owner, "root").await;
    post(&store, &g.id, Some(&root.id), &owner, "a private reply").await;
    let text = crate::privacy::recorded();
    for statement in [
        "user_upsert",
        "group_create",
        "send_context",
        "message_send_reply",
    ] {
        assert!(
            text.contains(&format!("statement: \"{statement}\""))
                || text.contains(&format!("statement: {statement}")),
            "{statement} not in:\n{text}"
        );
    }
    assert!(!text.contains("private reply"));
}

/// A store remembers what its sends were checked on (and skips that read
/// next time); another process (a second store on the same database)
/// changes it. The first store's next sends are checked on what is true.
#[tokio::test]
async fn a_send_remembered_by_one_process_is_checked_again_when_another_changed_it() {
    skip_without!(without_bolt);
    use chorus::domain::membership::Action;
    use chorus::domain::message::MessageChange;
    let under_test = neo4j_store().await;
    let store: Arc<dyn Store> = under_test.store.clone();
    let other: Arc<dyn Store> = Arc::new(
        chorus::store::neo4j::Neo4jStore::connect(&under_test.config)
            .await
            .unwrap(),
    );
    let owner = user(&store, "owner").await;
    let member = user(&store, "member").await;
    let g = group(&store, &owner, "Club").await;
    admit(&store, &g.id, &owner, &member).await;
    let root = post(&store, &g.id, None, &owner, "root").await;
    // Remembered: the root, the member's membership.
    post(&store, &g.id, Some(&root.id), &member, "first").await;
    post(&store, &g.id, None, &member, "top").await;

    other
        .change_message(
            &root.id,
            &MessageChange::Delete {
                at: chrono::Utc::now(),
            },
        )
        .await
        .unwrap();
    let refused = store
        .post_message(&new_message(&g.id, Some(&root.id), &member, "late", None))
        .await;
    assert!(
        matches!(&refused, Err(chorus::store::StoreError::Rejected(e)) if e.to_string().contains("deleted")),
        "{refused:?}"
    );

    let now = chrono::Utc::now();
    other
        .transition(&g.id, &owner, &member, &Action::Remove, now)
        .await
        .unwrap();
    let refused = store
        .post_message(&new_message(&g.id, None, &member, "gone", None))
        .await;
    assert!(
        matches!(&refused, Err(chorus::store::StoreError::Rejected(e)) if e.to_string().contains("only members")),
        "{refused:?}"
    );
    let top = store
        .children(&Parent::Group(g.id.clone()), forward(None, 10))
        .await
        .unwrap();
    let bodies: Vec<_> = top.items.iter().filter_map(|m| m.body.clone()).collect();
    assert_eq!(bodies, ["top"], "the removed member's post was not written");
    let replies = store
        .children(&Parent::Message(root.id.clone()), forward(None, 10))
        .await
        .unwrap();
    assert_eq!(replies.items.len(), 1, "the late reply was not written");
}

#[tokio::test]
async fn confirmed_events_stay_marked_until_a_prune_deletes_them_in_bulk() {
    skip_without!(without_bolt);
    let under_test = neo4j_store().await;
    let store: Arc<dyn Store> = under_test.store.clone();
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    for _ in 0..3 {
        post(&store, &g.id, None, &owner, "hi").await;
    }
    let later = chrono::Utc::now() + chrono::Duration::hours(1);
    let pending = store.pending_events(later, 100).await.unwrap();
    assert_eq!(pending.len(), 4, "the founding and three posts");
    let ids: Vec<_> = pending.iter().map(|e| e.id.clone()).collect();
    store.confirm_events(&ids).await.unwrap();
    assert!(store.pending_events(later, 100).await.unwrap().is_empty());
    assert_eq!(
        store.prune_published(2).await.unwrap(),
        2,
        "at most the limit"
    );
    assert_eq!(store.prune_published(100).await.unwrap(), 2);
    assert_eq!(store.prune_published(100).await.unwrap(), 0);
}

/// Data written before thread summaries, `myThreads`, `seenBy` and search
/// (no summary on its roots, no participations, no read keys, no indexed
/// words) gets them from `migrate`, once.
#[tokio::test]
async fn migrate_fills_what_older_data_lacks() {
    skip_without!(without_bolt);
    let under_test = neo4j_store().await;
    let store: Arc<dyn Store> = under_test.store.clone();
    let (ann, bob) = (user(&store, "ann").await, user(&store, "bob").await);
    let g = group(&store, &ann, "Club").await;
    admit(&store, &g.id, &ann, &bob).await;
    let root = post(&store, &g.id, None, &ann, "root").await;
    let r1 = post(&store, &g.id, Some(&root.id), &bob, "r1").await;
    post(&store, &g.id, Some(&r1.id), &ann, "r2").await;
    store.mark_read(&g.id, &bob, &root.id).await.unwrap();
    let before = store.threads(std::slice::from_ref(&root.id)).await.unwrap();
    let config = &under_test.config;
    let graph = neo4rs::Graph::new(&config.uri, &config.user, config.password.expose_secret())
        .await
        .unwrap();
    for strip in [
        "MATCH (m:Message) REMOVE m.threadCount, m.threadParticipants, m.threadRecent, \
         m.lastReplyId, m.lastReplyAt, m.lastReplyPos, m.lastReplyAuthor, m.otherReplyPos, \
         m.activityAt",
        "MATCH (p:Participation) DELETE p",
        "MATCH ()-[m:MEMBERSHIP]->() REMOVE m.readKey",
        "MATCH (m:Message) REMOVE m.searchText",
        "MATCH (g:Group) REMOVE g.searchText",
    ] {
        graph.run(neo4rs::query(strip)).await.unwrap();
    }
    let seen = store.seen_by(&root.id, None, 10).await.unwrap();
    assert!(seen.items.is_empty(), "nothing to read before the backfill");
    let scope = chorus::store::SearchScope {
        groups: vec![g.id.clone()],
        author: None,
        since: None,
        until: None,
    };
    let words = |q: &str| {
        chorus::domain::search::SearchQuery::parse(q)
            .unwrap()
            .engine_words()
    };
    let found = store.search_candidates(&scope, &words("r1"), 10).await;
    assert!(
        found.unwrap().is_empty(),
        "nothing indexed before the backfill"
    );
    under_test.store.migrate().await.unwrap();
    under_test.store.migrate().await.unwrap();
    let after = store.threads(std::slice::from_ref(&root.id)).await.unwrap();
    assert_eq!(after, before, "the summary as the replies kept it");
    let page = chorus::domain::page::PageRequest::Forward {
        after: None,
        limit: 10,
    };
    let mine = store.my_threads(&bob, None, page).await.unwrap();
    assert_eq!(mine.items.len(), 1);
    assert_eq!(mine.items[0].root_id, root.id);
    let took_part = store
        .participated(&bob, std::slice::from_ref(&root.id))
        .await;
    assert_eq!(
        took_part.unwrap(),
        vec![root.id.clone()],
        "ids as sends write them"
    );
    let seen = store.seen_by(&root.id, None, 10).await.unwrap();
    let readers: Vec<_> = seen.items.iter().map(|(_, m)| m.user_id.clone()).collect();
    assert_eq!(readers, vec![bob.clone()]);
    let found = store.search_candidates(&scope, &words("r1"), 10).await;
    assert_eq!(found.unwrap()[0].id, r1.id, "old messages are found");
    let found = store.search_group_candidates(&words("clu*"), 10).await;
    assert_eq!(found.unwrap()[0].id, g.id, "old groups are found");
}
