//! Pins on Neo4j: the message keeps `pinnedAt`/`pinnedBy`, its group the
//! pinned ids in pin order, written in one transaction.

use super::queries as q;
use super::rows::{self, micros, MembershipRow, MessageRow};
use super::tx::{self, write_txn};
use super::Neo4jStore;
use crate::domain::event::DomainEvent;
use crate::domain::membership::Membership;
use crate::domain::message::Message;
use crate::domain::pin::PinChange;
use crate::domain::{GroupId, MessageId};
use crate::store::{Messages, Pins, Recorded, StoreError, StoreResult};
use async_trait::async_trait;
use serde::Deserialize;

#[derive(Deserialize)]
struct PinContext {
    pinned: Vec<MessageId>,
    membership: Option<MembershipRow>,
}

#[derive(Deserialize)]
struct Pinned {
    pinned: Vec<MessageId>,
}

#[async_trait]
impl Pins for Neo4jStore {
    #[tracing::instrument(skip_all, fields(message = %change.message_id))]
    async fn change_pin(&self, change: &PinChange) -> StoreResult<Recorded<Message>> {
        write_txn!(self.graph, |txn| {
            let locked = q::MESSAGE_LOCK
                .query()
                .param("id", change.message_id.as_str());
            let row = tx::first::<MessageRow>(txn, locked)
                .await?
                .ok_or(StoreError::NotFound("message"))?;
            let mut message = Message::try_from(row)?;
            let read = q::PIN_CONTEXT
                .query()
                .param("groupId", message.group_id.as_str())
                .param("userId", change.by.as_str());
            let context = tx::first::<PinContext>(txn, read)
                .await?
                .ok_or(StoreError::NotFound("group"))?;
            let actor = context.membership.map(Membership::try_from).transpose()?;
            let mut pinned = context.pinned;
            let changed = change
                .decide(&mut message, actor.as_ref(), &mut pinned)
                .map_err(StoreError::rejected)?;
            if changed {
                let ids: Vec<String> = pinned.iter().map(ToString::to_string).collect();
                let write = q::PIN_WRITE
                    .query()
                    .param("id", message.id.as_str())
                    .param("groupId", message.group_id.as_str())
                    .param("pinnedAt", message.pinned_at.map(micros))
                    .param(
                        "pinnedBy",
                        message.pinned_by.as_ref().map(ToString::to_string),
                    )
                    .param("pinned", ids);
                tx::rows::<rows::Ignored>(txn, write).await?;
                super::moderation::log(txn, &change.log_entry(&message)).await?;
            }
            let events: Vec<DomainEvent> =
                DomainEvent::of_pin(&message, change.pin, changed, change.now)
                    .into_iter()
                    .collect();
            super::outbox::record(txn, &events).await?;
            Ok(Recorded {
                value: message,
                events,
            })
        })
    }

    async fn pinned_messages(&self, group: &GroupId) -> StoreResult<Vec<Message>> {
        let read = q::GROUP_PINS.query().param("groupId", group.as_str());
        let found = tx::read::<Pinned>(&self.graph, read).await?;
        let ids = found
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound("group"))?;
        let messages = self.messages(&ids.pinned).await?;
        // In pin order, whatever order the read returned them in.
        Ok(ids
            .pinned
            .iter()
            .filter_map(|id| messages.iter().find(|m| &m.id == id).cloned())
            .collect())
    }
}
