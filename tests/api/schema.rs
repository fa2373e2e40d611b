//! The generated schema file and the client contract.

use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
use std::collections::BTreeMap;

const CONTRACT: &str = include_str!("../fixtures/api-contract.graphql");

#[test]
fn schema_graphql_is_up_to_date() {
    let committed = std::fs::read_to_string(crate::helpers::repo_file("schema.graphql")).unwrap();
    assert!(
        committed == chorus::graphql::sdl(),
        "schema.graphql is stale: run `cargo run -- export-schema` and commit it"
    );
}

/// Whether our field signature serves clients written against the
/// contract's: the same type and arguments, plus only arguments old
/// clients need not send (with a default, or nullable).
fn compatible(ours: &str, contract: &str) -> bool {
    fn split(signature: &str) -> (Vec<&str>, &str) {
        match signature.strip_prefix('(').and_then(|s| s.split_once(") ")) {
            Some((args, ty)) => (args.split(", ").filter(|a| !a.is_empty()).collect(), ty),
            None => (Vec::new(), signature),
        }
    }
    let ((our_args, our_ty), (their_args, their_ty)) = (split(ours), split(contract));
    our_ty == their_ty
        && their_args.iter().all(|a| our_args.contains(a))
        && our_args
            .iter()
            .all(|a| their_args.contains(a) || a.contains(" = ") || !a.ends_with('!'))
}

/// type name -> field or value name -> rendered signature.
fn shape(sdl: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let doc = parse_schema(sdl).unwrap();
    let mut types = BTreeMap::new();
    for def in doc.definitions {
        let TypeSystemDefinition::Type(ty) = def else {
            continue;
        };
        let members: BTreeMap<String, String> = match &ty.node.kind {
            TypeKind::Object(o) => o
                .fields
                .iter()
                .map(|f| {
                    let args: Vec<String> = f
                        .node
                        .arguments
                        .iter()
                        .map(|a| match &a.node.default_value {
                            Some(default) => format!(
                                "{}: {} = {}",
                                a.node.name.node, a.node.ty.node, default.node
                            ),
                            None => format!("{}: {}", a.node.name.node, a.node.ty.node),
                        })
                        .collect();
                    (
                        f.node.name.node.to_string(),
                        format!("({}) {}", args.join(", "), f.node.ty.node),
                    )
                })
                .collect(),
            TypeKind::InputObject(i) => i
                .fields
                .iter()
                .map(|f| (f.node.name.node.to_string(), f.node.ty.node.to_string()))
                .collect(),
            TypeKind::Enum(e) => e
                .values
                .iter()
                .map(|v| (v.node.value.node.to_string(), String::new()))
                .collect(),
            _ => BTreeMap::new(),
        };
        // `extend type` adds to what the type already has.
        types
            .entry(ty.node.name.node.to_string())
            .or_insert_with(BTreeMap::new)
            .extend(members);
    }
    types
}

#[test]
fn every_type_field_and_argument_of_the_client_contract_exists_unchanged() {
    let ours = shape(&chorus::graphql::sdl());
    for (name, members) in shape(CONTRACT) {
        let mine = ours
            .get(&name)
            .unwrap_or_else(|| panic!("type {name} is missing"));
        for (member, signature) in members {
            let ours = mine.get(&member).map(String::as_str).unwrap_or("missing");
            assert!(
                compatible(ours, &signature),
                "{name}.{member}: {ours} is not {signature}"
            );
        }
    }
}
