//! Outgoing webhooks: Standard Webhooks requests (signed with the
//! `standardwebhooks` crate) to user-given URLs, under the address rule.

pub mod address;
mod sender;

pub use sender::{check_url, new_secret, Attempt, Lookup, SystemLookup, WebhookSender};
