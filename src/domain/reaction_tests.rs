use super::*;
use crate::domain::fixtures;
use crate::domain::membership::{MembershipState, Role};
use chrono::Utc;

#[test]
fn keys_are_one_emoji_or_a_shortcode() {
    for ok in [
        "👍",
        "👍🏽",
        "❤️",
        "🇫🇷",
        "1️⃣",
        "#️⃣",
        "👩‍👩‍👧",
        "🏳️‍🌈",
        ":tada:",
        ":+1:",
        ":a_b-c:",
    ] {
        assert!(ReactionKey::parse(ok).is_ok(), "{ok} is a key");
    }
    let long = format!(":{}:", "a".repeat(33));
    for bad in [
        "", "1", "#", "*", "a", "👍👍", "👍 ", ":Tada:", "::", ":a b:", "tada", ":tada", &long,
        "<b>",
    ] {
        let err = ReactionKey::parse(bad).unwrap_err();
        assert_eq!(err.code(), "BAD_USER_INPUT", "{bad:?} is refused");
    }
}

fn member(state: MembershipState) -> Membership {
    fixtures::membership("ann", state, Role::Member)
}

fn message() -> Message {
    fixtures::top_level("bob")
}

fn change(key: &str, add: bool) -> ReactionChange {
    ReactionChange {
        message_id: MessageId::parse("m_1").unwrap(),
        user_id: UserId::parse("ann").unwrap(),
        key: ReactionKey::parse(key).unwrap(),
        add,
        now: Utc::now(),
        erasure: false,
    }
}

fn counts(m: &Message) -> Vec<(&str, u64)> {
    m.reactions
        .iter()
        .map(|c| (c.key.as_str(), c.count))
        .collect()
}

#[test]
fn counts_keep_first_use_order_and_repeats_change_nothing() {
    let (mut m, ann) = (message(), member(MembershipState::Member));
    let held = |keys: &[&str]| keys.iter().map(|k| (*k).to_owned()).collect::<Vec<_>>();
    assert!(change("👍", true)
        .decide(&mut m, Some(&ann), &[])
        .unwrap()
        .is_some());
    assert!(change(":tada:", true)
        .decide(&mut m, Some(&ann), &held(&["👍"]))
        .unwrap()
        .is_some());
    m.reactions[0].count = 2;
    assert_eq!(counts(&m), vec![("👍", 2), (":tada:", 1)]);
    let repeat = change("👍", true).decide(&mut m, Some(&ann), &held(&["👍", ":tada:"]));
    assert!(
        repeat.unwrap().is_none(),
        "a repeated add announces nothing"
    );
    let absent = change("🎉", false).decide(&mut m, Some(&ann), &held(&["👍"]));
    assert!(
        absent.unwrap().is_none(),
        "removing a key not held changes nothing"
    );
    assert_eq!(counts(&m), vec![("👍", 2), (":tada:", 1)]);
    change(":tada:", false)
        .decide(&mut m, Some(&ann), &held(&[":tada:"]))
        .unwrap();
    change("👍", false)
        .decide(&mut m, Some(&ann), &held(&["👍"]))
        .unwrap();
    assert_eq!(counts(&m), vec![("👍", 1)], "a key nobody holds is gone");
}

#[test]
fn caps_non_members_and_deleted_messages_are_refused() {
    let (mut m, ann) = (message(), member(MembershipState::Member));
    let ten: Vec<String> = (0..10).map(|i| format!(":k{i}:")).collect();
    let err = change(":new:", true)
        .decide(&mut m, Some(&ann), &ten)
        .unwrap_err();
    assert_eq!(err.code(), "CONFLICT");
    for i in 0..MAX_KEYS_PER_MESSAGE {
        m.reactions.push(ReactionCount {
            key: format!(":k{i}:"),
            count: 1,
        });
    }
    let err = change(":new:", true)
        .decide(&mut m, Some(&ann), &[])
        .unwrap_err();
    assert_eq!(err.code(), "CONFLICT", "the 21st key");
    assert!(
        change(":k3:", true).decide(&mut m, Some(&ann), &[]).is_ok(),
        "a held key still counts"
    );
    let left = member(MembershipState::Left);
    let err = change("👍", true)
        .decide(&mut m, Some(&left), &[])
        .unwrap_err();
    assert_eq!(err.code(), "FORBIDDEN");
    assert_eq!(
        change("👍", true)
            .decide(&mut m, None, &[])
            .unwrap_err()
            .code(),
        "FORBIDDEN"
    );
    m.deleted_at = Some(Utc::now());
    let err = change("👍", true)
        .decide(&mut m, Some(&ann), &[])
        .unwrap_err();
    assert_eq!(err.code(), "CONFLICT");
    assert!(m.visible_reactions().is_empty());
}

#[test]
fn reaction_ids_name_their_triple() {
    let r = Reaction {
        message_id: MessageId::parse("m_1").unwrap(),
        group_id: GroupId::parse("g_1").unwrap(),
        user_id: UserId::parse("ann").unwrap(),
        key: "👍🏽".into(),
        created_at: Utc::now(),
    };
    let (m, u, k) = Reaction::parse_id(&r.id()).unwrap();
    assert_eq!(
        (m, u, k),
        (r.message_id.clone(), r.user_id.clone(), r.key.clone())
    );
    assert!(Reaction::parse_id("rx_!!").is_none());
    assert!(Reaction::parse_id("m_1").is_none());
}

#[test]
fn an_erasure_removes_a_reaction_kept_in_a_group_left_or_on_a_deleted_message() {
    let mut m = message();
    let ann = member(MembershipState::Member);
    change("👍", true).decide(&mut m, Some(&ann), &[]).unwrap();
    m.deleted_at = Some(Utc::now());
    let left = member(MembershipState::Left);
    let held = vec!["👍".to_owned()];
    let plain = change("👍", false).decide(&mut m.clone(), Some(&left), &held);
    assert_eq!(
        plain.unwrap_err().code(),
        "FORBIDDEN",
        "a former member may not"
    );
    let mut erase = change("👍", false);
    erase.erasure = true;
    let removed = erase.decide(&mut m, Some(&left), &held).unwrap();
    assert!(removed.is_some());
    assert!(counts(&m).is_empty());
    let mut erase = change("👍", false);
    erase.erasure = true;
    assert!(
        erase.decide(&mut m, None, &[]).unwrap().is_none(),
        "nothing held"
    );
    // An erasure never adds.
    let mut add = change("🎉", true);
    add.erasure = true;
    assert_eq!(
        add.decide(&mut m, None, &[]).unwrap_err().code(),
        "FORBIDDEN"
    );
}
