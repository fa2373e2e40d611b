//! Personal text stays out of logs and spans: an applicant's note, a
//! rejection reason and a search query never appear in what the tracing
//! subscriber records, while the operation itself does.

use chorus::delivery::broker::Broker;
use chorus::delivery::push::MemoryPushRegistry;
use chorus::domain::group::NewGroup;
use chorus::domain::membership::Action;
use chorus::domain::user::Profile;
use chorus::domain::UserId;
use chorus::service::rate_limit::RateLimiter;
use chorus::service::Service;
use std::sync::Arc;
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// Records every span's name and fields, and every event, as text, into
/// the recording thread's buffer. Installed once as the global subscriber:
/// a per-test default subscriber would race with other tests over
/// tracing's global callsite cache. Tests run on one thread each (tokio's
/// current-thread runtime, servers included), so a thread's buffer is its
/// test's.
struct Recorder;

thread_local! {
    static LINES: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn keep(line: String) {
    LINES.with(|lines| lines.borrow_mut().push(line));
}

impl<S: tracing::Subscriber> Layer<S> for Recorder {
    fn on_new_span(&self, attrs: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
        keep(format!("{} {:?}", attrs.metadata().name(), attrs.values()));
    }
    fn on_record(&self, _: &Id, values: &Record<'_>, _: Context<'_, S>) {
        keep(format!("{values:?}"));
    }
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        keep(format!("{event:?}"));
    }
}

/// Starts recording this thread's spans and events (from empty).
pub fn record() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let subscriber = tracing_subscriber::registry().with(Recorder);
        tracing::subscriber::set_global_default(subscriber).unwrap();
    });
    LINES.with(|lines| lines.borrow_mut().clear());
}

/// What this thread recorded since [`record`].
pub fn recorded() -> String {
    LINES.with(|lines| lines.borrow().join("\n"))
}

fn user(id: &str) -> Profile {
    Profile {
        id: UserId::parse(id).unwrap(),
        name: id.into(),
        email: None,
        picture_url: None,
    }
}

#[tokio::test]
async fn notes_reasons_and_search_queries_are_not_recorded() {
    record();
    let (store, _keep) = crate::helpers::test_store().await;
    let broker = Arc::new(Broker::new());
    let push = Arc::new(MemoryPushRegistry::default());
    let config = chorus::config::Config::from_lookup(|_| None).unwrap();
    let service = Service::new(chorus::service::Ports {
        store,
        events: broker,
        push,
        limiter: std::sync::Arc::new(RateLimiter::new(100, 100)),
        webhooks: chorus::app::webhook_delivery(&config, true).unwrap(),
        devices: std::sync::Arc::new(chorus::service::ports::NoDeviceEndpoints),
        online: std::sync::Arc::new(chorus::delivery::broker::Broker::new()),
        publish_wait: std::time::Duration::from_millis(500),
        files: std::sync::Arc::new(chorus::service::ports::NoFileStorage),
        upload_rules: Default::default(),
        search_limiter: std::sync::Arc::new(chorus::service::rate_limit::RateLimiter::new(
            100, 100,
        )),
        report_limiter: std::sync::Arc::new(chorus::service::rate_limit::RateLimiter::new(
            100, 100,
        )),
        jobs: None,
    });
    let (owner, applicant) = (user("owner"), user("applicant"));
    for profile in [&owner, &applicant] {
        service.sign_in(profile).await.unwrap();
    }
    let new = NewGroup {
        name: chorus::domain::text::group_name("Club").unwrap(),
        description: None,
        visibility: Default::default(),
    };
    let group = service.create_group(&owner.id, new).await.unwrap();
    let note = Some("my phone is 555-0100".to_owned());
    service
        .change_membership(
            &applicant.id,
            &group.id,
            &applicant.id,
            Action::Apply { note },
        )
        .await
        .unwrap();
    let reason = Some("you lied about your age".to_owned());
    service
        .change_membership(
            &owner.id,
            &group.id,
            &applicant.id,
            Action::Reject { reason },
        )
        .await
        .unwrap();
    service
        .search_groups(&owner.id, "divorce support", 0, 10)
        .await
        .unwrap();

    let text = recorded();
    assert!(
        text.contains("change_membership"),
        "the spans were recorded"
    );
    for secret in ["555-0100", "lied about", "divorce"] {
        assert!(!text.contains(secret), "{secret} was recorded:\n{text}");
    }
}

#[tokio::test]
async fn graphql_and_http_spans_mask_bodies_notes_and_queries() {
    record();
    let app = crate::helpers::spawn_app().await;
    let (alice, bob) = (app.user("alice"), app.user("bob"));
    let g = alice.create_group("Club").await;
    bob.ok(
        "mutation($g: ID!) { applyToGroup(groupId: $g, note: \"call me at 555-0199\") { state } }",
        serde_json::json!({ "g": g }),
    )
    .await;
    alice.post(&g, "the diagnosis came back").await;
    let hook = "mutation($g: ID!) { createIncomingWebhook(groupId: $g, name: \"Pager\") { url } }";
    let url = alice.ok(hook, serde_json::json!({ "g": g })).await["createIncomingWebhook"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let hook_secret = url.rsplit('/').next().unwrap().to_owned();
    let sent = app
        .http
        .post(&url)
        .json(&serde_json::json!({ "text": "the pager went off" }))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 200);
    let search = "query($q: String!) { searchGroups(query: $q) { edges { cursor } } }";
    alice
        .ok(search, serde_json::json!({ "q": "bankruptcy" }))
        .await;
    let get = format!(
        "{}?query=%7B%20me%20%7B%20id%20%7D%20%7D&x=private-words",
        app.url("/graphql")
    );
    app.http.get(get).send().await.unwrap();

    let text = recorded();
    assert!(
        text.contains("parse") && text.contains("http"),
        "spans recorded:\n{text}"
    );
    assert!(text.contains("/hooks/"), "the hook's request has its span");
    for secret in [
        "555-0199",
        "diagnosis",
        "bankruptcy",
        "private-words",
        "pager went off",
        &hook_secret,
    ] {
        assert!(!text.contains(secret), "{secret} was recorded:\n{text}");
    }
}
