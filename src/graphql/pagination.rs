//! Relay connections over keyset pages.

use super::errors::ApiResult;
use super::types::{GroupObject, MembershipObject, MessageObject, WebhookDeliveryObject};
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

/// Declares a Relay connection type and its edge type for one node type.
macro_rules! connection_type {
    ($connection:ident, $edge:ident, $node:ty) => {
        #[derive(SimpleObject)]
        pub struct $connection {
            /// Oldest first, whichever direction was asked for.
            pub edges: Vec<$edge>,
            pub page_info: PageInfo,
        }

        #[derive(SimpleObject)]
        pub struct $edge {
            pub cursor: String,
            pub node: $node,
        }

        impl From<(Vec<(String, $node)>, PageInfo)> for $connection {
            fn from((edges, page_info): (Vec<(String, $node)>, PageInfo)) -> Self {
                let edges = edges
                    .into_iter()
                    .map(|(cursor, node)| $edge { cursor, node })
                    .collect();
                Self { edges, page_info }
            }
        }
    };
}

connection_type!(MessageConnection, MessageEdge, MessageObject);
connection_type!(MembershipConnection, MembershipEdge, MembershipObject);
connection_type!(GroupConnection, GroupEdge, GroupObject);
connection_type!(
    WebhookDeliveryConnection,
    WebhookDeliveryEdge,
    WebhookDeliveryObject
);

/// Relay arguments of one connection field.
pub struct Args {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

impl Args {
    /// A keyset request whose cursors must come from list `kind` of `scope`.
    pub fn request<K: DeserializeOwned>(
        self,
        kind: &str,
        scope: &str,
    ) -> ApiResult<PageRequest<K>> {
        let decode =
            |c: Option<String>| c.map(|c| cursor::decode::<K>(&c, kind, scope)).transpose();
        let (after, before) = (decode(self.after)?, decode(self.before)?);
        Ok(PageRequest::from_relay(
            self.first, after, self.last, before,
        )?)
    }
}

/// Builds a connection from a page; `key` gives each item's cursor key.
pub fn connection<T, K: serde::Serialize, O, C: From<(Vec<(String, O)>, PageInfo)>>(
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
    let page_info = PageInfo {
        has_next_page: page.has_next,
        has_previous_page: page.has_previous,
        start_cursor: edges.first().map(|(c, _)| c.clone()),
        end_cursor: edges.last().map(|(c, _)| c.clone()),
    };
    C::from((edges, page_info))
}
