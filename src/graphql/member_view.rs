//! Which subscription documents are the same for every member of the
//! group: those that select only fields whose value does not depend on who
//! asks (given that the asker is a member). Such a document is executed
//! once per event (`ws::replay`), locally and in `deliver`, and its answer
//! sent to every member who holds it, instead of once per subscription.
//!
//! An allow-list of (type, field) pairs: a field not named in [`SHARED`]
//! makes the document per-viewer, which is always correct. Every field of
//! the types an event reaches is in [`SHARED`] or [`PER_VIEWER`]; a test
//! walks the schema so a new field must be put in one of them.

use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};

/// Fields that are the same for every member: (type, field, the type of
/// its value when it is an object).
pub const SHARED: &[(&str, &str, Option<&str>)] = &[
    ("Subscription", "groupEvents", Some("GroupEvent")),
    ("GroupEvent", "id", None),
    ("GroupEvent", "type", None),
    ("GroupEvent", "groupId", None),
    ("GroupEvent", "message", Some("Message")),
    ("GroupEvent", "membership", Some("Membership")),
    ("GroupEvent", "cursor", None),
    ("GroupEvent", "occurredAt", None),
    ("GroupEvent", "reaction", Some("Reaction")),
    ("GroupEvent", "typing", Some("TypingIndicator")),
    ("TypingIndicator", "user", Some("User")),
    ("TypingIndicator", "typing", None),
    ("TypingIndicator", "parentId", None),
    ("TypingIndicator", "expiresAt", None),
    ("Message", "id", None),
    ("Message", "group", Some("Group")),
    ("Message", "author", Some("User")),
    ("Message", "body", None),
    ("Message", "mentions", Some("User")),
    ("Message", "parent", Some("Message")),
    ("Message", "depth", None),
    ("Message", "replyCount", None),
    ("Message", "seq", None),
    ("Message", "clientMessageId", None),
    ("Message", "createdAt", None),
    ("Message", "editedAt", None),
    ("Message", "deletedAt", None),
    ("Message", "reactions", Some("ReactionSummary")),
    ("Message", "pinnedAt", None),
    ("Message", "root", Some("Message")),
    ("Message", "thread", Some("ThreadSummary")),
    ("ThreadSummary", "replyCount", None),
    ("ThreadSummary", "participantCount", None),
    ("ThreadSummary", "participants", Some("User")),
    ("ThreadSummary", "lastReplyAt", None),
    ("ThreadSummary", "lastReply", Some("Message")),
    ("Message", "pinnedBy", Some("User")),
    // Every member gets the same signed URL of a file.
    ("Message", "attachments", Some("Attachment")),
    ("Attachment", "id", None),
    ("Attachment", "filename", None),
    ("Attachment", "contentType", None),
    ("Attachment", "size", None),
    ("Attachment", "width", None),
    ("Attachment", "height", None),
    ("Attachment", "url", None),
    ("Attachment", "createdAt", None),
    ("ReactionSummary", "key", None),
    ("ReactionSummary", "count", None),
    ("Reaction", "id", None),
    ("Reaction", "key", None),
    ("Reaction", "user", Some("User")),
    ("Reaction", "message", Some("Message")),
    ("Reaction", "createdAt", None),
    ("Membership", "id", None),
    ("Membership", "group", Some("Group")),
    ("Membership", "user", Some("User")),
    ("Membership", "state", None),
    ("Membership", "role", None),
    ("Membership", "since", None),
    ("Membership", "updatedAt", None),
    ("User", "id", None),
    ("User", "name", None),
    ("User", "pictureUrl", None),
    ("User", "isBot", None),
    ("Group", "id", None),
    ("Group", "name", None),
    ("Group", "description", None),
    ("Group", "visibility", None),
    ("Group", "createdAt", None),
    ("Group", "memberCount", None),
    ("Group", "slowModeSeconds", None),
];

/// Fields an event reaches whose value depends on who asks (or that read
/// more than the event, checked per viewer).
pub const PER_VIEWER: &[(&str, &str)] = &[
    ("Message", "ancestors"),
    ("Message", "replies"),
    ("Message", "reactors"),
    ("Message", "seenBy"),
    ("ReactionSummary", "viewerReacted"),
    ("User", "presence"),
    ("Presence", "online"),
    ("Presence", "lastSeenAt"),
    ("ThreadSummary", "viewerParticipated"),
    ("ThreadSummary", "viewerHasUnread"),
    ("Membership", "note"),
    ("Membership", "rejectionReason"),
    ("Membership", "notificationLevel"),
    ("Membership", "lastReadAt"),
    ("Group", "unreadCount"),
    ("Group", "unreadMentionCount"),
    ("Group", "viewerMembership"),
    ("Group", "messages"),
    ("Group", "pinnedMessages"),
    ("Group", "members"),
    ("Group", "bots"),
    ("Group", "webhooks"),
    ("Group", "incomingWebhooks"),
    ("Group", "applications"),
    ("Group", "viewerNextPostAt"),
    ("Group", "reports"),
    ("Group", "moderationLog"),
    ("Membership", "mutedUntil"),
    ("Membership", "bannedUntil"),
];

/// Fragments within fragments a document may nest before it is taken as
/// per-viewer (validation refuses cycles; this runs before it).
const MAX_NESTING: usize = 32;

/// Whether `field` of `parent` is shared, and the type of its value.
fn shared_field(parent: &str, field: &str) -> Option<Option<&'static str>> {
    SHARED
        .iter()
        .find(|(ty, name, _)| *ty == parent && *name == field)
        .map(|(_, _, value)| *value)
}

fn only_shared(doc: &ExecutableDocument, set: &SelectionSet, parent: &str, depth: usize) -> bool {
    if depth > MAX_NESTING {
        return false;
    }
    set.items.iter().all(|item| match &item.node {
        Selection::Field(field) => {
            let name = field.node.name.node.as_str();
            match shared_field(parent, name) {
                _ if name == "__typename" => true,
                None => false,
                Some(None) => field.node.selection_set.node.items.is_empty(),
                Some(Some(value)) => {
                    only_shared(doc, &field.node.selection_set.node, value, depth + 1)
                }
            }
        }
        Selection::FragmentSpread(spread) => {
            let name = &spread.node.fragment_name.node;
            doc.fragments.get(name).is_some_and(|fragment| {
                let on = fragment.node.type_condition.node.on.node.as_str();
                only_shared(doc, &fragment.node.selection_set.node, on, depth + 1)
            })
        }
        Selection::InlineFragment(inline) => {
            let on = inline.node.type_condition.as_ref();
            let on = on.map_or(parent, |c| c.node.on.node.as_str());
            only_shared(doc, &inline.node.selection_set.node, on, depth + 1)
        }
    })
}

/// Whether every field `document`'s operations select is the same for
/// every member.
pub fn same_for_every_member(document: &ExecutableDocument) -> bool {
    document.operations.iter().all(|(_, op)| {
        let root = match op.node.ty {
            OperationType::Subscription => "Subscription",
            OperationType::Query => "Query",
            OperationType::Mutation => "Mutation",
        };
        only_shared(document, &op.node.selection_set.node, root, 0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(query: &str) -> bool {
        same_for_every_member(&async_graphql::parser::parse_query(query).unwrap())
    }

    #[test]
    fn documents_naming_only_member_invariant_fields_are_shared() {
        assert!(shared(
            "subscription($g: ID!) { groupEvents(groupId: $g) { id type cursor \
             message { id body author { id name } } membership { state role user { name } } } }"
        ));
        assert!(shared(
            "subscription S($g: ID!) { groupEvents(groupId: $g) { ...E } } \
             fragment E on GroupEvent { id message { ... on Message { body } } }"
        ));
    }

    #[test]
    fn a_viewer_dependent_field_anywhere_makes_it_per_viewer() {
        assert!(!shared(
            "subscription($g: ID!) { groupEvents(groupId: $g) { membership { note } } }"
        ));
        assert!(!shared(
            "subscription($g: ID!) { groupEvents(groupId: $g) { ...E } } \
             fragment E on GroupEvent { message { group { viewerMembership { state } } } }"
        ));
        assert!(!shared(
            "subscription($g: ID!) { groupEvents(groupId: $g) { message { replies { edges { cursor } } } } }"
        ));
    }

    #[test]
    fn a_field_is_shared_only_on_its_own_type() {
        // `name` is shared on User and Group, but a fragment on another
        // type (or one that spreads itself) is not.
        assert!(!shared(
            "subscription($g: ID!) { groupEvents(groupId: $g) { ...W } } \
             fragment W on Webhook { id }"
        ));
        assert!(!shared(
            "subscription($g: ID!) { groupEvents(groupId: $g) { ...E } } \
             fragment E on GroupEvent { id ...E }"
        ));
        assert!(!shared(
            "subscription($g: ID!) { groupEvents(groupId: $g) { message { id { x } } } }"
        ));
    }

    #[test]
    fn every_field_an_event_reaches_is_classified_against_the_schema() {
        // Walks the schema from the subscription root through the shared
        // object fields: each field of each type reached is in SHARED (with
        // the type the schema gives it) or in PER_VIEWER, never both.
        let registry = async_graphql::Schema::build(
            crate::graphql::Query,
            crate::graphql::Mutation::default(),
            crate::graphql::Subscription,
        )
        .finish()
        .sdl();
        let doc = async_graphql::parser::parse_schema(&registry).unwrap();
        let mut fields = std::collections::BTreeMap::new();
        for def in &doc.definitions {
            use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
            if let TypeSystemDefinition::Type(ty) = def {
                if let TypeKind::Object(object) = &ty.node.kind {
                    for field in &object.fields {
                        let mut value = &field.node.ty.node;
                        let name = loop {
                            match &value.base {
                                async_graphql::parser::types::BaseType::Named(n) => {
                                    break n.to_string()
                                }
                                async_graphql::parser::types::BaseType::List(inner) => {
                                    value = inner
                                }
                            }
                        };
                        fields.insert(
                            (
                                ty.node.name.node.to_string(),
                                field.node.name.node.to_string(),
                            ),
                            name,
                        );
                    }
                }
            }
        }
        let mut reached = vec!["Subscription".to_owned()];
        let mut seen = std::collections::BTreeSet::new();
        let mut unclassified = Vec::new();
        while let Some(ty) = reached.pop() {
            if !seen.insert(ty.clone()) {
                continue;
            }
            for ((owner, field), value) in fields.range((ty.clone(), String::new())..) {
                if owner != &ty {
                    break;
                }
                let shared = SHARED.iter().find(|(t, f, _)| t == owner && f == field);
                let private = PER_VIEWER.iter().any(|(t, f)| t == owner && f == field);
                match (shared, private) {
                    (Some((_, _, Some(object))), false) => {
                        assert_eq!(object, value, "{owner}.{field}");
                        reached.push(value.clone());
                    }
                    (Some((_, _, None)), false) => {
                        assert!(
                            !fields.keys().any(|(t, _)| t == value),
                            "{owner}.{field} is an object"
                        );
                    }
                    (None, true) => {}
                    _ => unclassified.push(format!("{owner}.{field}")),
                }
            }
        }
        assert!(
            unclassified.is_empty(),
            "classify in SHARED or PER_VIEWER: {unclassified:?}"
        );
        for (ty, field, _) in SHARED {
            assert!(
                fields.contains_key(&((*ty).to_owned(), (*field).to_owned())),
                "{ty}.{field} is not in the schema"
            );
        }
    }
}
