//! `spawn_app()` and a small GraphQL client for the tests.

use chorus::auth::dev::DevTokens;
use chorus::config::Config;
use chorus::store::memory::MemoryStore;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

pub const DEV_SECRET: &str = "integration-test-secret";

/// A file of this repository. The directory is read when the test runs, not
/// when it is built: a build reused from another clone still reads this one.
pub fn repo_file(relative: &str) -> String {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_owned());
    format!("{root}/{relative}")
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    /// Keeps the store's server (if any) alive as long as the app.
    _store: Box<dyn std::any::Any + Send>,
}

/// The store the suite runs on: the embedded one, or Neo4j when
/// `CHORUS_TEST_STORE=neo4j` (see `neo4j_support`).
pub async fn test_store() -> (Arc<dyn chorus::store::Store>, Box<dyn std::any::Any + Send>) {
    match std::env::var("CHORUS_TEST_STORE").as_deref() {
        Ok("neo4j") => {
            let under_test = chorus_testkit::neo4j::neo4j_store().await;
            (under_test.store.clone(), Box::new(under_test))
        }
        _ => (Arc::new(MemoryStore::new()), Box::new(())),
    }
}

/// The local server on the memory store, on a free port.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// The local server with some configuration variables set.
pub async fn spawn_app_with(vars: &[(&str, &str)]) -> TestApp {
    let mut env: HashMap<String, String> =
        HashMap::from([("CHORUS_DEV_SECRET".into(), DEV_SECRET.into())]);
    env.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let config = Config::from_lookup(|k| env.get(k).cloned()).unwrap();
    let (store, keep) = test_store().await;
    let router = chorus::app::local_app(&config, store).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let shutdown = std::future::pending();
        chorus::http::server::serve(listener, router, &config.limits, shutdown)
            .await
            .unwrap()
    });
    TestApp {
        addr,
        http: reqwest::Client::new(),
        _store: keep,
    }
}

pub fn token(user: &str) -> String {
    DevTokens::new(DEV_SECRET.to_owned().into())
        .issue(user, &format!("{user} name"))
        .unwrap()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A client acting as `user` (signed in with a dev token).
    pub fn user(&self, user: &str) -> Client<'_> {
        Client {
            app: self,
            token: Some(token(user)),
            id: user.to_owned(),
        }
    }

    /// A client with no credentials.
    pub fn anonymous(&self) -> Client<'_> {
        Client {
            app: self,
            token: None,
            id: String::new(),
        }
    }

    /// POSTs a GraphQL request with an optional bearer token; the raw reply.
    pub async fn post(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> reqwest::Response {
        let body = json!({ "query": query, "variables": variables });
        self.post_body(token, &body).await
    }

    /// POSTs any JSON body to `/graphql` (extensions, oversized bodies).
    pub async fn post_body(&self, token: Option<&str>, body: &Value) -> reqwest::Response {
        let mut request = self.http.post(self.url("/graphql")).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }
}

pub struct Client<'a> {
    pub app: &'a TestApp,
    pub token: Option<String>,
    pub id: String,
}

impl Client<'_> {
    /// The whole GraphQL response.
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        self.app
            .post(self.token.as_deref(), query, variables)
            .await
            .json()
            .await
            .unwrap()
    }

    /// `data`, asserting there were no errors.
    pub async fn ok(&self, query: &str, variables: Value) -> Value {
        let response = self.gql(query, variables).await;
        assert!(
            response.get("errors").is_none(),
            "unexpected errors: {response}"
        );
        response["data"].clone()
    }

    /// The `extensions.code` of the first error, asserting there was one.
    pub async fn err(&self, query: &str, variables: Value) -> String {
        let response = self.gql(query, variables).await;
        error_code(&response).unwrap_or_else(|| panic!("expected an error: {response}"))
    }

    pub async fn create_group(&self, name: &str) -> String {
        let data = self
            .ok(
                "mutation($n: String!) { createGroup(input: {name: $n}) { id } }",
                json!({ "n": name }),
            )
            .await;
        data["createGroup"]["id"].as_str().unwrap().to_owned()
    }

    pub async fn apply(&self, group: &str) {
        self.ok(
            "mutation($g: ID!) { applyToGroup(groupId: $g) { state } }",
            json!({ "g": group }),
        )
        .await;
    }

    /// Approves `user`'s application (self is an admin).
    pub async fn approve(&self, group: &str, user: &str) {
        self.ok(
            "mutation($g: ID!, $u: ID!) { approveApplication(groupId: $g, userId: $u) { state } }",
            json!({ "g": group, "u": user }),
        )
        .await;
    }

    /// Makes `member` a member of `group` (self is an admin).
    pub async fn admit(&self, group: &str, member: &Client<'_>) {
        member.apply(group).await;
        self.approve(group, &member.id).await;
    }

    pub async fn post(&self, group: &str, body: &str) -> String {
        let data = self
            .ok(
                "mutation($g: ID!, $b: String!) { postMessage(input: {groupId: $g, body: $b}) { id } }",
                json!({ "g": group, "b": body }),
            )
            .await;
        data["postMessage"]["id"].as_str().unwrap().to_owned()
    }

    pub async fn reply(&self, parent: &str, body: &str) -> String {
        let data = self
            .ok(
                "mutation($p: ID!, $b: String!) { replyToMessage(input: {parentId: $p, body: $b}) { id } }",
                json!({ "p": parent, "b": body }),
            )
            .await;
        data["replyToMessage"]["id"].as_str().unwrap().to_owned()
    }

    /// How many top-level messages the first page of the group shows.
    pub async fn message_count(&self, group: &str) -> usize {
        let data = self
            .ok(
                "query($g: ID!) { group(id: $g) { messages { edges { cursor } } } }",
                json!({ "g": group }),
            )
            .await;
        data["group"]["messages"]["edges"].as_array().unwrap().len()
    }
}

pub fn error_code(response: &Value) -> Option<String> {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .map(str::to_owned)
}
