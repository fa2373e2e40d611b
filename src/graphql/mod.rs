//! The GraphQL schema: one value served by the local server and the Lambda.

pub mod apq;
pub mod context;
pub mod errors;
pub mod limits;
pub mod loaders;
pub mod member_view;
mod mutation;
pub mod node;
mod nulls;
pub mod pagination;
mod query;
pub mod subscription;
pub mod tick_loader;
pub mod types;
mod variables;
pub mod ws;

use crate::service::Service;
use async_graphql::Schema;
pub use context::Viewer;
pub use limits::Limits;
use std::sync::Arc;
pub use types::BaseUrl;

pub use mutation::Mutation;
pub use query::Query;
pub use subscription::{EventSource, Subscription};

pub type ChorusSchema = Schema<Query, Mutation, Subscription>;

/// Builds the schema over a service. Subscriptions run with an
/// [`EventSource`] given with each request (see `ws::replay`).
pub fn build_schema(service: Arc<Service>, limits: Limits) -> ChorusSchema {
    // Related objects in batches gathered per scheduler tick, not per timer
    // (`tick_loader`): a 20-author page is one fetch with no wait.
    let loader = tick_loader::TickLoader::new(loaders::StoreLoader(service.clone()));
    let persisted = apq::PersistedQueries::default();
    let mut builder = Schema::build(Query, Mutation::default(), Subscription)
        .data(service)
        .data(loader)
        // First: the checks below see the document a hash stands for.
        .extension(persisted.extension())
        .data(persisted)
        .extension(limits::Guard(limits))
        .extension(nulls::NullPropagation)
        // Spans for parse, validation, execution and each resolver;
        // arguments marked `secret` (bodies, notes, queries) are masked.
        .extension(async_graphql::extensions::Tracing)
        .limit_depth(limits.depth)
        .limit_complexity(limits.complexity);
    if !limits.introspection {
        builder = builder.disable_introspection();
    }
    builder.finish()
}

/// The operation of a parsed document that a request runs: the one named,
/// or the only one.
pub fn selected_operation<'a>(
    doc: &'a async_graphql::parser::types::ExecutableDocument,
    name: Option<&str>,
) -> Option<&'a async_graphql::parser::types::OperationDefinition> {
    use async_graphql::parser::types::DocumentOperations;
    match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some(&op.node),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| &op.node),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| &op.node)
        }
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// The schema's SDL, as written to `schema.graphql`.
pub fn sdl() -> String {
    // With `@specifiedBy`, as introspection shows it.
    let options = async_graphql::SDLExportOptions::new().include_specified_by();
    Schema::build(Query, Mutation::default(), Subscription)
        .finish()
        .sdl_with_options(options)
}
