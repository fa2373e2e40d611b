use super::*;
use crate::domain::now;

fn hook() -> Webhook {
    Webhook::new(
        GroupId::generate(),
        "https://example.com/hook".into(),
        &[EventKind::MessagePosted, EventKind::MessagePosted],
        UserId::parse("u1").unwrap(),
        WebhookSecret("whsec_x".into()),
        now(),
    )
    .unwrap()
}

fn answered(status: Option<u16>) -> Attempt {
    Attempt {
        status,
        error: status.is_none().then(|| "timeout".to_owned()),
        duration_ms: 1,
    }
}

#[test]
fn event_types_are_deduplicated_and_never_empty() {
    assert_eq!(hook().events, vec![EventKind::MessagePosted]);
    assert_eq!(event_types(&[]).unwrap_err().code(), "BAD_USER_INPUT");
}

#[test]
fn attempts_are_classified_by_status_and_place_in_the_schedule() {
    let retries = [Duration::from_secs(5), Duration::from_secs(300)];
    assert_eq!(
        Verdict::of(&answered(Some(204)), 3, &retries),
        Verdict::Delivered
    );
    assert_eq!(
        Verdict::of(&answered(Some(410)), 1, &retries),
        Verdict::Gone
    );
    assert_eq!(
        Verdict::of(&answered(Some(500)), 1, &retries),
        Verdict::Retrying(Duration::from_secs(5))
    );
    assert_eq!(
        Verdict::of(&answered(Some(500)), 2, &retries),
        Verdict::Retrying(Duration::from_secs(300))
    );
    assert_eq!(
        Verdict::of(&answered(None), 3, &retries),
        Verdict::Exhausted
    );
    assert_eq!(
        Verdict::of(&answered(Some(301)), 3, &retries),
        Verdict::Exhausted
    );
    // A number no attempt has (a forged queue message) ends it, no panic.
    assert_eq!(
        Verdict::of(&answered(Some(500)), 0, &retries),
        Verdict::Exhausted
    );
}

#[test]
fn the_last_hundred_attempts_are_kept() {
    let one = Delivery {
        seq: 0,
        event_id: crate::domain::ids::EventId::generate(),
        attempt: 1,
        outcome: answered(Some(500)),
        at: now(),
    };
    let mut kept = Vec::new();
    for seq in 1..=105 {
        keep(&mut kept, &one, seq);
    }
    assert_eq!(kept.len(), KEPT_DELIVERIES);
    assert_eq!((kept[0].seq, kept[99].seq), (6, 105));
}

#[test]
fn gone_disables_at_once_and_five_exhausted_events_disable_with_a_reason() {
    let gone = hook().after(Verdict::Gone);
    assert!(!gone.enabled);
    assert_eq!(gone.disabled_reason.as_deref(), Some("410 Gone"));

    let mut h = hook();
    for _ in 0..4 {
        h = h.after(Verdict::Exhausted);
        assert!(h.enabled);
    }
    // A success in between starts the count again.
    assert_eq!(h.after(Verdict::Delivered).failures, 0);
    h = h.after(Verdict::Exhausted);
    assert!(!h.enabled);
    assert_eq!(h.disabled_reason.as_deref(), Some("5 consecutive failures"));
    assert!(!h.wants(EventKind::MessagePosted));

    let enabled = h
        .patched(&WebhookPatch {
            enabled: Some(true),
            ..WebhookPatch::default()
        })
        .unwrap();
    assert!(enabled.enabled && enabled.disabled_reason.is_none());
    assert_eq!(enabled.failures, 0);
}

#[test]
fn the_default_schedule_retries_within_ten_seconds_and_last_after_an_hour() {
    let retries = default_retries();
    assert!(retries[0] <= Duration::from_secs(10));
    assert!(retries.iter().sum::<Duration>() >= Duration::from_secs(3_600));
    assert!(retries.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn the_secret_never_prints() {
    assert!(!format!("{:?}", hook()).contains("whsec_x"));
}

#[test]
fn a_message_body_carries_its_files_metadata_only() {
    let mut message = crate::domain::fixtures::top_level("ann");
    let file = crate::domain::fixtures::attachment("plan.pdf", "application/pdf", 7);
    message.attachments = vec![file.clone()];
    let event = DomainEvent::message(EventKind::MessagePosted, message, now());
    let sent = body(&event, |_| Some("Ann"));
    assert_eq!(
        sent["data"]["message"]["attachments"],
        serde_json::json!([{"id": file.id, "filename": "plan.pdf", "contentType": "application/pdf",
                            "size": 7, "width": null, "height": null}])
    );
}
