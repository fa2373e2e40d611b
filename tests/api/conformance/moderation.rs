use super::messages::new_message;
use super::{admit, forward, group, user, DynStore};
use chorus::domain::membership::{Action, MembershipState};
use chorus::domain::moderation::ModerationAction;
use chorus::domain::DomainError;
use chorus::store::StoreError;
use chrono::Duration;

/// A mute and a ban with `until` end at that instant, judged on the time
/// each call carries (nothing waits, no job lifts them); the log has one
/// entry per action and none for a refused one.
pub async fn timed_mutes_and_bans_end_at_their_instant_with_no_job(store: DynStore) {
    let (owner, ann) = (user(&store, "owner").await, user(&store, "ann").await);
    let g = group(&store, &owner, "Club").await;
    admit(&store, &g.id, &owner, &ann).await;
    let t0 = chorus::domain::now();
    let hour = Duration::hours(1);
    let mute = Action::Mute {
        until: Some(t0 + hour),
        reason: Some("cool off".into()),
    };
    store
        .transition(&g.id, &owner, &ann, &mute, t0)
        .await
        .unwrap();

    let mut early = new_message(&g.id, None, &ann, "let me speak", None);
    early.now = t0 + hour - Duration::microseconds(1);
    match store.post_message(&early).await {
        Err(StoreError::Rejected(DomainError::Muted { until })) => assert_eq!(until, t0 + hour),
        other => panic!(
            "a muted member posted: {:?}",
            other.map(|r| r.value.message.id)
        ),
    }
    let mut on_time = new_message(&g.id, None, &ann, "back again", None);
    on_time.now = t0 + hour;
    store.post_message(&on_time).await.unwrap();

    let ban = Action::Ban {
        until: Some(t0 + hour * 3),
        reason: None,
    };
    store
        .transition(&g.id, &owner, &ann, &ban, t0 + hour)
        .await
        .unwrap();
    let again = store
        .transition(&g.id, &owner, &ann, &ban, t0 + hour * 2)
        .await;
    assert!(matches!(
        again,
        Err(StoreError::Rejected(DomainError::Conflict(_)))
    ));
    let apply = Action::Apply { note: None };
    let before_end = t0 + hour * 3 - Duration::microseconds(1);
    let refused = store
        .transition(&g.id, &ann, &ann, &apply, before_end)
        .await;
    assert!(matches!(
        refused,
        Err(StoreError::Rejected(DomainError::Forbidden(_)))
    ));
    let applied = store
        .transition(&g.id, &ann, &ann, &apply, t0 + hour * 3)
        .await
        .unwrap()
        .value
        .target;
    assert_eq!(
        (applied.state, applied.banned_until),
        (MembershipState::Applied, None),
        "applied again; not a member by themselves"
    );

    let log = store
        .moderation_log(&g.id, forward(None, 10))
        .await
        .unwrap();
    let actions: Vec<_> = log
        .items
        .iter()
        .map(|e| (e.action, e.actor_id.clone(), e.target_user.clone(), e.until))
        .collect();
    assert_eq!(
        actions,
        vec![
            (
                ModerationAction::Muted,
                owner.clone(),
                Some(ann.clone()),
                Some(t0 + hour)
            ),
            (
                ModerationAction::Banned,
                owner.clone(),
                Some(ann.clone()),
                Some(t0 + hour * 3)
            ),
        ]
    );
    assert_eq!(log.items[0].reason.as_deref(), Some("cool off"));
}

/// Reports: one per reporter and message however many race (one event),
/// listed by state, resolved once by an admin with its log entry.
pub async fn reports_are_one_per_reporter_and_resolved_once(store: DynStore) {
    use chorus::domain::group::Visibility;
    use chorus::domain::report::{Report, ReportAction, ReportReason, ReportState};
    let (owner, ann, bob) = (
        user(&store, "owner").await,
        user(&store, "ann").await,
        user(&store, "bob").await,
    );
    let g = group(&store, &owner, "Club").await;
    admit(&store, &g.id, &owner, &ann).await;
    admit(&store, &g.id, &owner, &bob).await;
    let message = super::messages::post(&store, &g.id, None, &ann, "buy my stuff").await;
    let membership = store
        .memberships(&[(g.id.clone(), bob.clone())])
        .await
        .unwrap()
        .pop();
    let racers: Vec<_> = (0..8)
        .map(|_| {
            let report = Report::open(
                &message,
                Visibility::Private,
                &bob,
                membership.as_ref(),
                ReportReason::Spam,
                Some("again".into()),
                chorus::domain::now(),
            )
            .unwrap();
            let store = store.clone();
            tokio::spawn(async move { store.create_report(&report).await.unwrap() })
        })
        .collect();
    let mut ids = Vec::new();
    let mut events = 0;
    for racer in racers {
        let recorded = racer.await.unwrap();
        events += recorded.events.len();
        ids.push(recorded.value.id);
    }
    ids.dedup();
    assert_eq!((ids.len(), events), (1, 1), "one report, announced once");
    let open = store
        .group_reports(&g.id, ReportState::Open, forward(None, 10))
        .await
        .unwrap();
    assert_eq!(open.items.len(), 1);
    let now = chorus::domain::now();
    let by_member = store
        .resolve_report(&ids[0], &ann, ReportAction::Dismiss, now)
        .await;
    assert!(matches!(
        by_member,
        Err(StoreError::Rejected(DomainError::Forbidden(_)))
    ));
    let resolved = store
        .resolve_report(&ids[0], &owner, ReportAction::Dismiss, now)
        .await
        .unwrap();
    assert_eq!(
        (
            resolved.state,
            resolved.action,
            resolved.resolved_by.clone()
        ),
        (
            ReportState::Resolved,
            Some(ReportAction::Dismiss),
            Some(owner.clone())
        )
    );
    let again = store
        .resolve_report(&ids[0], &owner, ReportAction::Dismiss, now)
        .await;
    assert!(matches!(
        again,
        Err(StoreError::Rejected(DomainError::Conflict(_)))
    ));
    let open = store
        .group_reports(&g.id, ReportState::Open, forward(None, 10))
        .await
        .unwrap();
    assert!(open.items.is_empty());
    let done = store
        .group_reports(&g.id, ReportState::Resolved, forward(None, 10))
        .await
        .unwrap();
    assert_eq!(done.items.len(), 1);
    let log = store
        .moderation_log(&g.id, forward(None, 10))
        .await
        .unwrap();
    let entries: Vec<_> = log
        .items
        .iter()
        .map(|e| (e.action, e.target_message.clone()))
        .collect();
    assert_eq!(
        entries,
        vec![(ModerationAction::ReportResolved, Some(message.id.clone()))],
        "one entry, none for the refused resolutions"
    );
}

/// Slow mode under 8 concurrent posts of one member: exactly one lands in
/// the window; the next window lets one more; owners are exempt.
pub async fn slow_mode_lets_one_post_per_window_under_concurrency(store: DynStore) {
    use chorus::domain::group::GroupPatch;
    let (owner, ann) = (user(&store, "owner").await, user(&store, "ann").await);
    let g = group(&store, &owner, "Club").await;
    admit(&store, &g.id, &owner, &ann).await;
    let patch = GroupPatch {
        slow_mode_seconds: Some(60),
        ..Default::default()
    };
    let updated = store.update_group(&g.id, &patch, None).await.unwrap();
    assert_eq!(updated.slow_mode_seconds, 60);
    let t0 = chorus::domain::now();
    let racers: Vec<_> = (0..8)
        .map(|i| {
            let mut new = new_message(&g.id, None, &ann, &format!("first {i}"), None);
            new.now = t0;
            let store = store.clone();
            tokio::spawn(async move { store.post_message(&new).await })
        })
        .collect();
    let (mut landed, mut limited) = (0, 0);
    for racer in racers {
        match racer.await.unwrap() {
            Ok(_) => landed += 1,
            Err(StoreError::Rejected(DomainError::RateLimited { retry_after_ms })) => {
                assert!(retry_after_ms > 0 && retry_after_ms <= 60_000);
                limited += 1;
            }
            Err(other) => panic!("{other}"),
        }
    }
    assert_eq!((landed, limited), (1, 7));
    let mut early = new_message(&g.id, None, &ann, "still early", None);
    early.now = t0 + Duration::seconds(59);
    assert!(store.post_message(&early).await.is_err());
    let mut later = new_message(&g.id, None, &ann, "next window", None);
    later.now = t0 + Duration::seconds(60);
    store.post_message(&later).await.unwrap();
    for i in 0..3 {
        let mut mine = new_message(&g.id, None, &owner, &format!("owner {i}"), None);
        mine.now = t0;
        store.post_message(&mine).await.unwrap();
    }
}
