//! The outbox on Neo4j: each event is a node written in the transaction of
//! the change it announces, marked once confirmed published and deleted
//! with the other marked ones by the sweeper (one statement, not one per
//! event), which then reads what is still pending, oldest first.

use super::queries as q;
use super::rows::micros;
use super::tx::{self, TxError};
use super::Neo4jStore;
use crate::domain::event::DomainEvent;
use crate::domain::ids::EventId;
use crate::domain::Timestamp;
use crate::store::{Outbox, StoreError, StoreResult};
use async_trait::async_trait;
use neo4rs::Txn;
use serde::Deserialize;

/// Writes `events` inside `txn`, the transaction of their change.
pub(super) async fn record(txn: &mut Txn, events: &[DomainEvent]) -> Result<(), TxError> {
    for event in events {
        let payload = serde_json::to_string(event).map_err(|e| StoreError::Internal(e.into()))?;
        let put = q::OUTBOX_PUT
            .query()
            .param("id", event.id.as_str())
            .param("groupId", event.group_id.as_str())
            .param("occurredAt", micros(event.occurred_at))
            .param("payload", payload);
        tx::rows::<super::rows::Ignored>(txn, put).await?;
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PayloadRow {
    payload: String,
    seq: Option<i64>,
    #[serde(default)]
    member_count: Option<i64>,
}

#[derive(Deserialize)]
struct Pruned {
    pruned: i64,
}

#[async_trait]
impl Outbox for Neo4jStore {
    async fn pending_events(
        &self,
        before: Timestamp,
        limit: usize,
    ) -> StoreResult<Vec<DomainEvent>> {
        let statement = q::OUTBOX_PENDING
            .query()
            .param("before", micros(before))
            .param("limit", i64::try_from(limit).unwrap_or(i64::MAX));
        tx::read::<PayloadRow>(&self.graph, statement)
            .await?
            .into_iter()
            .map(|row| {
                let event: DomainEvent = serde_json::from_str(&row.payload)
                    .map_err(|e| StoreError::Internal(e.into()))?;
                let event = match row.seq.and_then(|s| u64::try_from(s).ok()) {
                    Some(seq) => event.at_seq(seq),
                    None => event,
                };
                // The payload was written before the send counted them.
                let members = row.member_count.map(super::rows::count);
                let members = members.or(event.member_count);
                Ok(event.with_member_count(members))
            })
            .collect()
    }

    async fn confirm_events(&self, ids: &[EventId]) -> StoreResult<()> {
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        let statement = q::OUTBOX_CONFIRM.query().param("ids", ids);
        tx::read::<super::rows::Ignored>(&self.graph, statement).await?;
        Ok(())
    }

    async fn prune_published(&self, limit: usize) -> StoreResult<usize> {
        let statement = q::OUTBOX_PRUNE
            .query()
            .param("limit", i64::try_from(limit).unwrap_or(i64::MAX));
        let pruned = tx::read::<Pruned>(&self.graph, statement).await?;
        Ok(pruned
            .first()
            .map_or(0, |row| usize::try_from(row.pruned).unwrap_or(0)))
    }
}
