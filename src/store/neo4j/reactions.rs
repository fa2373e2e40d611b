//! Reactions on Neo4j: one `Reaction` node per (message, user, key), and
//! the counts on the message, written in the same transaction.

use super::queries as q;
use super::rows::{self, micros, MembershipRow, MessageRow};
use super::tx::{self, write_txn};
use super::Neo4jStore;
use crate::domain::event::DomainEvent;
use crate::domain::membership::Membership;
use crate::domain::message::Message;
use crate::domain::page::{Page, PageRequest};
use crate::domain::reaction::{Reacted, Reaction, ReactionChange, ReactorKey};
use crate::domain::{GroupId, MessageId, UserId};
use crate::store::{Reactions, Recorded, StoreError, StoreResult};
use async_trait::async_trait;
use serde::Deserialize;

#[derive(Deserialize)]
struct Held {
    membership: Option<MembershipRow>,
    held: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ReactionRow {
    message_id: MessageId,
    group_id: GroupId,
    user_id: UserId,
    key: String,
    created_at: i64,
}

impl TryFrom<ReactionRow> for Reaction {
    type Error = StoreError;
    fn try_from(r: ReactionRow) -> Result<Self, StoreError> {
        Ok(Reaction {
            message_id: r.message_id,
            group_id: r.group_id,
            user_id: r.user_id,
            key: r.key,
            created_at: rows::time(r.created_at)?,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Removed {
    created_at: i64,
}

/// The message's counts as the two lists it keeps them in.
fn count_lists(message: &Message) -> (Vec<String>, Vec<i64>) {
    let counts = message.reactions.iter();
    let keys = counts.clone().map(|c| c.key.clone()).collect();
    let numbers = counts.map(|c| i64::try_from(c.count).unwrap_or(i64::MAX));
    (keys, numbers.collect())
}

#[async_trait]
impl Reactions for Neo4jStore {
    #[tracing::instrument(skip_all, fields(message = %change.message_id))]
    async fn change_reaction(&self, change: &ReactionChange) -> StoreResult<Recorded<Message>> {
        let message_id = change.message_id.as_str();
        write_txn!(self.graph, |txn| {
            let locked = q::MESSAGE_LOCK.query().param("id", message_id);
            let row = tx::first::<MessageRow>(txn, locked)
                .await?
                .ok_or(StoreError::NotFound("message"))?;
            let mut message = Message::try_from(row)?;
            let read = q::REACTION_HELD
                .query()
                .param("messageId", message_id)
                .param("userId", change.user_id.as_str());
            let held = tx::first::<Held>(txn, read)
                .await?
                .ok_or(StoreError::NotFound("message"))?;
            let membership = held.membership.map(Membership::try_from).transpose()?;
            let changed = change
                .decide(&mut message, membership.as_ref(), &held.held)
                .map_err(StoreError::rejected)?;
            let mut reacted = Reacted { message, changed };
            if let Some(reaction) = &mut reacted.changed {
                let (keys, counts) = count_lists(&reacted.message);
                let common = |statement: q::Statement| {
                    statement
                        .query()
                        .param("id", reaction.id())
                        .param("messageId", message_id)
                        .param("keys", keys.clone())
                        .param("counts", counts.clone())
                };
                if change.add {
                    let write = common(q::REACTION_ADD)
                        .param("groupId", reaction.group_id.as_str())
                        .param("userId", reaction.user_id.as_str())
                        .param("key", reaction.key.as_str())
                        .param("now", micros(reaction.created_at));
                    tx::rows::<rows::Ignored>(txn, write).await?;
                } else {
                    let write = common(q::REACTION_REMOVE);
                    if let Some(gone) = tx::first::<Removed>(txn, write).await? {
                        reaction.created_at = rows::time(gone.created_at)?;
                    }
                }
            }
            let events: Vec<DomainEvent> =
                DomainEvent::of_reaction(&reacted, change.add, change.now)
                    .into_iter()
                    .collect();
            super::outbox::record(txn, &events).await?;
            Ok(Recorded {
                value: reacted.message,
                events,
            })
        })
    }

    async fn reactions_of(
        &self,
        user: &UserId,
        messages: &[MessageId],
    ) -> StoreResult<Vec<Reaction>> {
        if messages.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = messages.iter().map(ToString::to_string).collect();
        let statement = q::REACTIONS_OF_USER
            .query()
            .param("userId", user.as_str())
            .param("messageIds", ids);
        rows::convert(tx::read::<ReactionRow>(&self.graph, statement).await?)
    }

    async fn reactors(
        &self,
        message: &MessageId,
        key: &str,
        page: PageRequest<ReactorKey>,
    ) -> StoreResult<Page<Reaction>> {
        let fetch = |forward: bool, cursor: Option<&ReactorKey>, limit: i64| {
            if forward {
                q::REACTORS_FORWARD
            } else {
                q::REACTORS_BACKWARD
            }
            .query()
            .param("messageId", message.as_str())
            .param("key", key)
            .param("createdAt", cursor.map(|k| k.0))
            .param("userId", cursor.map(|k| k.1.to_string()))
            .param("limit", limit)
        };
        let exists = |cursor: &ReactorKey, up_to: bool| {
            q::REACTORS_EXISTS
                .query()
                .param("messageId", message.as_str())
                .param("key", key)
                .param("createdAt", cursor.0)
                .param("userId", cursor.1.as_str())
                .param("upTo", up_to)
        };
        self.page::<_, ReactionRow, Reaction>(&page, fetch, exists)
            .await
    }
}
