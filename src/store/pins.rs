//! The storage port of pins.

use super::{Recorded, StoreResult};
use crate::domain::message::Message;
use crate::domain::pin::PinChange;
use crate::domain::GroupId;
use async_trait::async_trait;

#[async_trait]
pub trait Pins: Send + Sync {
    /// Pins or unpins by `PinChange::decide`, checked on the actor's
    /// membership and the group's pins, read under the message's lock and
    /// then the group's (the order a delete takes them, which unpins).
    /// Records `MESSAGE_PINNED`/`MESSAGE_UNPINNED` only when something
    /// changed. Returns the message as it is now.
    async fn change_pin(&self, change: &PinChange) -> StoreResult<Recorded<Message>>;
    /// The group's pinned messages, in pin order (at most
    /// [`crate::domain::pin::MAX_PINS`]).
    async fn pinned_messages(&self, group: &GroupId) -> StoreResult<Vec<Message>>;
}
