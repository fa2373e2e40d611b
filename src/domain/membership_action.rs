//! Membership operations, as `membership::decide` judges them.

use super::membership::Role;
use std::fmt;

/// Membership operations. `actor` and `target` are the same user for the
/// self-service ones (apply, withdraw, leave).
#[derive(Clone, PartialEq)]
pub enum Action {
    Apply { note: Option<String> },
    Withdraw,
    Approve,
    Reject { reason: Option<String> },
    Leave,
    Remove,
    Ban,
    SetRole(Role),
    TransferOwnership,
}

/// Shown without the applicant's note and the rejection reason, so that
/// no span or log line that records an action carries personal text.
impl fmt::Debug for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let private = |text: &Option<String>| if text.is_some() { "<private>" } else { "None" };
        match self {
            Self::Apply { note } => write!(f, "Apply {{ note: {} }}", private(note)),
            Self::Reject { reason } => write!(f, "Reject {{ reason: {} }}", private(reason)),
            Self::Withdraw => f.write_str("Withdraw"),
            Self::Approve => f.write_str("Approve"),
            Self::Leave => f.write_str("Leave"),
            Self::Remove => f.write_str("Remove"),
            Self::Ban => f.write_str("Ban"),
            Self::SetRole(role) => write!(f, "SetRole({role:?})"),
            Self::TransferOwnership => f.write_str("TransferOwnership"),
        }
    }
}
