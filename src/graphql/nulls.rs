//! Field errors and non-null types, as the GraphQL spec has them ("Handling
//! Field Errors"): a field that fails is `null` with its error in `errors`,
//! and when that field is non-null the `null` moves up to the nearest
//! nullable parent (or to `data` itself).
//!
//! async-graphql 7 does neither: it leaves a failed field's key out of its
//! object and stops there, so `{ group { messages(first: 101) { ... } } }`
//! returned `{"group": {"id": ...}}` without `messages`, and clients reading
//! `group.messages.edges` crashed. This extension restores the rule on
//! every path (HTTP, sockets, Lambda delivery) from the resolve hook, which
//! sees each field's (and each list item's) declared type:
//!
//! - a nullable field that fails resolves to `null`; its error is kept here
//!   and added to the response once execution ends;
//! - a non-null field that fails marks its parent's path to be nulled;
//!   when the parent finishes it becomes `null` if nullable, or marks its
//!   own parent in turn; a marked root makes `data` null.
//!
//! Only one error is reported per failure, as the spec asks. Nothing is
//! allocated while no field has failed.

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextResolve, ResolveInfo,
};
use async_graphql::{QueryPathNode, Response, ServerError, ServerResult, Value};
use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

/// Installs [`Propagation`] per request.
pub struct NullPropagation;

impl ExtensionFactory for NullPropagation {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Propagation::default())
    }
}

/// One request's (or one subscription event's) failures so far.
#[derive(Default)]
struct Propagation(Mutex<State>);

#[derive(Default)]
struct State {
    /// Response paths that must become null: a non-null field below failed.
    /// The empty path is `data`.
    nulled: HashSet<Vec<String>>,
    /// Errors of nullable fields, which resolved to null instead of failing.
    errors: Vec<ServerError>,
}

fn path(node: Option<&QueryPathNode<'_>>) -> Vec<String> {
    node.map(|n| n.to_string_vec()).unwrap_or_default()
}

impl Propagation {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn mark_parent(&self, node: &QueryPathNode<'_>) {
        self.state().nulled.insert(path(node.parent));
    }

    /// Whether `node`'s value was nulled by a failed non-null field below.
    fn take_nulled(&self, node: &QueryPathNode<'_>) -> bool {
        let mut state = self.state();
        !state.nulled.is_empty() && state.nulled.remove(&path(Some(node)))
    }
}

#[async_trait::async_trait]
impl Extension for Propagation {
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        let state = std::mem::take(&mut *self.state());
        if state.nulled.contains(&Vec::new()) {
            response.data = Value::Null;
        }
        response.errors.extend(state.errors);
        response
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let node = info.path_node;
        let non_null = info.return_type.ends_with('!');
        let result = next.run(ctx, info).await;
        if result.is_err() {
            // A list whose item failed fails as a whole: its mark is moot.
            self.take_nulled(node);
        }
        match result {
            Err(err) if non_null => {
                self.mark_parent(node);
                Err(err)
            }
            Err(err) => {
                self.state().errors.push(err);
                Ok(Some(Value::Null))
            }
            Ok(value) if !self.take_nulled(node) => Ok(value),
            Ok(value) if non_null => {
                self.mark_parent(node);
                Ok(value)
            }
            Ok(_) => Ok(Some(Value::Null)),
        }
    }
}
