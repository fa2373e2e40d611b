//! Account deletion and data exports, the store's part: a deletion keeps
//! its ghost, erased messages move to it, `Erase` ends memberships but not
//! bans, the end of a deletion moves what names the user, and one export
//! a day holds under concurrent requests.

use super::messages::post;
use super::{admit, forward, group, user, DynStore};
use chorus::domain::account::{DataExport, ExportState, DELETED_NAME};
use chorus::domain::group::Visibility;
use chorus::domain::membership::{Action, MembershipState};
use chorus::domain::message::{Message, MessageChange};
use chorus::domain::reaction::{ReactionChange, ReactionKey};
use chorus::domain::report::{Report, ReportReason, ReportState};
use chorus::domain::{MessageId, UserId};
use chrono::Duration;

/// `reporter`'s report of `message`, with `note`.
async fn report(store: &DynStore, message: &Message, reporter: &UserId, note: &str) -> Report {
    let key = (message.group_id.clone(), reporter.clone());
    let membership = store.memberships(&[key]).await.unwrap();
    let report = Report::open(
        message,
        Visibility::Private,
        reporter,
        membership.first(),
        ReportReason::Spam,
        Some(note.into()),
        chorus::domain::now(),
    )
    .unwrap();
    store.create_report(&report).await.unwrap();
    report
}

pub async fn a_deletion_moves_messages_to_its_ghost_and_finishes_once(store: DynStore) {
    let (owner, ann, bob) = (
        user(&store, "owner").await,
        user(&store, "ann").await,
        user(&store, "bob").await,
    );
    let g = group(&store, &owner, "Club").await;
    admit(&store, &g.id, &owner, &ann).await;
    admit(&store, &g.id, &owner, &bob).await;
    let root = post(&store, &g.id, None, &bob, "a thread").await;
    let reply = post(&store, &g.id, Some(&root.id), &ann, "ann's secret words").await;
    let top = post(&store, &g.id, None, &ann, "ann again").await;
    let bobs_report = report(&store, &top, &bob, "bob's note").await;
    let anns_report = report(&store, &root, &ann, "ann's note").await;

    let ghost = store.begin_deletion(&ann, &UserId::ghost()).await.unwrap();
    let again = store.begin_deletion(&ann, &UserId::ghost()).await.unwrap();
    assert_eq!(ghost, again, "a deletion under way keeps its ghost");
    let profile = store.users(std::slice::from_ref(&ann)).await.unwrap();
    assert_eq!(profile[0].name, DELETED_NAME);
    assert_eq!(profile[0].email, None);
    let pending = store.pending_deletions(10).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!((&pending[0].user_id, &pending[0].ghost), (&ann, &ghost));

    let written = store.authored(&ann, None, 10).await.unwrap();
    let ids: Vec<_> = written.iter().map(|m| m.id.clone()).collect();
    assert_eq!(
        ids,
        vec![reply.id.clone(), top.id.clone()],
        "by id, oldest first"
    );
    let first = store.authored(&ann, None, 1).await.unwrap();
    let rest = store.authored(&ann, Some(&first[0].id), 10).await.unwrap();
    assert_eq!(rest.len(), 1, "paged after an id");
    let erase = MessageChange::Erase {
        at: chorus::domain::now(),
        ghost: ghost.clone(),
    };
    let erased = store.change_message(&reply.id, &erase).await.unwrap();
    assert_eq!(erased.value.author_id, ghost);
    assert_eq!(erased.value.body, None);
    assert_eq!(erased.events.len(), 1, "the delete is announced");
    assert_eq!(store.authored(&ann, None, 10).await.unwrap().len(), 1);
    let stored = store
        .messages(std::slice::from_ref(&reply.id))
        .await
        .unwrap();
    assert_eq!(
        (stored[0].body.clone(), &stored[0].author_id),
        (None, &ghost)
    );
    assert_eq!(
        stored[0].parent_id.as_ref(),
        Some(&root.id),
        "the tree stays"
    );
    // Erasing again (a resumed run) announces nothing.
    let repeat = store.change_message(&reply.id, &erase).await.unwrap();
    assert!(repeat.events.is_empty());

    let left = store
        .transition(&g.id, &ann, &ann, &Action::Erase, chorus::domain::now())
        .await
        .unwrap();
    assert_eq!(left.value.target.state, MembershipState::Left);
    assert_eq!(left.value.member_delta, -1);
    let count = store.groups(std::slice::from_ref(&g.id)).await.unwrap()[0].member_count;
    assert_eq!(count, 2, "owner and bob");

    store.finish_deletion(&pending[0]).await.unwrap();
    store.finish_deletion(&pending[0]).await.unwrap();
    assert!(store.pending_deletions(10).await.unwrap().is_empty());
    let thread = store.threads(std::slice::from_ref(&root.id)).await.unwrap();
    assert!(
        !thread[0].recent.contains(&ann) && thread[0].recent.contains(&ghost),
        "recent repliers name the ghost: {:?}",
        thread[0].recent
    );
    let mine = store
        .my_threads(&ann, None, forward(None, 10))
        .await
        .unwrap();
    assert!(mine.items.is_empty(), "no thread lists the user any more");
    let reports = store
        .group_reports(&g.id, ReportState::Open, forward(None, 10))
        .await
        .unwrap();
    let by_ann = reports
        .items
        .iter()
        .find(|r| r.id == anns_report.id)
        .unwrap();
    assert_eq!((&by_ann.reporter_id, &by_ann.note), (&ghost, &None));
    let on_ann = reports
        .items
        .iter()
        .find(|r| r.id == bobs_report.id)
        .unwrap();
    assert_eq!(&on_ann.author_id, &ghost);
    assert_eq!(
        on_ann.note.as_deref(),
        Some("bob's note"),
        "others' words stay"
    );
}

pub async fn erasing_memberships_withdraws_and_leaves_but_keeps_bans(store: DynStore) {
    let (owner, ann) = (user(&store, "owner").await, user(&store, "ann").await);
    let (applied, banned) = (
        group(&store, &owner, "A").await,
        group(&store, &owner, "B").await,
    );
    let now = chorus::domain::now();
    let apply = Action::Apply {
        note: Some("ann's words".into()),
    };
    store
        .transition(&applied.id, &ann, &ann, &apply, now)
        .await
        .unwrap();
    admit(&store, &banned.id, &owner, &ann).await;
    let ban = Action::Ban {
        until: None,
        reason: None,
    };
    store
        .transition(&banned.id, &owner, &ann, &ban, now)
        .await
        .unwrap();
    let all = store.memberships_of(&ann).await.unwrap();
    assert_eq!(all.len(), 2, "every state is listed: {all:?}");
    for membership in &all {
        store
            .transition(&membership.group_id, &ann, &ann, &Action::Erase, now)
            .await
            .unwrap();
    }
    let after = store.memberships_of(&ann).await.unwrap();
    let of = |g| after.iter().find(|m| m.group_id == g).unwrap().clone();
    let withdrawn = of(applied.id.clone());
    assert_eq!(
        (withdrawn.state, withdrawn.note),
        (MembershipState::Left, None)
    );
    assert_eq!(of(banned.id.clone()).state, MembershipState::Banned);
    // The owner, alone in a group, may go too.
    let solo = group(&store, &ann, "Solo").await;
    let gone = store
        .transition(&solo.id, &ann, &ann, &Action::Erase, now)
        .await
        .unwrap();
    assert_eq!(gone.value.target.state, MembershipState::Left);
    let solo = store.groups(std::slice::from_ref(&solo.id)).await.unwrap();
    assert_eq!(solo[0].member_count, 0);
}

pub async fn a_users_reactions_and_bots_are_listed_for_export_and_deletion(store: DynStore) {
    let (owner, ann) = (user(&store, "owner").await, user(&store, "ann").await);
    let g = group(&store, &owner, "Club").await;
    admit(&store, &g.id, &owner, &ann).await;
    let mut message_ids = Vec::new();
    for n in 0..3 {
        let m = post(&store, &g.id, None, &owner, &format!("post {n}")).await;
        for key in [":a:", ":b:"] {
            let change = ReactionChange {
                message_id: m.id.clone(),
                user_id: ann.clone(),
                key: ReactionKey::parse(key).unwrap(),
                add: true,
                now: chorus::domain::now(),
                erasure: false,
            };
            store.change_reaction(&change).await.unwrap();
        }
        message_ids.push(m.id);
    }
    let first = store.reactions_by(&ann, None, 4).await.unwrap();
    assert_eq!(first.len(), 4);
    let last = first.last().unwrap().id();
    let rest = store.reactions_by(&ann, Some(&last), 4).await.unwrap();
    assert_eq!(rest.len(), 2, "paged by reaction id");
    let mut all: Vec<String> = first.iter().chain(&rest).map(|r| r.id()).collect();
    all.dedup();
    assert_eq!(all.len(), 6);
    assert!(store
        .reactions_by(&owner, None, 10)
        .await
        .unwrap()
        .is_empty());
    assert!(store.bots_created_by(&ann).await.unwrap().is_empty());
    let (_, bot) = super::bots::new_bot(&g.id, &owner);
    store.create_bot(&bot).await.unwrap();
    let made = store.bots_created_by(&owner).await.unwrap();
    assert_eq!(
        made.iter().map(|b| (&b.id, &b.name)).collect::<Vec<_>>(),
        vec![(&bot.id, &"Deploy bot".to_owned())]
    );
}

pub async fn one_export_a_day_holds_under_concurrent_requests(store: DynStore) {
    let ann = user(&store, "ann").await;
    let now = chorus::domain::now();
    let racers: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            let fresh = DataExport::new(&ann, now);
            tokio::spawn(async move { store.begin_export(&fresh, now).await.unwrap() })
        })
        .collect();
    let mut ids = Vec::new();
    for racer in racers {
        ids.push(racer.await.unwrap().id);
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "one export for eight racing requests");
    let pending = store.pending_exports(10).await.unwrap();
    assert_eq!(pending.len(), 1);
    let export = pending[0].clone();
    assert_eq!(export.state, ExportState::Pending);

    let failed = export.finished(ExportState::Failed, now);
    store.save_export(&failed).await.unwrap();
    assert!(store.pending_exports(10).await.unwrap().is_empty());
    let read = store.data_export(&export.id).await.unwrap().unwrap();
    assert_eq!(read.state, ExportState::Failed);
    // A failed export may be asked for again at once; a ready one holds for
    // a day.
    let second = DataExport::new(&ann, now);
    let got = store.begin_export(&second, now).await.unwrap();
    assert_eq!(got.id, second.id);
    store
        .save_export(&second.finished(ExportState::Ready, now))
        .await
        .unwrap();
    let third = DataExport::new(&ann, now + Duration::hours(23));
    let got = store
        .begin_export(&third, now + Duration::hours(23))
        .await
        .unwrap();
    assert_eq!(got.id, second.id, "the day's export is returned");
    assert_eq!(got.state, ExportState::Ready);
    let next_day = DataExport::new(&ann, now + Duration::hours(24));
    let got = store
        .begin_export(&next_day, now + Duration::hours(24))
        .await
        .unwrap();
    assert_eq!(got.id, next_day.id, "a day later, a new one");
    let unknown = chorus::domain::ids::ExportId::generate();
    assert!(store.data_export(&unknown).await.unwrap().is_none());
}

pub async fn a_users_stray_uploads_are_listed_and_claimed_ones_are_not(store: DynStore) {
    let (owner, ann) = (user(&store, "owner").await, user(&store, "ann").await);
    let g = group(&store, &owner, "Club").await;
    let upload = |who: &UserId, name: &str| {
        let declared = chorus::domain::attachment::Declared {
            filename: name.into(),
            content_type: "image/png".into(),
            size: 10,
            width: None,
            height: None,
        };
        chorus::domain::attachment::UploadRules::default()
            .admit(declared, g.id.clone(), who.clone(), chorus::domain::now())
            .unwrap()
    };
    let (stray, claimed, theirs) = (
        upload(&ann, "a.png"),
        upload(&ann, "b.png"),
        upload(&owner, "c.png"),
    );
    for attachment in [&stray, &claimed, &theirs] {
        store.put_attachment(attachment).await.unwrap();
    }
    let message = chorus::domain::MessageId::generate();
    store
        .claim_attachments(std::slice::from_ref(&claimed.id), &ann, &message)
        .await
        .unwrap();
    let listed = store.uploads_of(&ann, 10).await.unwrap();
    let ids: Vec<_> = listed.iter().map(|a| a.id.clone()).collect();
    assert_eq!(ids, vec![stray.id.clone()]);
    assert_eq!(store.uploads_of(&ann, 0).await.unwrap().len(), 0);
}

/// A deletion removes every reaction the user holds: also in a group
/// they left since and on a message deleted since, where a plain removal
/// is refused.
pub async fn an_erasure_removes_reactions_in_groups_left_and_on_deleted_messages(store: DynStore) {
    let (owner, ann) = (user(&store, "owner").await, user(&store, "ann").await);
    let g = group(&store, &owner, "Club").await;
    admit(&store, &g.id, &owner, &ann).await;
    let (kept, gone) = (
        post(&store, &g.id, None, &owner, "kept").await,
        post(&store, &g.id, None, &owner, "gone").await,
    );
    let react = |m: &MessageId, add: bool, erasure: bool| ReactionChange {
        message_id: m.clone(),
        user_id: ann.clone(),
        key: ReactionKey::parse("👍").unwrap(),
        add,
        now: chorus::domain::now(),
        erasure,
    };
    for m in [&kept.id, &gone.id] {
        store.change_reaction(&react(m, true, false)).await.unwrap();
    }
    let delete = MessageChange::Delete {
        at: chorus::domain::now(),
    };
    store.change_message(&gone.id, &delete).await.unwrap();
    store
        .transition(&g.id, &ann, &ann, &Action::Leave, chorus::domain::now())
        .await
        .unwrap();
    let plain = store.change_reaction(&react(&kept.id, false, false)).await;
    assert!(plain.is_err(), "a former member's plain removal is refused");
    for m in [&kept.id, &gone.id] {
        let removed = store.change_reaction(&react(m, false, true)).await.unwrap();
        assert_eq!(removed.events.len(), 1, "announced");
    }
    assert!(store.reactions_by(&ann, None, 10).await.unwrap().is_empty());
    let kept = store
        .messages(std::slice::from_ref(&kept.id))
        .await
        .unwrap();
    assert!(kept[0].reactions.is_empty(), "the count went with it");
}
