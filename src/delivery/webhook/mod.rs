//! Outgoing webhooks: Standard Webhooks requests (signed with the
//! `standardwebhooks` crate) to user-given URLs, under the address rule.

mod sender;

pub use super::outbound::{check_url, Lookup, SystemLookup};
pub use crate::domain::webhook::Attempt;
pub use sender::WebhookSender;
