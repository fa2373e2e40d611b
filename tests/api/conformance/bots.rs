//! Bots on every store: created by admins as MEMBERs with a key kept only
//! as a digest, rotated and revoked atomically.

use super::{admit, group, user, DynStore};
use chorus::auth::api_key;
use chorus::domain::bot::{BotChange, NewBot};
use chorus::domain::membership::MembershipState;
use chorus::domain::DomainError;
use chorus::store::StoreError;
use chrono::Utc;

pub fn new_bot(group: &chorus::domain::GroupId, by: &chorus::domain::UserId) -> (String, NewBot) {
    let (key, digest) = api_key::generate().unwrap();
    let bot = NewBot::new(group.clone(), "Deploy bot", by.clone(), digest, Utc::now()).unwrap();
    (key, bot)
}

async fn members(store: &DynStore, group: &chorus::domain::GroupId) -> u64 {
    let groups = store.groups(std::slice::from_ref(group)).await.unwrap();
    groups[0].member_count
}

pub async fn admins_create_bots_that_join_as_members_and_are_found_by_key(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Ops").await;
    let (key, new) = new_bot(&g.id, &owner);
    let created = store.create_bot(&new).await.unwrap();
    let (bot, membership) = created.value;
    assert_eq!(membership.state, MembershipState::Member);
    assert_eq!(membership.user_id, bot.user_id);
    assert_eq!(created.events.len(), 1, "the bot's joining is announced");
    assert_eq!(members(&store, &g.id).await, 2);
    let users = store
        .users(std::slice::from_ref(&bot.user_id))
        .await
        .unwrap();
    assert_eq!(users[0].name, "Deploy bot");

    let digest = api_key::digest(&key).unwrap();
    let found = store.bot_by_key(&digest.hash).await.unwrap().unwrap();
    assert_eq!(found, bot);
    let (other, _) = api_key::generate().unwrap();
    let unknown = api_key::digest(&other).unwrap();
    assert!(store.bot_by_key(&unknown.hash).await.unwrap().is_none());
    assert_eq!(store.group_bots(&g.id).await.unwrap(), vec![bot.clone()]);
    assert_eq!(
        store.bots(std::slice::from_ref(&bot.id)).await.unwrap(),
        vec![bot]
    );
}

pub async fn only_admins_create_and_change_bots(store: DynStore) {
    let owner = user(&store, "owner").await;
    let member = user(&store, "member").await;
    let g = group(&store, &owner, "Ops").await;
    admit(&store, &g.id, &owner, &member).await;
    let (_, new) = new_bot(&g.id, &member);
    let refused = store.create_bot(&new).await.unwrap_err();
    assert!(matches!(
        refused,
        StoreError::Rejected(DomainError::Forbidden(_))
    ));
    assert!(store.group_bots(&g.id).await.unwrap().is_empty());
    assert_eq!(members(&store, &g.id).await, 2);

    let (_, new) = new_bot(&g.id, &owner);
    let bot = store.create_bot(&new).await.unwrap().value.0;
    let refused = store
        .change_bot(&bot.id, &member, &BotChange::Revoke, Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(
        refused,
        StoreError::Rejected(DomainError::Forbidden(_))
    ));
    assert!(store.bots(&[bot.id]).await.unwrap()[0].revoked_at.is_none());
}

pub async fn a_rotated_key_stops_matching_and_a_revoked_bot_leaves(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Ops").await;
    let (old_key, new) = new_bot(&g.id, &owner);
    let bot = store.create_bot(&new).await.unwrap().value.0;
    let (new_key, digest) = api_key::generate().unwrap();
    let rotated = store
        .change_bot(
            &bot.id,
            &owner,
            &BotChange::Rekey(digest.clone()),
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(rotated.value.key_prefix, digest.prefix);
    assert!(rotated.events.is_empty());
    let old = api_key::digest(&old_key).unwrap();
    assert!(
        store.bot_by_key(&old.hash).await.unwrap().is_none(),
        "old key refused"
    );
    let new = api_key::digest(&new_key).unwrap();
    assert!(store.bot_by_key(&new.hash).await.unwrap().is_some());

    let revoked = store
        .change_bot(&bot.id, &owner, &BotChange::Revoke, Utc::now())
        .await
        .unwrap();
    assert!(revoked.value.revoked_at.is_some());
    assert_eq!(revoked.events.len(), 1, "the bot's leaving is announced");
    assert!(
        store.bot_by_key(&new.hash).await.unwrap().is_none(),
        "revoked"
    );
    let membership = store
        .memberships(&[(g.id.clone(), bot.user_id.clone())])
        .await
        .unwrap();
    assert_eq!(membership[0].state, MembershipState::Left);
    assert_eq!(members(&store, &g.id).await, 1);

    let again = store
        .change_bot(&bot.id, &owner, &BotChange::Revoke, Utc::now())
        .await
        .unwrap();
    assert!(again.events.is_empty(), "revoking twice changes nothing");
    assert_eq!(again.value.revoked_at, revoked.value.revoked_at);
    assert_eq!(members(&store, &g.id).await, 1);
    let (_, digest) = api_key::generate().unwrap();
    let refused = store
        .change_bot(&bot.id, &owner, &BotChange::Rekey(digest), Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(
        refused,
        StoreError::Rejected(DomainError::Conflict(_))
    ));
}

pub async fn a_use_is_marked_at_most_once_a_minute(store: DynStore) {
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Ops").await;
    let (_, new) = new_bot(&g.id, &owner);
    let bot = store.create_bot(&new).await.unwrap().value.0;
    let first = chorus::domain::now();
    store.mark_bot_used(&bot.id, first).await.unwrap();
    let soon = first + chrono::Duration::seconds(30);
    store.mark_bot_used(&bot.id, soon).await.unwrap();
    let seen = store
        .bots(std::slice::from_ref(&bot.id))
        .await
        .unwrap()
        .remove(0);
    assert_eq!(seen.last_used_at, Some(first));
    let later = first + chrono::Duration::seconds(61);
    store.mark_bot_used(&bot.id, later).await.unwrap();
    let seen = store.bots(&[bot.id]).await.unwrap().remove(0);
    assert_eq!(seen.last_used_at, Some(later));
}

/// An admin with a bot and an outgoing webhook of their own in `g`, and
/// the digest of the bot's key.
async fn admin_with_integrations(
    store: &DynStore,
    g: &chorus::domain::GroupId,
    owner: &chorus::domain::UserId,
    admin: &chorus::domain::UserId,
) -> (
    chorus::domain::bot::Bot,
    String,
    chorus::domain::webhook::Webhook,
) {
    use chorus::domain::event::EventKind;
    use chorus::domain::membership::{Action, Role};
    use chorus::domain::webhook::{Webhook, WebhookSecret};
    admit(store, g, owner, admin).await;
    store
        .transition(g, owner, admin, &Action::SetRole(Role::Admin), Utc::now())
        .await
        .unwrap();
    let (key, new) = new_bot(g, admin);
    let bot = store.create_bot(&new).await.unwrap().value.0;
    let webhook = Webhook::new(
        g.clone(),
        "https://hooks.example.com/in".into(),
        &[EventKind::MessagePosted],
        admin.clone(),
        WebhookSecret("whsec_c2VjcmV0".into()),
        chorus::domain::now(),
    )
    .unwrap();
    store.create_webhook(&webhook, None).await.unwrap();
    (bot, api_key::digest(&key).unwrap().hash, webhook)
}

pub async fn integrations_are_disabled_when_their_creator_loses_admin_and_owners_re_enable(
    store: DynStore,
) {
    use chorus::domain::membership::{Action, Role};
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Ops").await;
    for (name, action) in [
        ("demoted", Action::SetRole(Role::Member)),
        ("removed", Action::Remove),
        (
            "banned",
            Action::Ban {
                until: None,
                reason: None,
            },
        ),
    ] {
        let admin = user(&store, name).await;
        let (bot, key, webhook) = admin_with_integrations(&store, &g.id, &owner, &admin).await;
        assert!(store.bot_by_key(&key).await.unwrap().is_some());
        store
            .transition(&g.id, &owner, &admin, &action, Utc::now())
            .await
            .unwrap();
        assert!(
            store.bot_by_key(&key).await.unwrap().is_none(),
            "{name}: the key no longer signs in"
        );
        let stored = store.bots(std::slice::from_ref(&bot.id)).await.unwrap();
        let reason = stored[0].disabled_reason.clone();
        assert!(
            reason.as_deref().is_some_and(|r| r.contains("creator")),
            "{name}: {reason:?}"
        );
        assert!(
            stored[0].revoked_at.is_none(),
            "{name}: disabled, not revoked"
        );
        let hooks = store.group_webhooks(&g.id).await.unwrap();
        let hook = hooks.iter().find(|w| w.id == webhook.id).unwrap();
        assert!(!hook.enabled, "{name}: the webhook is disabled");
        assert_eq!(hook.disabled_reason, reason, "{name}");

        let enabled = store
            .change_bot(&bot.id, &owner, &BotChange::Enable, Utc::now())
            .await
            .unwrap()
            .value;
        assert_eq!(enabled.disabled_reason, None);
        assert!(
            store.bot_by_key(&key).await.unwrap().is_some(),
            "{name}: enabled again"
        );
    }
    // The owner's own integrations and other admins' are untouched.
    let other = user(&store, "other").await;
    let (_, key, _) = admin_with_integrations(&store, &g.id, &owner, &other).await;
    let bystander = user(&store, "bystander").await;
    admit(&store, &g.id, &owner, &bystander).await;
    store
        .transition(&g.id, &owner, &bystander, &Action::Remove, Utc::now())
        .await
        .unwrap();
    assert!(store.bot_by_key(&key).await.unwrap().is_some());
}

pub async fn a_bot_removed_from_its_group_is_revoked(store: DynStore) {
    use chorus::domain::membership::Action;
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Ops").await;
    let (key, new) = new_bot(&g.id, &owner);
    let bot = store.create_bot(&new).await.unwrap().value.0;
    let hash = api_key::digest(&key).unwrap().hash;
    store
        .transition(&g.id, &owner, &bot.user_id, &Action::Remove, Utc::now())
        .await
        .unwrap();
    assert!(store.bot_by_key(&hash).await.unwrap().is_none());
    let stored = store.bots(std::slice::from_ref(&bot.id)).await.unwrap();
    assert!(stored[0].revoked_at.is_some(), "{stored:?}");
}

pub async fn a_group_holds_at_most_twenty_live_bots_and_twenty_hooks(store: DynStore) {
    use chorus::domain::bot::MAX_PER_GROUP;
    let owner = user(&store, "owner").await;
    let g = group(&store, &owner, "Ops").await;
    let mut first = None;
    for _ in 0..MAX_PER_GROUP {
        let (_, new) = new_bot(&g.id, &owner);
        let bot = store.create_bot(&new).await.unwrap().value.0;
        first.get_or_insert(bot.id);
    }
    let (_, over) = new_bot(&g.id, &owner);
    let refused = store.create_bot(&over).await.unwrap_err();
    assert!(
        matches!(refused, StoreError::Rejected(DomainError::Conflict(_))),
        "{refused:?}"
    );
    // Hooks are counted apart.
    let (_, mut hook) = new_bot(&g.id, &owner);
    hook.hook = Some((chorus::domain::ids::HookId::generate(), "digest".into()));
    store.create_bot(&hook).await.unwrap();
    // A revoked bot frees its place.
    let first = first.unwrap();
    store
        .change_bot(&first, &owner, &BotChange::Revoke, Utc::now())
        .await
        .unwrap();
    store.create_bot(&over).await.unwrap();
    assert_eq!(members(&store, &g.id).await, 1 + MAX_PER_GROUP as u64 + 1);
}
