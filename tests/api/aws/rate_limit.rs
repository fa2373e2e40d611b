//! The mutation limit holds across Lambda instances: two `api` functions
//! (two services, as two instances are) share each user's bucket in
//! DynamoDB (moto), so a burst spent on one is spent on both.

use super::world_with;
use crate::helpers::token;
use crate::skip::skip_without;
use serde_json::{json, Value};

async fn create(router: &chorus::lambda::ApiService, user: &str) -> Value {
    let query = "mutation { createGroup(input: {name: \"x\"}) { id } }";
    super::graphql(router, &token(user), query, json!({})).await
}

#[tokio::test]
async fn a_burst_spent_on_one_instance_is_spent_on_all() {
    skip_without!(without_moto);
    let w = world_with(&[("CHORUS_RATE_BURST", "3"), ("CHORUS_RATE_PER_SEC", "1")]).await;
    let (first, second) = (w.env.api().unwrap(), w.env.api().unwrap());
    for router in [&first, &second, &first] {
        let ok = create(router, "alice").await;
        assert!(ok["data"]["createGroup"]["id"].is_string(), "{ok}");
    }
    let refused = create(&second, "alice").await;
    let error = &refused["errors"][0];
    assert_eq!(error["extensions"]["code"], "RATE_LIMITED", "{refused}");
    let wait = error["extensions"]["retryAfterMs"].as_u64().unwrap();
    assert!((1..=1_000).contains(&wait), "{wait}");
    let other = create(&first, "bob").await;
    assert!(
        other["data"]["createGroup"]["id"].is_string(),
        "another user has their own bucket"
    );

    tokio::time::sleep(std::time::Duration::from_millis(wait + 20)).await;
    let again = create(&second, "alice").await;
    assert!(
        again["data"]["createGroup"]["id"].is_string(),
        "refilled: {again}"
    );
}

#[tokio::test]
async fn the_search_budget_is_shared_by_instances_and_apart_from_mutations() {
    skip_without!(without_moto);
    let w = world_with(&[("CHORUS_SEARCH_PER_MINUTE", "2")]).await;
    let (first, second) = (w.env.api().unwrap(), w.env.api().unwrap());
    create(&first, "alice").await;
    let search = "{ searchMessages(query: \"hello\") { edges { cursor } } }";
    for router in [&first, &second] {
        let ok = super::graphql(router, &token("alice"), search, json!({})).await;
        assert!(ok["data"]["searchMessages"]["edges"].is_array(), "{ok}");
    }
    let refused = super::graphql(&first, &token("alice"), search, json!({})).await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "RATE_LIMITED",
        "{refused}"
    );
    let write = create(&second, "alice").await;
    assert!(
        write["data"]["createGroup"]["id"].is_string(),
        "mutations have their own budget: {write}"
    );
}
