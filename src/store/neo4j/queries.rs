//! Every Cypher statement of chorus, loaded from `cypher/`. This is the only
//! place Cypher enters the program; values always travel as parameters.

pub const ADMIN_DELETE_EVERYTHING: &str =
    include_str!("../../../cypher/admin_delete_everything.cypher");
pub const CHILDREN_BY_SEQS: &str = include_str!("../../../cypher/children_by_seqs.cypher");
pub const GROUP_CREATE: &str = include_str!("../../../cypher/group_create.cypher");
pub const GROUP_LOCK: &str = include_str!("../../../cypher/group_lock.cypher");
pub const GROUP_MEMBER_COUNT: &str = include_str!("../../../cypher/group_member_count.cypher");
pub const GROUP_MEMBERSHIPS_BACKWARD: &str =
    include_str!("../../../cypher/group_memberships_backward.cypher");
pub const GROUP_MEMBERSHIPS_EXISTS: &str =
    include_str!("../../../cypher/group_memberships_exists.cypher");
pub const GROUP_MEMBERSHIPS_FORWARD: &str =
    include_str!("../../../cypher/group_memberships_forward.cypher");
pub const GROUP_TAKE_SEQ: &str = include_str!("../../../cypher/group_take_seq.cypher");
pub const GROUP_THREAD_SIZE: &str = include_str!("../../../cypher/group_thread_size.cypher");
pub const GROUP_UPDATE: &str = include_str!("../../../cypher/group_update.cypher");
pub const GROUPS_BY_IDS: &str = include_str!("../../../cypher/groups_by_ids.cypher");
pub const GROUPS_SEARCH_BACKWARD: &str =
    include_str!("../../../cypher/groups_search_backward.cypher");
pub const GROUPS_SEARCH_EXISTS: &str = include_str!("../../../cypher/groups_search_exists.cypher");
pub const GROUPS_SEARCH_FORWARD: &str =
    include_str!("../../../cypher/groups_search_forward.cypher");
pub const MEMBERSHIP_PUT: &str = include_str!("../../../cypher/membership_put.cypher");
pub const MEMBERSHIPS_BY_KEYS: &str = include_str!("../../../cypher/memberships_by_keys.cypher");
pub const MEMBERSHIPS_OF_USERS: &str = include_str!("../../../cypher/memberships_of_users.cypher");
pub const MESSAGE_ANCESTORS: &str = include_str!("../../../cypher/message_ancestors.cypher");
pub const MESSAGE_BY_IDEM_KEY: &str = include_str!("../../../cypher/message_by_idem_key.cypher");
pub const MESSAGE_CREATE_REPLY: &str = include_str!("../../../cypher/message_create_reply.cypher");
pub const MESSAGE_CREATE_TOP: &str = include_str!("../../../cypher/message_create_top.cypher");
pub const MESSAGE_LOCK: &str = include_str!("../../../cypher/message_lock.cypher");
pub const MESSAGE_TAKE_SEQ: &str = include_str!("../../../cypher/message_take_seq.cypher");
pub const MESSAGE_UPDATE: &str = include_str!("../../../cypher/message_update.cypher");
pub const MESSAGES_BY_IDS: &str = include_str!("../../../cypher/messages_by_ids.cypher");
pub const USER_MEMBERSHIPS_BACKWARD: &str =
    include_str!("../../../cypher/user_memberships_backward.cypher");
pub const USER_MEMBERSHIPS_EXISTS: &str =
    include_str!("../../../cypher/user_memberships_exists.cypher");
pub const USER_MEMBERSHIPS_FORWARD: &str =
    include_str!("../../../cypher/user_memberships_forward.cypher");
pub const USER_UPSERT: &str = include_str!("../../../cypher/user_upsert.cypher");
pub const USERS_BY_IDS: &str = include_str!("../../../cypher/users_by_ids.cypher");

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
];
