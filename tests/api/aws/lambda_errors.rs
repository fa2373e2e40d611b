//! The SNS-subscribed functions fail with typed errors that the Lambda
//! runtime reports by kind (so Lambda retries the event), never as text
//! built from the event.

use super::world;
use crate::skip::skip_without;
use chorus::domain::event::DomainEvent;
use chorus::domain::membership::Membership;
use chorus::domain::{GroupId, UserId};

/// An event whose group id must never show in a diagnostic.
fn secret_club_founded() -> DomainEvent {
    DomainEvent::membership(
        Membership::founder(
            GroupId::parse("g_secret-club").unwrap(),
            UserId::parse("alice").unwrap(),
            chrono::Utc::now(),
        ),
        chrono::Utc::now(),
    )
}

#[tokio::test]
async fn a_fanout_whose_audience_table_is_gone_fails_with_a_typed_diagnostic() {
    skip_without!(without_moto);
    let mut w = world().await;
    w.env.config.aws.audience_table = Some("no-such-table".into());
    let event = secret_club_founded();
    let err = w.env.fanout().unwrap().run(&event).await.unwrap_err();
    assert!(
        matches!(err, chorus::lambda::error::FanoutError::Registry(_)),
        "{err:?}"
    );
    let diagnostic = lambda_runtime::Diagnostic::from(err);
    assert_eq!(diagnostic.error_type, "Chorus.Fanout.Registry");
    assert!(!diagnostic.error_message.contains("secret-club"));
}

#[tokio::test]
async fn a_deliver_that_cannot_read_its_shard_fails_so_lambda_retries_it() {
    skip_without!(without_moto);
    let mut w = world().await;
    w.env.config.aws.audience_table = Some("no-such-table".into());
    let event = secret_club_founded();
    let job = chorus::lambda::fanout::DeliveryShard {
        event,
        shard: chorus::delivery::audience::Shard { index: 0, count: 1 },
    };
    let message = serde_json::to_string(&job).unwrap();
    let err = chorus::lambda::deliver(
        &w.env.deliver().unwrap(),
        super::delivery::sns_event(&message),
    )
    .await
    .unwrap_err();
    let diagnostic = lambda_runtime::Diagnostic::from(err);
    assert_eq!(diagnostic.error_type, "Chorus.Fanout.Registry");
    assert!(!diagnostic.error_message.contains("secret-club"));
}
