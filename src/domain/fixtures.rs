//! Values the domain's unit tests build again and again.

use super::membership::{Membership, MembershipState, Role};
use super::message::{Message, NewMessage, Parent};
use super::{GroupId, MessageId, UserId};
use chrono::Utc;

/// `user`'s membership of group `g_1` in `state` with `role`.
pub fn membership(user: &str, state: MembershipState, role: Role) -> Membership {
    Membership {
        group_id: GroupId::parse("g_1").unwrap(),
        user_id: UserId::parse(user).unwrap(),
        state,
        role: Some(role),
        note: None,
        reason: None,
        since: Utc::now(),
        updated_at: Utc::now(),
        muted_until: None,
        banned_until: None,
        last_post_at: None,
    }
}

/// A new top-level message of group `g_1` by `author`.
pub fn top_level(author: &str) -> Message {
    let new = NewMessage {
        id: crate::domain::MessageId::generate(),
        attachments: Vec::new(),
        to: Parent::Group(GroupId::parse("g_1").unwrap()),
        author_id: UserId::parse(author).unwrap(),
        body: super::text::message_body("hi").unwrap(),
        client_message_id: None,
        now: Utc::now(),
    };
    let id = MessageId::generate();
    let place = new.place(&id, None).unwrap();
    new.message(id, place, 1)
}

/// An upload of `filename` (`content_type`, `size` bytes) to group `g_1` by `ann`.
pub fn attachment(filename: &str, content_type: &str, size: i64) -> super::attachment::Attachment {
    let declared = super::attachment::Declared {
        filename: filename.into(),
        content_type: content_type.into(),
        size,
        width: None,
        height: None,
    };
    super::attachment::UploadRules::default()
        .admit(
            declared,
            GroupId::parse("g_1").unwrap(),
            UserId::parse("ann").unwrap(),
            Utc::now(),
        )
        .unwrap()
}
