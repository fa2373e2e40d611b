//! The store conformance suite: written once against the `Store` trait and
//! run against every implementation. `conformance_suite!(name, factory)`
//! instantiates every case for a store built by `factory().await`.

pub mod accounts;
pub mod attachments;
pub mod bots;
pub mod concurrency;
pub mod groups;
pub mod messages;
pub mod moderation;
pub mod outbox;
pub mod pins;
pub mod reactions;
pub mod reading;
pub mod search;
pub mod threads;
pub mod webhooks;

use chorus::domain::group::{Group, NewGroup, Visibility};
use chorus::domain::membership::Action;
use chorus::domain::page::PageRequest;
use chorus::domain::user::Profile;
use chorus::domain::{GroupId, UserId};
use chorus::store::Store;
use chrono::Utc;
use std::sync::Arc;

pub type DynStore = Arc<dyn Store>;

pub fn uid(s: &str) -> UserId {
    UserId::parse(s).unwrap()
}

pub async fn user(store: &DynStore, id: &str) -> UserId {
    let profile = Profile {
        id: uid(id),
        name: format!("{id} name"),
        email: None,
        picture_url: None,
    };
    store.upsert_user(&profile, Utc::now()).await.unwrap();
    profile.id
}

pub async fn group(store: &DynStore, owner: &UserId, name: &str) -> Group {
    let new = NewGroup {
        name: chorus::domain::text::group_name(name).unwrap(),
        description: None,
        visibility: Visibility::Private,
    };
    store
        .create_group(&new, owner, Utc::now())
        .await
        .unwrap()
        .value
        .0
}

/// Applies and approves `member` into `group` (owned by `owner`).
pub async fn admit(store: &DynStore, group: &GroupId, owner: &UserId, member: &UserId) {
    let now = Utc::now();
    store
        .transition(group, member, member, &Action::Apply { note: None }, now)
        .await
        .unwrap();
    store
        .transition(group, owner, member, &Action::Approve, now)
        .await
        .unwrap();
}

pub fn forward<K>(after: Option<K>, limit: usize) -> PageRequest<K> {
    PageRequest::Forward { after, limit }
}

pub fn backward<K>(before: Option<K>, limit: usize) -> PageRequest<K> {
    PageRequest::Backward { before, limit }
}

macro_rules! conformance_suite {
    ($name:ident, $factory:expr) => {
        mod $name {
            use crate::conformance::{
                accounts, attachments, bots, concurrency, groups, messages, moderation, outbox,
                pins, reactions, reading, search, threads, webhooks,
            };

            macro_rules! case {
                ($module:ident :: $case:ident) => {
                    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                    async fn $case() {
                        let Some((store, _keep)) = $factory().await else {
                            return;
                        };
                        $module::$case(store).await
                    }
                };
            }

            case!(groups::upserting_a_user_creates_then_refreshes_the_profile);
            case!(groups::creating_a_group_makes_the_creator_its_owning_member);
            case!(groups::updating_a_group_changes_only_the_given_fields);
            case!(groups::group_search_finds_names_and_descriptions_folded_and_by_prefix);
            case!(search::candidates_are_the_scopes_own_whatever_other_groups_hold);
            case!(accounts::a_deletion_moves_messages_to_its_ghost_and_finishes_once);
            case!(accounts::erasing_memberships_withdraws_and_leaves_but_keeps_bans);
            case!(accounts::a_users_reactions_and_bots_are_listed_for_export_and_deletion);
            case!(accounts::one_export_a_day_holds_under_concurrent_requests);
            case!(accounts::a_users_stray_uploads_are_listed_and_claimed_ones_are_not);
            case!(accounts::an_erasure_removes_reactions_in_groups_left_and_on_deleted_messages);
            case!(moderation::timed_mutes_and_bans_end_at_their_instant_with_no_job);
            case!(moderation::reports_are_one_per_reporter_and_resolved_once);
            case!(moderation::slow_mode_lets_one_post_per_window_under_concurrency);
            case!(groups::transitions_follow_the_state_machine_and_keep_member_count);
            case!(groups::refused_transitions_change_nothing);
            case!(groups::member_lists_page_in_both_directions);
            case!(groups::user_memberships_list_only_active_memberships);
            case!(groups::missing_groups_are_not_found);
            case!(messages::top_level_messages_and_replies_get_their_parents_next_seq);
            case!(messages::ancestors_run_from_root_to_parent);
            case!(messages::threads_page_forward_and_backward_with_exact_flags);
            case!(messages::a_client_message_id_is_honoured_once_per_author_and_group);
            case!(messages::edits_and_deletes_keep_the_tree);
            case!(messages::replies_to_deleted_or_missing_messages_are_refused);
            case!(messages::sends_by_non_members_are_forbidden_and_change_nothing);
            case!(concurrency::concurrent_replies_get_gap_free_seq_and_exact_reply_count);
            case!(concurrency::concurrent_sends_with_one_client_id_make_one_message);
            case!(concurrency::concurrent_approve_and_reject_have_one_winner);
            case!(concurrency::concurrent_top_level_posts_get_gap_free_seq);
            case!(outbox::every_write_records_its_events_until_confirmed);
            case!(outbox::an_ownership_transfer_records_both_memberships);
            case!(outbox::concurrent_sends_with_one_client_id_record_one_event);
            case!(outbox::a_send_records_the_member_count_it_saw);
            case!(outbox::pruning_keeps_what_is_still_pending);
            case!(bots::admins_create_bots_that_join_as_members_and_are_found_by_key);
            case!(bots::only_admins_create_and_change_bots);
            case!(bots::a_rotated_key_stops_matching_and_a_revoked_bot_leaves);
            case!(bots::a_use_is_marked_at_most_once_a_minute);
            case!(
                bots::integrations_are_disabled_when_their_creator_loses_admin_and_owners_re_enable
            );
            case!(bots::a_bot_removed_from_its_group_is_revoked);
            case!(bots::a_group_holds_at_most_twenty_live_bots_and_twenty_hooks);
            case!(webhooks::webhooks_are_registered_listed_changed_and_deleted);
            case!(webhooks::the_last_hundred_attempts_are_kept_in_order);
            case!(webhooks::concurrent_exhausted_events_disable_exactly_once);
            case!(webhooks::concurrent_registrations_stop_at_the_groups_cap);
            case!(reading::unread_counts_follow_markers_posts_and_mentions);
            case!(reading::markers_refuse_other_groups_and_non_members);
            case!(reading::concurrent_posts_while_markers_move_stay_exact);
            case!(reading::seen_by_follows_markers_and_leaves_out_the_author);
            case!(reading::last_seen_is_written_once_a_minute_and_sharers_are_members_together);
            case!(reactions::concurrent_identical_adds_count_once_and_announce_once);
            case!(reactions::racing_for_the_twenty_first_key_leaves_exactly_twenty);
            case!(reactions::counts_follow_removes_and_reactors_page);
            case!(reactions::deleted_messages_and_non_members_are_refused);
            case!(attachments::a_message_keeps_its_claimed_files_until_deleted);
            case!(attachments::a_claim_is_all_or_nothing_and_wins_once);
            case!(attachments::sweeps_see_old_uploads_until_kept);
            case!(pins::admins_pin_in_order_and_repeats_and_deletes_behave);
            case!(pins::concurrent_pins_stop_at_the_groups_cap);
            case!(threads::concurrent_replies_at_random_depths_keep_the_summary_exact);
            case!(threads::my_threads_follow_last_activity);
        }
    };
}

/// A store for one case, and whatever must live as long as the case.
pub type Fixture = (DynStore, Box<dyn std::any::Any + Send>);

async fn memory_store() -> Option<Fixture> {
    let store = Arc::new(chorus::store::memory::MemoryStore::new());
    Some((store, Box::new(())))
}

/// `None` (the case skipped) without a Bolt server.
async fn neo4j_store() -> Option<Fixture> {
    if crate::skip::without_bolt("conformance::neo4j") {
        return None;
    }
    let under_test = chorus_testkit::neo4j::neo4j_store().await;
    Some((under_test.store.clone(), Box::new(under_test)))
}

conformance_suite!(memory, crate::conformance::memory_store);
conformance_suite!(neo4j, crate::conformance::neo4j_store);
