//! Variable coercion as the spec has it ("CoerceVariableValues"): a
//! variable of a non-null type with no default must be given, and not as
//! `null`. That is an error of the request as a whole, before execution
//! (GraphQL over HTTP: 400 with `application/graphql-response+json`).
//! async-graphql only notices when a resolver reads the argument, as a
//! field error, after other fields may have run.

use super::selected_operation;
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{ServerError, Value, Variables};

/// A request error for the first required variable left out or sent as
/// `null`.
pub fn check_required(
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
) -> Result<(), ServerError> {
    let Some(operation) = selected_operation(doc, operation_name) else {
        return Ok(());
    };
    let missing = operation
        .variable_definitions
        .iter()
        .filter(|def| !def.node.var_type.node.nullable && def.node.default_value.is_none())
        .find(|def| {
            variables
                .get(&def.node.name.node)
                .is_none_or(|v| *v == Value::Null)
        })
        .map(|def| {
            let message = format!(
                "Variable \"${}\" of required type \"{}\" was not provided.",
                def.node.name.node, def.node.var_type.node
            );
            super::errors::coded(message, "BAD_USER_INPUT").into_server_error(def.pos)
        });
    missing.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, variables: serde_json::Value) -> Option<String> {
        let doc = async_graphql::parser::parse_query(query).unwrap();
        let vars = Variables::from_json(variables);
        check_required(&doc, None, &vars).err().map(|e| e.message)
    }

    #[test]
    fn required_variables_must_be_given_and_not_null() {
        let q = "query($a: ID!, $b: Int, $c: Int! = 3) { x }";
        assert_eq!(
            check(q, serde_json::json!({})),
            Some("Variable \"$a\" of required type \"ID!\" was not provided.".into())
        );
        assert!(check(q, serde_json::json!({"a": null})).is_some());
        assert_eq!(check(q, serde_json::json!({"a": "g_1"})), None);
    }
}
