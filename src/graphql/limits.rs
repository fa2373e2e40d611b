//! Limits on what one operation may cost, enforced by one schema extension
//! on every path (HTTP, the local socket, the Lambdas):
//!
//! - before validation, the document's selections are counted with every
//!   fragment spread expanded (memoised per fragment, so the count itself is
//!   linear in the document): a 600-byte fragment bomb that would expand to
//!   millions of fields is refused in microseconds, before any rule walks it;
//!   fragment cycles are refused here too;
//! - depth and complexity are async-graphql's, on the bounded document;
//! - introspection is for signed-in users only (the answer is megabytes);
//! - a response larger than `max_response_bytes` is replaced by an error.

use super::errors::{coded, request_error};
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextPrepareRequest, NextSubscribe,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{IntrospectionMode, Request, Response, ServerError, ServerResult};
use futures_util::stream::{BoxStream, StreamExt};
use std::collections::HashMap;
use std::sync::Arc;

/// Limits on what one operation may ask for.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub depth: usize,
    pub complexity: usize,
    pub introspection: bool,
    /// Selections in the document once every fragment spread is expanded.
    pub max_selections: usize,
    /// Largest `data` one response may carry, serialized.
    pub max_response_bytes: usize,
}

/// The number of selections `doc` stands for with fragments expanded, or
/// an error as soon as it passes `max` (or a fragment spreads itself).
pub fn expanded_selections(doc: &ExecutableDocument, max: usize) -> Result<usize, String> {
    let mut counter = Counter {
        doc,
        max,
        memo: HashMap::new(),
    };
    let mut total = 0usize;
    for (_, operation) in doc.operations.iter() {
        total = total.saturating_add(counter.set(&operation.node.selection_set.node)?);
        if total > max {
            return Err(too_many(max));
        }
    }
    Ok(total)
}

fn too_many(max: usize) -> String {
    format!("the operation selects more than {max} fields once its fragments are expanded")
}

struct Counter<'a> {
    doc: &'a ExecutableDocument,
    max: usize,
    /// `None` while a fragment is being counted (seeing it again is a cycle).
    memo: HashMap<&'a str, Option<usize>>,
}

impl<'a> Counter<'a> {
    fn set(&mut self, set: &'a SelectionSet) -> Result<usize, String> {
        let mut count = 0usize;
        for item in &set.items {
            let n = match &item.node {
                Selection::Field(field) => {
                    1usize.saturating_add(self.set(&field.node.selection_set.node)?)
                }
                Selection::InlineFragment(inline) => self.set(&inline.node.selection_set.node)?,
                Selection::FragmentSpread(spread) => {
                    self.fragment(spread.node.fragment_name.node.as_str())?
                }
            };
            count = count.saturating_add(n);
            if count > self.max {
                return Err(too_many(self.max));
            }
        }
        Ok(count)
    }

    fn fragment(&mut self, name: &'a str) -> Result<usize, String> {
        match self.memo.get(name) {
            Some(Some(n)) => return Ok(*n),
            Some(None) => return Err(format!("fragment \"{name}\" spreads itself")),
            None => {}
        }
        // Unknown fragments count nothing here; validation names them.
        let Some(fragment) = self.doc.fragments.get(name) else {
            return Ok(0);
        };
        self.memo.insert(name, None);
        let n = self.set(&fragment.node.selection_set.node)?;
        self.memo.insert(name, Some(n));
        Ok(n)
    }
}

/// The schema extension that enforces [`Limits`].
pub struct Guard(pub Limits);

impl ExtensionFactory for Guard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(GuardExtension(self.0))
    }
}

struct GuardExtension(Limits);

fn refusal(message: String) -> ServerError {
    request_error(coded(message, "BAD_USER_INPUT"))
}

/// Whether the document asks for `__schema` or `__type` anywhere.
fn introspects(doc: &ExecutableDocument) -> bool {
    fn set(selections: &SelectionSet) -> bool {
        selections.items.iter().any(|item| match &item.node {
            Selection::Field(field) => {
                matches!(field.node.name.node.as_str(), "__schema" | "__type")
                    || set(&field.node.selection_set.node)
            }
            Selection::InlineFragment(inline) => set(&inline.node.selection_set.node),
            Selection::FragmentSpread(_) => false,
        })
    }
    doc.operations
        .iter()
        .any(|(_, op)| set(&op.node.selection_set.node))
        || doc
            .fragments
            .values()
            .any(|f| set(&f.node.selection_set.node))
}

impl GuardExtension {
    /// `response` itself, or an error in its place when its data is too big.
    fn bounded(&self, response: Response) -> Response {
        let max = self.0.max_response_bytes;
        if serialized_len_within(&response.data, max) {
            return response;
        }
        Response::from_errors(vec![refusal(format!(
            "the response would be larger than {max} bytes: ask for fewer fields or smaller pages"
        ))])
    }
}

/// Whether `value` serializes in at most `max` bytes (stops counting there).
fn serialized_len_within(value: &async_graphql::Value, max: usize) -> bool {
    struct Budget(usize);
    impl std::io::Write for Budget {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 = self
                .0
                .checked_sub(buf.len())
                .ok_or_else(|| std::io::Error::other("over budget"))?;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    serde_json::to_writer(Budget(max), value).is_ok()
}

#[async_trait::async_trait]
impl Extension for GuardExtension {
    /// Parses the document once (async-graphql reuses it) and checks it
    /// before anything walks it with fragments expanded: async-graphql's
    /// own recursion-depth check does, inside its parse step.
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let signed_in = super::context::signed_in(&request);
        // Taken out for a moment: the parse borrows the request.
        let name = request.operation_name.take();
        let variables = std::mem::take(&mut request.variables);
        let doc = request.parsed_query()?;
        expanded_selections(doc, self.0.max_selections).map_err(refusal)?;
        super::variables::check_required(doc, name.as_deref(), &variables)?;
        if !signed_in {
            if introspects(doc) {
                return Err(request_error(coded(
                    "sign in to use introspection (send an Authorization header)",
                    "UNAUTHENTICATED",
                )));
            }
            request.introspection_mode = IntrospectionMode::Disabled;
        }
        request.operation_name = name;
        request.variables = variables;
        next.run(ctx, request).await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        self.bounded(next.run(ctx, operation_name).await)
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        let this = GuardExtension(self.0);
        next.run(ctx, stream)
            .map(move |response| this.bounded(response))
            .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(query: &str, max: usize) -> Result<usize, String> {
        let doc = async_graphql::parser::parse_query(query).map_err(|e| e.to_string())?;
        expanded_selections(&doc, max)
    }

    /// `query { ...F<levels> }` where each fragment spreads the one below ten times.
    fn bomb(levels: usize) -> String {
        let mut q = format!("query {{ ...F{levels} }}\nfragment F0 on Query {{ __typename }}\n");
        for n in 1..=levels {
            let spreads = vec![format!("...F{}", n - 1); 10].join(" ");
            q.push_str(&format!("fragment F{n} on Query {{ {spreads} }}\n"));
        }
        q
    }

    #[test]
    fn fields_and_fragments_count_as_expanded() {
        assert_eq!(count("{ a b { c d } }", 100), Ok(4));
        let q = "{ ...F ...F } fragment F on Query { a { b } }";
        assert_eq!(count(q, 100), Ok(4));
        assert_eq!(count("{ ... on Query { a b } }", 100), Ok(2));
    }

    #[test]
    fn a_fragment_bomb_is_refused_without_expanding_it() {
        let started = std::time::Instant::now();
        assert!(count(&bomb(7), 2_000).is_err());
        assert!(count(&bomb(40), 2_000).is_err());
        assert!(started.elapsed() < std::time::Duration::from_millis(100));
        assert_eq!(count(&bomb(3), 2_000), Ok(1_000));
    }

    #[test]
    fn fragment_cycles_are_refused() {
        let q = "{ ...A } fragment A on Query { ...B } fragment B on Query { a ...A }";
        assert!(count(q, 100).unwrap_err().contains("spreads itself"));
    }

    #[test]
    fn response_size_is_measured_up_to_the_budget() {
        let value = async_graphql::Value::String("x".repeat(100));
        assert!(serialized_len_within(&value, 102));
        assert!(!serialized_len_within(&value, 101));
    }
}
