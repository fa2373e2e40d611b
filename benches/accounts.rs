//! What a data export and an account deletion cost per message of the
//! user's: `cargo bench --bench accounts`. For each store (the embedded
//! one, and Neo4j through kglite-bolt-server and the Bolt bridge, or
//! `NEO4J_TEST_URI`) and each size, a user writes that many messages (a
//! tenth of them replies) and reacts to a tenth of another member's; the
//! bench times the export's build (the job: reads, the JSON document, the
//! file write) and `deleteMyAccount` run to its end (reactions removed,
//! messages erased with their events, memberships ended), and checks
//! nothing of the user's is left.
//!
//! `BENCH_STORES=memory` or `=neo4j` picks one; `BENCH_SIZES=100,1000`
//! the sizes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// Its stores and `post`; the big/small timing is for other benches.
#[path = "support/big_small.rs"]
#[allow(dead_code)]
mod big_small;

use chorus::domain::account::{DataExport, ExportState};
use chorus::domain::group::{NewGroup, Visibility};
use chorus::domain::membership::Action;
use chorus::domain::message::Parent;
use chorus::domain::reaction::{ReactionChange, ReactionKey};
use chorus::domain::user::Profile;
use chorus::domain::UserId;
use chorus::store::Store;
use std::sync::Arc;
use std::time::Instant;

async fn user(store: &Arc<dyn Store>, id: &str) -> UserId {
    let profile = Profile {
        id: UserId::parse(id).unwrap(),
        name: format!("{id} name"),
        email: Some(format!("{id}@example.com")),
        picture_url: None,
    };
    store
        .upsert_user(&profile, chorus::domain::now())
        .await
        .unwrap();
    profile.id
}

async fn bench(label: &str, store: Arc<dyn Store>, sizes: &[u64]) {
    println!("\n== {label}");
    println!(
        "{:>8} {:>14} {:>12} {:>14} {:>12}",
        "messages", "export", "per message", "deletion", "per message"
    );
    let config = chorus::config::Config::from_lookup(|_| None).unwrap();
    let service = chorus::app::local_service_and_schema(&config, store.clone())
        .unwrap()
        .service;
    for &size in sizes {
        let owner = user(&store, &format!("owner{size}")).await;
        let leaver = user(&store, &format!("leaver{size}")).await;
        let new = NewGroup {
            name: chorus::domain::text::group_name(&format!("Club {size}")).unwrap(),
            description: None,
            visibility: Visibility::Private,
        };
        let now = chorus::domain::now();
        let g = store.create_group(&new, &owner, now).await.unwrap().value.0;
        let apply = Action::Apply { note: None };
        store
            .transition(&g.id, &leaver, &leaver, &apply, now)
            .await
            .unwrap();
        store
            .transition(&g.id, &owner, &leaver, &Action::Approve, now)
            .await
            .unwrap();
        let mut root = None;
        for i in 0..size {
            let to = match &root {
                Some(id) if i % 10 == 9 => Parent::Message(Clone::clone(id)),
                _ => Parent::Group(g.id.clone()),
            };
            let body = "a message of ordinary length, about sixty characters long.";
            let posted = big_small::post(&store, to, &leaver, body).await;
            root.get_or_insert(posted.id);
            if i % 10 == 0 {
                let theirs =
                    big_small::post(&store, Parent::Group(g.id.clone()), &owner, "hi").await;
                let react = ReactionChange {
                    message_id: theirs.id,
                    user_id: leaver.clone(),
                    key: ReactionKey::parse("👍").unwrap(),
                    add: true,
                    now: chorus::domain::now(),
                    erasure: false,
                };
                store.change_reaction(&react).await.unwrap();
            }
        }

        // The posts went to the store directly: confirm their events, as
        // the service does right after each write.
        let later = chorus::domain::now() + chrono::Duration::hours(1);
        loop {
            let pending = store.pending_events(later, 1000).await.unwrap();
            if pending.is_empty() {
                break;
            }
            let ids: Vec<_> = pending.into_iter().map(|e| e.id).collect();
            store.confirm_events(&ids).await.unwrap();
        }

        let export = DataExport::new(&leaver, chorus::domain::now());
        store
            .begin_export(&export, chorus::domain::now())
            .await
            .unwrap();
        let started = Instant::now();
        service.run_export(&export.id).await.unwrap();
        let exported = started.elapsed();
        let done = store.data_export(&export.id).await.unwrap().unwrap();
        assert_eq!(done.state, ExportState::Ready);

        let started = Instant::now();
        assert!(service
            .delete_my_account(&leaver, leaver.as_str())
            .await
            .unwrap());
        let deleted = started.elapsed();
        assert!(store.authored(&leaver, None, 1).await.unwrap().is_empty());
        assert!(store
            .reactions_by(&leaver, None, 1)
            .await
            .unwrap()
            .is_empty());
        assert!(store.pending_deletions(1).await.unwrap().is_empty());
        let per = |d: std::time::Duration| d / u32::try_from(size).unwrap();
        println!(
            "{size:>8} {exported:>14.1?} {:>12.1?} {deleted:>14.1?} {:>12.1?}",
            per(exported),
            per(deleted)
        );
    }
}

#[tokio::main]
async fn main() {
    let sizes: Vec<u64> = std::env::var("BENCH_SIZES")
        .unwrap_or_else(|_| "100,1000,5000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let sizes = &sizes;
    big_small::on_each_store(1, 1, |label, store, _| bench(label, store, sizes)).await;
}
