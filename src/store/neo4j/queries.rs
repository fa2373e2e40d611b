//! Every Cypher statement of chorus, loaded from `cypher/`. This is the only
//! place Cypher enters the program; values always travel as parameters.
//! Each statement carries its file name, which names its span.

use neo4rs::BoltType;

/// A statement of `cypher/` and its file name.
#[derive(Clone, Copy)]
pub struct Statement {
    pub name: &'static str,
    pub text: &'static str,
}

impl Statement {
    pub fn query(self) -> Named {
        Named {
            name: self.name,
            query: neo4rs::query(self.text),
        }
    }
}

/// A statement with its parameters, ready to run.
pub struct Named {
    pub name: &'static str,
    pub query: neo4rs::Query,
}

impl Named {
    pub fn param<T: Into<BoltType>>(mut self, key: &str, value: T) -> Self {
        self.query = self.query.param(key, value);
        self
    }
}

macro_rules! statements {
    ($($name:ident = $file:literal;)*) => {
        $(pub const $name: Statement = Statement {
            name: $file,
            text: include_str!(concat!("../../../cypher/", $file, ".cypher")),
        };)*
    };
}

statements! {
    DELETION_OF_USER = "deletion_of_user";
    UPLOADS_OF_OWNER = "uploads_of_owner";
    DELETION_BEGIN = "deletion_begin";
    USER_BLANK = "user_blank";
    DELETIONS_PENDING = "deletions_pending";
    DELETION_THREAD_RECENT = "deletion_thread_recent";
    DELETION_PARTICIPATIONS = "deletion_participations";
    DELETION_REPORTS_REPORTER = "deletion_reports_reporter";
    DELETION_REPORTS_AUTHOR = "deletion_reports_author";
    DELETION_FORGET = "deletion_forget";
    MEMBERSHIPS_OF_USER = "memberships_of_user";
    MESSAGES_AUTHORED = "messages_authored";
    REACTIONS_BY_USER = "reactions_by_user";
    BOTS_OF_CREATOR = "bots_of_creator";
    EXPORT_SLOT_LOCK = "export_slot_lock";
    EXPORTS_OF_USER = "exports_of_user";
    EXPORT_PUT = "export_put";
    EXPORTS_BY_IDS = "exports_by_ids";
    EXPORTS_PENDING = "exports_pending";
    ADMIN_DELETE_EVERYTHING = "admin_delete_everything";
    ATTACHMENT_CLAIM = "attachment_claim";
    ATTACHMENT_PUT = "attachment_put";
    ATTACHMENT_RELEASE = "attachment_release";
    ATTACHMENTS_BY_IDS = "attachments_by_ids";
    ATTACHMENTS_DELETE = "attachments_delete";
    ATTACHMENTS_KEEP = "attachments_keep";
    ATTACHMENTS_UNSWEPT = "attachments_unswept";
    BOT_BY_HOOK = "bot_by_hook";
    BOT_BY_KEY = "bot_by_key";
    BOT_CREATE = "bot_create";
    BOT_LOCK = "bot_lock";
    BOT_MARK_USED = "bot_mark_used";
    BOT_REVOKE_OF_USER = "bot_revoke_of_user";
    BOT_UPDATE = "bot_update";
    BOTS_BY_IDS = "bots_by_ids";
    BOTS_DISABLE_OF_CREATOR = "bots_disable_of_creator";
    BOTS_LIVE_OF_GROUP = "bots_live_of_group";
    BOTS_OF_GROUP = "bots_of_group";
    CHILDREN_BY_SEQS = "children_by_seqs";
    GROUP_CREATE = "group_create";
    GROUP_LOCK = "group_lock";
    GROUP_MEMBER_COUNT = "group_member_count";
    GROUP_PINS = "group_pins";
    GROUP_MEMBERSHIPS_BACKWARD = "group_memberships_backward";
    GROUP_MEMBERSHIPS_EXISTS = "group_memberships_exists";
    GROUP_MEMBERSHIPS_FORWARD = "group_memberships_forward";
    GROUP_ACCESS = "group_access";
    GROUP_REPORTS_BACKWARD = "group_reports_backward";
    GROUP_REPORTS_EXISTS = "group_reports_exists";
    GROUP_REPORTS_FORWARD = "group_reports_forward";
    GROUP_THREAD_SIZE = "group_thread_size";
    GROUP_UPDATE = "group_update";
    GROUPS_BY_IDS = "groups_by_ids";
    GROUPS_SEARCH = "groups_search";
    MEMBERSHIP_PUT = "membership_put";
    MEMBERSHIP_MARK_READ = "membership_mark_read";
    MEMBERSHIP_SET_LEVEL = "membership_set_level";
    MEMBERS_AMONG = "members_among";
    READ_STATES_BY_KEYS = "read_states_by_keys";
    UNREAD_SUMMARIES = "unread_summaries";
    MEMBERSHIPS_BY_KEYS = "memberships_by_keys";
    MEMBERSHIPS_OF_USERS = "memberships_of_users";
    MESSAGE_ACCESS = "message_access";
    MESSAGE_ANCESTORS = "message_ancestors";
    MESSAGE_BY_IDEM_KEY = "message_by_idem_key";
    MESSAGE_LOCK = "message_lock";
    MESSAGE_REACH = "message_reach";
    MESSAGE_SEND_REPLY = "message_send_reply";
    MESSAGE_SEND_TOP = "message_send_top";
    MESSAGE_UPDATE = "message_update";
    MESSAGES_BY_IDS = "messages_by_ids";
    MESSAGES_SEARCH = "messages_search";
    MODERATION_LOG_BACKWARD = "moderation_log_backward";
    MODERATION_LOG_EXISTS = "moderation_log_exists";
    MODERATION_LOG_FORWARD = "moderation_log_forward";
    MODERATION_LOG_PUT = "moderation_log_put";
    MY_THREADS_BACKWARD = "my_threads_backward";
    MY_THREADS_EXISTS = "my_threads_exists";
    MY_THREADS_FORWARD = "my_threads_forward";
    OUTBOX_CONFIRM = "outbox_confirm";
    OUTBOX_PENDING = "outbox_pending";
    OUTBOX_PRUNE = "outbox_prune";
    OUTBOX_PUT = "outbox_put";
    PARTICIPATIONS_BY_IDS = "participations_by_ids";
    PIN_CONTEXT = "pin_context";
    PIN_WRITE = "pin_write";
    REACTION_ADD = "reaction_add";
    REACTION_HELD = "reaction_held";
    REACTION_REMOVE = "reaction_remove";
    REACTIONS_OF_USER = "reactions_of_user";
    REACTORS_BACKWARD = "reactors_backward";
    REACTORS_EXISTS = "reactors_exists";
    REACTORS_FORWARD = "reactors_forward";
    REPORT_BY_REPORTER = "report_by_reporter";
    REPORT_CREATE = "report_create";
    REPORT_LOCK = "report_lock";
    REPORT_RESOLVE = "report_resolve";
    REPORTS_BY_IDS = "reports_by_ids";
    SEARCH_INDEX_GROUPS = "search_index_groups";
    SEARCH_INDEX_MESSAGES = "search_index_messages";
    SEARCH_UNINDEXED_GROUPS = "search_unindexed_groups";
    SEARCH_UNINDEXED_MESSAGES = "search_unindexed_messages";
    SEEN_BY_EXISTS = "seen_by_exists";
    SEEN_BY_FORWARD = "seen_by_forward";
    SEND_CONTEXT = "send_context";
    THREADS_BY_IDS = "threads_by_ids";
    USER_MEMBERSHIPS_BACKWARD = "user_memberships_backward";
    USER_MEMBERSHIPS_EXISTS = "user_memberships_exists";
    USER_MEMBERSHIPS_FORWARD = "user_memberships_forward";
    USER_MARK_SEEN = "user_mark_seen";
    USER_SET_PRESENCE = "user_set_presence";
    USER_UPSERT = "user_upsert";
    USERS_BY_IDS = "users_by_ids";
    USERS_SHARING_A_GROUP = "users_sharing_a_group";
    WEBHOOK_BY_ID = "webhook_by_id";
    WEBHOOK_COUNT_OF_GROUP = "webhook_count_of_group";
    WEBHOOK_CREATE = "webhook_create";
    WEBHOOK_DELETE = "webhook_delete";
    WEBHOOK_DELIVERIES = "webhook_deliveries";
    WEBHOOK_LOCK = "webhook_lock";
    WEBHOOK_SAVE = "webhook_save";
    WEBHOOKS_DISABLE_OF_CREATOR = "webhooks_disable_of_creator";
    WEBHOOKS_OF_GROUP = "webhooks_of_group";
}

/// Constraints and indexes, applied in order by `migrate` (each is
/// `IF NOT EXISTS`, so applying them again changes nothing).
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "001_user_id",
        include_str!("../../../cypher/schema/001_user_id.cypher"),
    ),
    (
        "002_group_id",
        include_str!("../../../cypher/schema/002_group_id.cypher"),
    ),
    (
        "003_message_id",
        include_str!("../../../cypher/schema/003_message_id.cypher"),
    ),
    (
        "004_message_idem_key",
        include_str!("../../../cypher/schema/004_message_idem_key.cypher"),
    ),
    (
        "005_message_thread",
        include_str!("../../../cypher/schema/005_message_thread.cypher"),
    ),
    (
        "006_group_name_key",
        include_str!("../../../cypher/schema/006_group_name_key.cypher"),
    ),
    (
        "007_outbox_event_id",
        include_str!("../../../cypher/schema/007_outbox_event_id.cypher"),
    ),
    (
        "008_outbox_occurred_at",
        include_str!("../../../cypher/schema/008_outbox_occurred_at.cypher"),
    ),
    (
        "009_bot_id",
        include_str!("../../../cypher/schema/009_bot_id.cypher"),
    ),
    (
        "010_bot_key_hash",
        include_str!("../../../cypher/schema/010_bot_key_hash.cypher"),
    ),
    (
        "011_bot_group",
        include_str!("../../../cypher/schema/011_bot_group.cypher"),
    ),
    (
        "012_bot_hook_id",
        include_str!("../../../cypher/schema/012_bot_hook_id.cypher"),
    ),
    (
        "013_webhook_id",
        include_str!("../../../cypher/schema/013_webhook_id.cypher"),
    ),
    (
        "014_webhook_group",
        include_str!("../../../cypher/schema/014_webhook_group.cypher"),
    ),
    (
        "015_reaction_id",
        include_str!("../../../cypher/schema/015_reaction_id.cypher"),
    ),
    (
        "016_reaction_holder",
        include_str!("../../../cypher/schema/016_reaction_holder.cypher"),
    ),
    (
        "017_reaction_list",
        include_str!("../../../cypher/schema/017_reaction_list.cypher"),
    ),
    (
        "018_participation_id",
        include_str!("../../../cypher/schema/018_participation_id.cypher"),
    ),
    (
        "019_participation_root",
        include_str!("../../../cypher/schema/019_participation_root.cypher"),
    ),
    (
        "020_participation_activity",
        include_str!("../../../cypher/schema/020_participation_activity.cypher"),
    ),
    (
        "021_participation_group_activity",
        include_str!("../../../cypher/schema/021_participation_group_activity.cypher"),
    ),
    (
        "022_membership_read_key",
        include_str!("../../../cypher/schema/022_membership_read_key.cypher"),
    ),
    (
        "023_backfill_read_keys",
        include_str!("../../../cypher/schema/023_backfill_read_keys.cypher"),
    ),
    (
        "024_backfill_threads",
        include_str!("../../../cypher/schema/024_backfill_threads.cypher"),
    ),
    (
        "025_backfill_participations",
        include_str!("../../../cypher/schema/025_backfill_participations.cypher"),
    ),
    (
        "026_attachment_id",
        include_str!("../../../cypher/schema/026_attachment_id.cypher"),
    ),
    (
        "027_attachment_created",
        include_str!("../../../cypher/schema/027_attachment_created.cypher"),
    ),
    (
        "028_message_search",
        include_str!("../../../cypher/schema/028_message_search.cypher"),
    ),
    (
        "029_group_search",
        include_str!("../../../cypher/schema/029_group_search.cypher"),
    ),
    (
        "030_moderation_entry",
        include_str!("../../../cypher/schema/030_moderation_entry.cypher"),
    ),
    (
        "031_report_id",
        include_str!("../../../cypher/schema/031_report_id.cypher"),
    ),
    (
        "032_report_reporter",
        include_str!("../../../cypher/schema/032_report_reporter.cypher"),
    ),
    (
        "033_report_group",
        include_str!("../../../cypher/schema/033_report_group.cypher"),
    ),
    (
        "034_message_author",
        include_str!("../../../cypher/schema/034_message_author.cypher"),
    ),
    (
        "035_reaction_user",
        include_str!("../../../cypher/schema/035_reaction_user.cypher"),
    ),
    (
        "036_deletion_user",
        include_str!("../../../cypher/schema/036_deletion_user.cypher"),
    ),
    (
        "037_export_id",
        include_str!("../../../cypher/schema/037_export_id.cypher"),
    ),
    (
        "038_export_user",
        include_str!("../../../cypher/schema/038_export_user.cypher"),
    ),
    (
        "039_export_slot_user",
        include_str!("../../../cypher/schema/039_export_slot_user.cypher"),
    ),
    (
        "040_attachment_owner",
        include_str!("../../../cypher/schema/040_attachment_owner.cypher"),
    ),
];
