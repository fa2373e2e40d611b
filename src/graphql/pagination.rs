//! Relay connections over keyset pages.

use super::errors::{ApiError, ApiResult};
use crate::domain::cursor;
use crate::domain::page::{Page, PageRequest};
use async_graphql::SimpleObject;
use serde::de::DeserializeOwned;

#[derive(SimpleObject)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub start_cursor: Option<String>,
    pub end_cursor: Option<String>,
}

impl PageInfo {
    /// The page info of a page whose edges have `cursors`, in order.
    pub fn of<'a>(
        cursors: impl DoubleEndedIterator<Item = &'a String> + Clone,
        has_next_page: bool,
        has_previous_page: bool,
    ) -> Self {
        Self {
            has_next_page,
            has_previous_page,
            start_cursor: cursors.clone().next().cloned(),
            end_cursor: cursors.last().cloned(),
        }
    }
}

/// Declares a Relay connection type and its edge type for one node type
/// (where the node type is declared).
macro_rules! connection_type {
    ($connection:ident, $edge:ident, $node:ty) => {
        #[derive(async_graphql::SimpleObject)]
        pub struct $connection {
            /// Oldest first, whichever direction was asked for.
            pub edges: Vec<$edge>,
            pub page_info: $crate::graphql::pagination::PageInfo,
        }

        #[derive(async_graphql::SimpleObject)]
        pub struct $edge {
            pub cursor: String,
            pub node: $node,
        }

        impl From<(Vec<(String, $node)>, $crate::graphql::pagination::PageInfo)> for $connection {
            fn from(
                (edges, page_info): (Vec<(String, $node)>, $crate::graphql::pagination::PageInfo),
            ) -> Self {
                let edges = edges
                    .into_iter()
                    .map(|(cursor, node)| $edge { cursor, node })
                    .collect();
                Self { edges, page_info }
            }
        }
    };
}
pub(crate) use connection_type;

/// Relay arguments of one connection field.
pub struct Args {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

impl Args {
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Self {
        Self {
            first,
            after,
            last,
            before,
        }
    }

    /// Arguments of a list paged forward only.
    pub fn forward(first: Option<i32>, after: Option<String>) -> Self {
        Self::new(first, after, None, None)
    }

    /// One page of a list as a connection: the cursors decoded for list
    /// `kind` of `scope` (a cursor of another list is refused), the page
    /// fetched, each item's cursor made from `key` and its node by `node`.
    pub async fn page<K, T, O, C, E, Fut>(
        self,
        kind: &str,
        scope: &str,
        fetch: impl FnOnce(PageRequest<K>) -> Fut,
        key: impl Fn(&T) -> K,
        node: impl Fn(T) -> O,
    ) -> ApiResult<C>
    where
        K: DeserializeOwned + serde::Serialize,
        Fut: std::future::Future<Output = Result<Page<T>, E>>,
        C: From<(Vec<(String, O)>, PageInfo)>,
        ApiError: From<E>,
    {
        let request = self.request(kind, scope)?;
        let page = fetch(request).await?;
        Ok(connection(page, kind, scope, key, node))
    }

    /// A keyset request whose cursors must come from list `kind` of `scope`.
    fn request<K: DeserializeOwned>(self, kind: &str, scope: &str) -> ApiResult<PageRequest<K>> {
        let decode =
            |c: Option<String>| c.map(|c| cursor::decode::<K>(&c, kind, scope)).transpose();
        let (after, before) = (decode(self.after)?, decode(self.before)?);
        Ok(PageRequest::from_relay(
            self.first, after, self.last, before,
        )?)
    }
}

/// Builds a connection from a page; `key` gives each item's cursor key.
fn connection<T, K: serde::Serialize, O, C: From<(Vec<(String, O)>, PageInfo)>>(
    page: Page<T>,
    kind: &str,
    scope: &str,
    key: impl Fn(&T) -> K,
    node: impl Fn(T) -> O,
) -> C {
    let edges: Vec<(String, O)> = page
        .items
        .into_iter()
        .map(|item| (cursor::encode(kind, scope, &key(&item)), node(item)))
        .collect();
    let page_info = PageInfo::of(
        edges.iter().map(|(c, _)| c),
        page.has_next,
        page.has_previous,
    );
    C::from((edges, page_info))
}
