//! What the benches that go through the schema share: a group to read and
//! write in, and percentiles of their samples.

use chorus::domain::group::{Group, NewGroup, Visibility};
use chorus::domain::membership::Action;
use chorus::domain::user::Profile;
use chorus::domain::UserId;
use chorus::store::Store;
use std::time::Duration;

/// A private group of `n` users (`u0` its owner, the rest members).
pub async fn club(store: &dyn Store, n: usize) -> (Group, Vec<UserId>) {
    let now = chorus::domain::now();
    let users: Vec<UserId> = (0..n)
        .map(|i| UserId::parse(&format!("u{i}")).unwrap())
        .collect();
    for user in &users {
        let profile = Profile {
            id: user.clone(),
            name: format!("{user} name"),
            email: None,
            picture_url: None,
        };
        store.upsert_user(&profile, now).await.unwrap();
    }
    let new = NewGroup {
        name: chorus::domain::text::group_name("Bench").unwrap(),
        description: None,
        visibility: Visibility::Private,
    };
    let (group, _) = store
        .create_group(&new, &users[0], now)
        .await
        .unwrap()
        .value;
    for user in &users[1..] {
        let apply = Action::Apply { note: None };
        store
            .transition(&group.id, user, user, &apply, now)
            .await
            .unwrap();
        store
            .transition(&group.id, &users[0], user, &Action::Approve, now)
            .await
            .unwrap();
    }
    (group, users)
}

/// The `p`-th percentile of `samples` (sorts them).
pub fn percentile(samples: &mut [Duration], p: usize) -> Duration {
    samples.sort_unstable();
    samples[samples.len() * p / 100]
}
