//! One request's memo of access checks. The resolvers of one query ask the
//! same question many times (may this viewer read this group?):
//! `message(id) { replies }` twice, a page of messages with their replies
//! once per message. A request that runs inside [`scoped`] (the HTTP
//! layer runs each GraphQL request so) keeps each result for the rest of
//! it; every write through the service ends in `Service::announce`, which
//! forgets them all, so what a mutation returns is read with what it
//! changed. Outside a scope (a socket subscription lives for hours) nothing
//! is kept.

use crate::domain::group::Group;
use crate::domain::membership::Membership;
use crate::domain::{GroupId, UserId};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::future::Future;

type Access = (Group, Option<Membership>);

#[derive(Default)]
struct AccessMemo(Mutex<HashMap<(GroupId, UserId), Access>>);

tokio::task_local! {
    static MEMO: AccessMemo;
}

/// Runs one request (`fut`) with a memo of its own.
pub async fn scoped<F: Future>(fut: F) -> F::Output {
    MEMO.scope(AccessMemo::default(), fut).await
}

pub(super) fn recall(group: &GroupId, user: &UserId) -> Option<Access> {
    let key = (group.clone(), user.clone());
    MEMO.try_with(|memo| memo.0.lock().get(&key).cloned())
        .ok()
        .flatten()
}

pub(super) fn keep(group: &GroupId, user: &UserId, access: &Access) {
    let _ = MEMO.try_with(|memo| {
        memo.0
            .lock()
            .insert((group.clone(), user.clone()), access.clone())
    });
}

/// After a write: what was kept may have changed.
pub(super) fn forget() {
    let _ = MEMO.try_with(|memo| memo.0.lock().clear());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(name: &str) -> Access {
        let group = Group {
            id: GroupId::parse("g_1").unwrap(),
            name: name.into(),
            description: None,
            visibility: crate::domain::group::Visibility::Private,
            created_at: chrono::Utc::now(),
            member_count: 1,
        };
        (group, None)
    }

    #[tokio::test]
    async fn answers_are_kept_inside_a_scope_until_a_write_and_never_outside() {
        let (g, u) = (GroupId::parse("g_1").unwrap(), UserId::parse("u").unwrap());
        keep(&g, &u, &access("outside"));
        assert!(recall(&g, &u).is_none(), "no scope, nothing kept");
        scoped(async {
            keep(&g, &u, &access("inside"));
            assert_eq!(recall(&g, &u).unwrap().0.name, "inside");
            forget();
            assert!(recall(&g, &u).is_none(), "a write forgets");
        })
        .await;
        scoped(async { assert!(recall(&g, &u).is_none(), "each request its own") }).await;
    }
}
