//! GraphQL over HTTP, as the benches drive a running server.

use serde_json::{json, Value};

/// The `data` of a GraphQL request POSTed to `url` by the bearer of
/// `token`; panics when the response carries errors.
pub async fn gql(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> Value {
    let reply: Value = http
        .post(url)
        .bearer_auth(token)
        .json(&json!({"query": query, "variables": variables}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(reply.get("errors").is_none(), "{reply}");
    reply["data"].clone()
}
