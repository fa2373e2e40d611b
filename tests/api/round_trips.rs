//! Round trips to Neo4j per operation, counted on the wire (RUN, BEGIN and
//! COMMIT messages through the Bolt bridge). Printed for the record, and
//! held at today's counts so a change that adds trips fails here: on Aura
//! every trip is network latency.

use crate::conformance::{admit, group, user};
use crate::skip::skip_without;
use chorus::graphql::Viewer;
use chorus::store::Store;
use chorus_testkit::neo4j::neo4j_store;
use std::sync::Arc;

async fn counted(
    parts: &chorus::app::Parts,
    faults: &chorus_testkit::bolt_bridge::Faults,
    viewer: &chorus::domain::UserId,
    query: &str,
) -> (usize, serde_json::Value) {
    let before = faults.round_trips();
    // As the HTTP handler runs a request: with a service handle of its
    // own, whose memo keeps the request's access checks.
    let request = async_graphql::Request::new(query)
        .data(Viewer(Some(viewer.clone())))
        .data(Arc::new(parts.service.for_request()));
    let response = parts.schema.execute(request).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let data = serde_json::to_value(&response.data).unwrap();
    (faults.round_trips() - before, data)
}

#[tokio::test]
async fn a_reply_and_a_page_cost_a_known_number_of_round_trips() {
    skip_without!(without_bolt);
    let under_test = neo4j_store().await;
    let Some(faults) = under_test.faults.clone() else {
        return; // a real Neo4j: no bridge to count on
    };
    let store: Arc<dyn Store> = under_test.store.clone();
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Club").await;
    let mut authors = Vec::new();
    for n in 0..5 {
        let member = user(&store, &format!("m{n}")).await;
        admit(&store, &g.id, &owner, &member).await;
        authors.push(member);
    }
    let config = chorus::config::Config::from_lookup(|_| None).unwrap();
    let parts = chorus::app::local_service_and_schema(&config, store.clone()).unwrap();
    let post = format!(
        "mutation {{ postMessage(input: {{groupId: \"{}\", body: \"root\"}}) {{ id }} }}",
        g.id
    );
    let (_, data) = counted(&parts, &faults, &owner, &post).await;
    let root = data["postMessage"]["id"].as_str().unwrap().to_owned();
    let mut first_trips = 0;
    for (n, author) in authors.iter().cycle().take(20).enumerate() {
        let reply = format!(
            "mutation {{ replyToMessage(input: {{parentId: \"{root}\", body: \"r{n}\"}}) {{ id }} }}"
        );
        let (trips, _) = counted(&parts, &faults, author, &reply).await;
        if n == 0 {
            first_trips = trips;
        }
    }
    let reply = format!(
        "mutation {{ replyToMessage(input: {{parentId: \"{root}\", body: \"once\", clientMessageId: \"c1\"}}) {{ id }} }}"
    );
    let (reply_trips, _) = counted(&parts, &faults, &owner, &reply).await;
    let page = |fields: &str| {
        format!("{{ message(id: \"{root}\") {{ replies(last: 20) {{ edges {{ node {{ {fields} }} }} }} }} }}")
    };
    let (page_trips, data) = counted(&parts, &faults, &owner, &page("id body")).await;
    let edges = data["message"]["replies"]["edges"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(edges, 20);
    // With authors: one more, the page's 20 authors in one batch (the
    // loader gathers every key of one scheduler pass, with no timer).
    let (author_trips, _) =
        counted(&parts, &faults, &owner, &page("id body author { name }")).await;
    println!(
        "Neo4j round trips: replyToMessage {reply_trips} ({first_trips} for the process's \
         first send in the thread), a 20-reply page {page_trips} ({author_trips} with authors)"
    );
    // A reply: its write and the outbox confirm, once this process has
    // seen the parent and the author's membership (here: the owner's from
    // the root it posted; the write's guard checks both); before that, the
    // read it is checked on too. A page: the message with its access check,
    // then the page (the second access check comes from the request's memo).
    assert!(
        reply_trips <= 2,
        "replyToMessage: {reply_trips} round trips"
    );
    assert!(
        first_trips <= 3,
        "the first replyToMessage: {first_trips} round trips"
    );
    assert!(page_trips <= 2, "20-reply page: {page_trips} round trips");
    assert!(
        author_trips <= page_trips + 1,
        "20-reply page with authors: {author_trips} round trips"
    );
}
