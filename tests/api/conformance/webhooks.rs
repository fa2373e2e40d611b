//! Outgoing webhooks on every store: registered, changed, their attempts
//! kept (the last 100) and checked atomically, even when attempts of many
//! events land at once.

use super::{group, user, DynStore};
use chorus::domain::event::EventKind;
use chorus::domain::ids::EventId;
use chorus::domain::webhook::{
    Attempt, Delivery, Verdict, Webhook, WebhookPatch, WebhookSecret, KEPT_DELIVERIES,
};

fn delivery(attempt: u32, status: Option<u16>) -> Delivery {
    Delivery {
        seq: 0,
        event_id: EventId::generate(),
        attempt,
        outcome: Attempt {
            status,
            error: status.is_none().then(|| "timeout".to_owned()),
            duration_ms: 12,
        },
        at: chorus::domain::now(),
    }
}

async fn registered(store: &DynStore) -> Webhook {
    let owner = user(store, "owner").await;
    let g = group(store, &owner, "Ops").await;
    let webhook = Webhook::new(
        g.id,
        "https://hooks.example.com/in".into(),
        &[EventKind::MessagePosted, EventKind::MembershipChanged],
        owner,
        WebhookSecret("whsec_c2VjcmV0".into()),
        chorus::domain::now(),
    )
    .unwrap();
    store.create_webhook(&webhook, None).await.unwrap();
    webhook
}

pub async fn webhooks_are_registered_listed_changed_and_deleted(store: DynStore) {
    let webhook = registered(&store).await;
    let listed = store.group_webhooks(&webhook.group_id).await.unwrap();
    assert_eq!(listed, vec![webhook.clone()], "kept as given, secret too");

    let patch = WebhookPatch {
        url: Some("https://hooks.example.com/v2".into()),
        events: Some(vec![EventKind::MessageDeleted]),
        enabled: Some(false),
        secret: Some(WebhookSecret("whsec_bmV3".into())),
    };
    let now = chorus::domain::now();
    let actor = webhook.created_by.clone();
    let updated = webhook.log_entry(&actor, "updated", now);
    let changed = store
        .update_webhook(&webhook.id, &patch, Some(&updated))
        .await
        .unwrap();
    assert_eq!(changed.url, "https://hooks.example.com/v2");
    assert_eq!(changed.events, vec![EventKind::MessageDeleted]);
    assert!(!changed.enabled);
    assert_eq!(
        changed.disabled_reason.as_deref(),
        Some("disabled by an admin")
    );
    assert_eq!(store.webhook(&webhook.id).await.unwrap(), Some(changed));

    let empty = WebhookPatch {
        events: Some(vec![]),
        ..WebhookPatch::default()
    };
    let refused_entry = webhook.log_entry(&actor, "updated", now);
    let refused = store
        .update_webhook(&webhook.id, &empty, Some(&refused_entry))
        .await
        .unwrap_err();
    assert!(matches!(refused, chorus::store::StoreError::Rejected(_)));

    let deleted = webhook.log_entry(&actor, "deleted", now);
    assert!(store
        .delete_webhook(&webhook.id, Some(&deleted))
        .await
        .unwrap());
    let again = webhook.log_entry(&actor, "deleted", now);
    assert!(!store
        .delete_webhook(&webhook.id, Some(&again))
        .await
        .unwrap());
    // One entry per change made; none for the refused change or the
    // second delete.
    let log = store
        .moderation_log(&webhook.group_id, super::forward(None, 10))
        .await
        .unwrap();
    let ids: Vec<_> = log.items.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids, vec![updated.id.clone(), deleted.id.clone()]);
    assert!(log
        .items
        .iter()
        .all(|e| e.action == chorus::domain::moderation::ModerationAction::WebhookChanged));
    assert_eq!(store.webhook(&webhook.id).await.unwrap(), None);
    assert!(store
        .group_webhooks(&webhook.group_id)
        .await
        .unwrap()
        .is_empty());
    let gone = store
        .record_delivery(&webhook.id, &delivery(1, Some(200)), Verdict::Delivered)
        .await
        .unwrap();
    assert_eq!(
        gone, None,
        "an attempt of a deleted webhook changes nothing"
    );
}

pub async fn the_last_hundred_attempts_are_kept_in_order(store: DynStore) {
    let webhook = registered(&store).await;
    for n in 0..(KEPT_DELIVERIES as u32 + 5) {
        store
            .record_delivery(
                &webhook.id,
                &delivery(n + 1, Some(500)),
                Verdict::Retrying(std::time::Duration::from_secs(5)),
            )
            .await
            .unwrap();
    }
    let kept = store.webhook_deliveries(&webhook.id).await.unwrap();
    assert_eq!(kept.len(), KEPT_DELIVERIES);
    let seqs: Vec<u64> = kept.iter().map(|d| d.seq).collect();
    assert_eq!(seqs, (6..=105).collect::<Vec<u64>>(), "oldest dropped");
    assert_eq!(kept[0].attempt, 6);
    assert_eq!(kept[0].outcome.status, Some(500));
    assert_eq!(kept[0].outcome.duration_ms, 12);
}

pub async fn concurrent_exhausted_events_disable_exactly_once(store: DynStore) {
    let webhook = registered(&store).await;
    let attempts = (0..8).map(|_| {
        let store = store.clone();
        let id = webhook.id.clone();
        async move {
            store
                .record_delivery(&id, &delivery(2, None), Verdict::Exhausted)
                .await
                .unwrap()
                .unwrap()
        }
    });
    let handles: Vec<_> = attempts.map(tokio::spawn).collect();
    for handle in handles {
        handle.await.unwrap();
    }
    let after = store.webhook(&webhook.id).await.unwrap().unwrap();
    assert_eq!(after.failures, 8, "no count lost");
    assert!(!after.enabled);
    assert_eq!(
        after.disabled_reason.as_deref(),
        Some("5 consecutive failures")
    );
    assert_eq!(
        store.webhook_deliveries(&webhook.id).await.unwrap().len(),
        8
    );

    let enable = WebhookPatch {
        enabled: Some(true),
        ..WebhookPatch::default()
    };
    let fresh = store
        .update_webhook(&webhook.id, &enable, None)
        .await
        .unwrap();
    assert!(fresh.enabled && fresh.disabled_reason.is_none() && fresh.failures == 0);
    let gone = store
        .record_delivery(&webhook.id, &delivery(1, Some(410)), Verdict::Gone)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(gone.disabled_reason.as_deref(), Some("410 Gone"));
}

pub async fn concurrent_registrations_stop_at_the_groups_cap(store: DynStore) {
    let first = registered(&store).await;
    let group = first.group_id.clone();
    let attempts = (1..30).map(|_| {
        let store = store.clone();
        let mut webhook = first.clone();
        webhook.id = chorus::domain::ids::WebhookId::generate();
        tokio::spawn(async move { store.create_webhook(&webhook, None).await })
    });
    let handles: Vec<_> = attempts.collect();
    let mut refused = 0;
    for handle in handles {
        match handle.await.unwrap() {
            Ok(()) => {}
            Err(chorus::store::StoreError::Rejected(err)) => {
                assert_eq!(err.code(), "CONFLICT");
                refused += 1;
            }
            Err(other) => panic!("{other}"),
        }
    }
    let kept = store.group_webhooks(&group).await.unwrap();
    assert_eq!(kept.len(), chorus::domain::webhook::MAX_PER_GROUP);
    assert_eq!(refused, 30 - chorus::domain::webhook::MAX_PER_GROUP);
}
