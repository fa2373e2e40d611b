//! Messages and threads on Neo4j.

use super::queries as q;
use super::rows::{self, micros, MessageRow, ParentSeq};
use super::tx::{self, write_txn, TxError};
use super::Neo4jStore;
use crate::domain::message::{Message, MessageChange, NewMessage, Parent, Posted};
use crate::domain::page::{Page, PageRequest};
use crate::domain::{DomainError, MessageId};
use crate::store::{StoreError, StoreResult};
use neo4rs::{query, Txn};

/// What a send transaction did.
enum Sent {
    Created(Message),
    /// An earlier send with the same client id; nothing was written.
    Existing(Message),
}

/// The key of an idempotent send: newlines cannot occur in ids.
fn idem_key(new: &NewMessage) -> Option<String> {
    let cid = new.client_message_id.as_ref()?;
    Some(format!("{}\n{}\n{}", new.group_id, new.author_id, cid))
}

impl Neo4jStore {
    async fn by_idem_key(&self, key: &str) -> StoreResult<Option<Message>> {
        let found = tx::read::<MessageRow>(
            &self.graph,
            query(q::MESSAGE_BY_IDEM_KEY).param("idemKey", key),
        )
        .await?;
        found.into_iter().next().map(Message::try_from).transpose()
    }

    #[tracing::instrument(skip_all, fields(group = %new.group_id))]
    pub(super) async fn post_message_impl(&self, new: &NewMessage) -> StoreResult<Posted> {
        let key = idem_key(new);
        if let Some(key) = &key {
            if let Some(message) = self.by_idem_key(key).await? {
                return Ok(Posted {
                    message,
                    created: false,
                });
            }
        }
        let id = MessageId::generate();
        let sent: StoreResult<Sent> = async {
            write_txn!(self.graph, |txn| {
                self.send(txn, new, &id, key.as_deref()).await
            })
        }
        .await;
        match (sent, &key) {
            (Ok(Sent::Created(message)), _) => Ok(Posted {
                message,
                created: true,
            }),
            (Ok(Sent::Existing(message)), _) => Ok(Posted {
                message,
                created: false,
            }),
            // A concurrent send with the same key committed first.
            (Err(StoreError::Conflict(_)), Some(key)) => match self.by_idem_key(key).await? {
                Some(message) => Ok(Posted {
                    message,
                    created: false,
                }),
                None => Err(StoreError::Conflict("concurrent send".into())),
            },
            (Err(err), _) => Err(err),
        }
    }

    /// One send, inside its transaction: lock the parent (a write to it),
    /// look for an earlier send with the same key, then take the parent's
    /// next seq and create the message. Nothing in here fails on the
    /// server in normal operation, so no transaction is left failed.
    async fn send(
        &self,
        txn: &mut Txn,
        new: &NewMessage,
        id: &MessageId,
        key: Option<&str>,
    ) -> Result<Sent, TxError> {
        let (root_id, depth) = match &new.parent_id {
            None => {
                let locked = query(q::GROUP_LOCK).param("groupId", new.group_id.as_str());
                tx::first::<rows::Ignored>(txn, locked)
                    .await?
                    .ok_or(StoreError::NotFound("group"))?;
                (id.clone(), 0)
            }
            Some(parent) => {
                let locked = query(q::MESSAGE_LOCK).param("id", parent.as_str());
                let row = tx::first::<MessageRow>(txn, locked)
                    .await?
                    .ok_or(StoreError::NotFound("message"))?;
                let parent = Message::try_from(row)?;
                if parent.group_id != new.group_id {
                    return Err(StoreError::NotFound("message").into());
                }
                if parent.is_deleted() {
                    return Err(StoreError::Rejected(DomainError::conflict(
                        "cannot reply to a deleted message",
                    ))
                    .into());
                }
                (parent.root_id, i64::from(parent.depth) + 1)
            }
        };
        if let Some(key) = key {
            let earlier = query(q::MESSAGE_BY_IDEM_KEY).param("idemKey", key);
            if let Some(row) = tx::first::<MessageRow>(txn, earlier).await? {
                return Ok(Sent::Existing(Message::try_from(row)?));
            }
        }
        let taken = match &new.parent_id {
            None => query(q::GROUP_TAKE_SEQ).param("groupId", new.group_id.as_str()),
            Some(parent) => query(q::MESSAGE_TAKE_SEQ).param("parentId", parent.as_str()),
        };
        let seq = tx::first::<ParentSeq>(txn, taken)
            .await?
            .ok_or(StoreError::NotFound("message"))?
            .seq;
        if self.take_injected_failure() {
            return Err(StoreError::Internal("injected failure between statements".into()).into());
        }
        let create = if new.parent_id.is_some() {
            q::MESSAGE_CREATE_REPLY
        } else {
            q::MESSAGE_CREATE_TOP
        };
        let statement = query(create)
            .param("id", id.as_str())
            .param("groupId", new.group_id.as_str())
            .param("authorId", new.author_id.as_str())
            .param("body", new.body.as_str())
            .param("parentId", new.parent_id.as_ref().map(ToString::to_string))
            .param(
                "parentKey",
                new.parent_id
                    .as_ref()
                    .map_or(new.group_id.as_str(), MessageId::as_str),
            )
            .param("rootId", root_id.as_str())
            .param("depth", depth)
            .param("seq", seq)
            .param("clientMessageId", new.client_message_id.clone())
            .param("idemKey", key.map(str::to_owned))
            .param("now", micros(new.now));
        let row = tx::first::<MessageRow>(txn, statement)
            .await?
            .ok_or(StoreError::NotFound("user"))?;
        Ok(Sent::Created(Message::try_from(row)?))
    }

    pub(super) async fn messages_impl(&self, wanted: &[MessageId]) -> StoreResult<Vec<Message>> {
        let ids: Vec<String> = wanted.iter().map(ToString::to_string).collect();
        rows::convert(
            tx::read::<MessageRow>(&self.graph, query(q::MESSAGES_BY_IDS).param("ids", ids))
                .await?,
        )
    }

    pub(super) async fn children_impl(
        &self,
        parent: &Parent,
        page: PageRequest<u64>,
    ) -> StoreResult<Page<Message>> {
        let exists = match parent {
            Parent::Group(id) => !self.groups_impl(std::slice::from_ref(id)).await?.is_empty(),
            Parent::Message(id) => !self
                .messages_impl(std::slice::from_ref(id))
                .await?
                .is_empty(),
        };
        if !exists {
            return Err(StoreError::NotFound(match parent {
                Parent::Group(_) => "group",
                Parent::Message(_) => "message",
            }));
        }
        let seq = |s: &u64| i64::try_from(*s).unwrap_or(i64::MAX);
        let fetch = |forward: bool, key: Option<&u64>, limit: i64| {
            query(if forward {
                q::CHILDREN_FORWARD
            } else {
                q::CHILDREN_BACKWARD
            })
            .param("parentKey", parent.key())
            .param("seq", key.map(seq))
            .param("limit", limit)
        };
        let beyond = |key: &u64, up_to: bool| {
            query(q::CHILDREN_EXISTS)
                .param("parentKey", parent.key())
                .param("seq", seq(key))
                .param("upTo", up_to)
        };
        self.page::<_, MessageRow, Message>(&page, fetch, beyond)
            .await
    }

    pub(super) async fn ancestors_impl(&self, id: &MessageId) -> StoreResult<Vec<Message>> {
        if self
            .messages_impl(std::slice::from_ref(id))
            .await?
            .is_empty()
        {
            return Err(StoreError::NotFound("message"));
        }
        let chain = tx::read::<MessageRow>(
            &self.graph,
            query(q::MESSAGE_ANCESTORS).param("id", id.as_str()),
        )
        .await?;
        rows::convert(chain)
    }

    #[tracing::instrument(skip(self, change))]
    pub(super) async fn change_message_impl(
        &self,
        id: &MessageId,
        change: &MessageChange,
    ) -> StoreResult<Message> {
        write_txn!(self.graph, |txn| {
            let locked = query(q::MESSAGE_LOCK).param("id", id.as_str());
            let row = tx::first::<MessageRow>(txn, locked)
                .await?
                .ok_or(StoreError::NotFound("message"))?;
            let mut message = Message::try_from(row)?;
            change.apply(&mut message).map_err(StoreError::Rejected)?;
            let write = query(q::MESSAGE_UPDATE)
                .param("id", id.as_str())
                .param("body", message.body.clone())
                .param("editedAt", message.edited_at.map(micros))
                .param("deletedAt", message.deleted_at.map(micros));
            let row = tx::first::<MessageRow>(txn, write)
                .await?
                .ok_or(StoreError::NotFound("message"))?;
            Ok(Message::try_from(row)?)
        })
    }
}
