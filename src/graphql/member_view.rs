//! Which subscription documents answer the same for every member of the
//! group: those that select only fields whose value does not depend on who
//! asks (given that the asker is a member). `deliver` executes such a
//! document once per shard and sends the answer to every member it knows,
//! instead of once per subscription.
//!
//! An allow-list: a field not named here (`note`, `rejectionReason`,
//! `viewerMembership`, `replies`, `ancestors`, a group's lists, anything
//! added later) makes the document per-viewer, which is always correct.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

const SAME_FOR_EVERY_MEMBER: &[&str] = &[
    "__typename",
    // subscription root and GroupEvent
    "groupEvents",
    "id",
    "type",
    "groupId",
    "message",
    "membership",
    "cursor",
    "occurredAt",
    // Message
    "group",
    "author",
    "body",
    "mentions",
    "parent",
    "depth",
    "replyCount",
    "seq",
    "clientMessageId",
    "createdAt",
    "editedAt",
    "deletedAt",
    // Membership
    "user",
    "state",
    "role",
    "since",
    "updatedAt",
    // User, Group
    "name",
    "pictureUrl",
    "description",
    "visibility",
    "memberCount",
];

fn only_shared_fields(set: &SelectionSet) -> bool {
    set.items.iter().all(|item| match &item.node {
        Selection::Field(field) => {
            SAME_FOR_EVERY_MEMBER.contains(&field.node.name.node.as_str())
                && only_shared_fields(&field.node.selection_set.node)
        }
        // Spread fragments are checked with the document's fragments.
        Selection::FragmentSpread(_) => true,
        Selection::InlineFragment(inline) => only_shared_fields(&inline.node.selection_set.node),
    })
}

/// Whether every field `document` can select (in any operation or
/// fragment) is the same for every member.
pub fn same_for_every_member(document: &ExecutableDocument) -> bool {
    document
        .operations
        .iter()
        .all(|(_, op)| only_shared_fields(&op.node.selection_set.node))
        && document
            .fragments
            .values()
            .all(|f| only_shared_fields(&f.node.selection_set.node))
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
}
