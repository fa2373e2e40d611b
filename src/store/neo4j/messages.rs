//! Messages and threads on Neo4j.

use super::queries as q;
use super::rows::{self, micros, MessageRow, ParentSeq, Size};
use super::tx::{self, write_txn, TxError};
use super::window::SeqWindow;
use super::Neo4jStore;
use crate::domain::event::DomainEvent;
use crate::domain::message::{Message, MessageChange, NewMessage, Parent, Posted};
use crate::domain::page::{Page, PageRequest};
use crate::domain::MessageId;
use crate::store::{Recorded, StoreError, StoreResult};
use neo4rs::Txn;

/// What a send transaction did.
enum Sent {
    /// The new message and the event recorded with it.
    Created(Message, Vec<DomainEvent>),
    /// An earlier send with the same client id; nothing was written.
    Existing(Message),
}

impl Neo4jStore {
    async fn by_idem_key(&self, key: &str) -> StoreResult<Option<Message>> {
        let found = tx::read::<MessageRow>(
            &self.graph,
            q::MESSAGE_BY_IDEM_KEY.query().param("idemKey", key),
        )
        .await?;
        found.into_iter().next().map(Message::try_from).transpose()
    }

    #[tracing::instrument(skip_all, fields(group = %new.group_id))]
    pub(super) async fn post_message_impl(
        &self,
        new: &NewMessage,
    ) -> StoreResult<Recorded<Posted>> {
        let existing = |message| Recorded {
            value: Posted {
                message,
                created: false,
            },
            events: Vec::new(),
        };
        let key = new.idempotency_key();
        if let Some(key) = &key {
            if let Some(message) = self.by_idem_key(key).await? {
                return Ok(existing(message));
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
            (Ok(Sent::Created(message, events)), _) => Ok(Recorded {
                value: Posted {
                    message,
                    created: true,
                },
                events,
            }),
            (Ok(Sent::Existing(message)), _) => Ok(existing(message)),
            // A concurrent send with the same key committed first.
            (Err(StoreError::Conflict(_)), Some(key)) => match self.by_idem_key(key).await? {
                Some(message) => Ok(existing(message)),
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
        let parent = match &new.parent_id {
            None => {
                let locked = q::GROUP_LOCK
                    .query()
                    .param("groupId", new.group_id.as_str());
                tx::first::<rows::Ignored>(txn, locked)
                    .await?
                    .ok_or(StoreError::NotFound("group"))?;
                None
            }
            Some(parent) => {
                let locked = q::MESSAGE_LOCK.query().param("id", parent.as_str());
                let row = tx::first::<MessageRow>(txn, locked)
                    .await?
                    .ok_or(StoreError::NotFound("message"))?;
                Some(Message::try_from(row)?)
            }
        };
        let place = new
            .place(id, parent.as_ref())
            .map_err(StoreError::rejected)?;
        if let Some(key) = key {
            let earlier = q::MESSAGE_BY_IDEM_KEY.query().param("idemKey", key);
            if let Some(row) = tx::first::<MessageRow>(txn, earlier).await? {
                return Ok(Sent::Existing(Message::try_from(row)?));
            }
        }
        let taken = match &new.parent_id {
            None => q::GROUP_TAKE_SEQ
                .query()
                .param("groupId", new.group_id.as_str()),
            Some(parent) => q::MESSAGE_TAKE_SEQ
                .query()
                .param("parentId", parent.as_str()),
        };
        let seq = tx::first::<ParentSeq>(txn, taken)
            .await?
            .ok_or(StoreError::NotFound("message"))?
            .seq;
        let create = if new.parent_id.is_some() {
            q::MESSAGE_CREATE_REPLY
        } else {
            q::MESSAGE_CREATE_TOP
        };
        let statement = create
            .query()
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
            .param("rootId", place.root_id.as_str())
            .param("depth", i64::from(place.depth))
            .param("seq", seq)
            .param("clientMessageId", new.client_message_id.clone())
            .param("idemKey", key.map(str::to_owned))
            .param("now", micros(new.now));
        let row = tx::first::<MessageRow>(txn, statement)
            .await?
            .ok_or(StoreError::NotFound("user"))?;
        let posted = Posted {
            message: Message::try_from(row)?,
            created: true,
        };
        let events: Vec<DomainEvent> = DomainEvent::of_post(&posted, new.now).into_iter().collect();
        super::outbox::record(txn, &events).await?;
        Ok(Sent::Created(posted.message, events))
    }

    pub(super) async fn messages_impl(&self, wanted: &[MessageId]) -> StoreResult<Vec<Message>> {
        let ids: Vec<String> = wanted.iter().map(ToString::to_string).collect();
        rows::convert(
            tx::read::<MessageRow>(&self.graph, q::MESSAGES_BY_IDS.query().param("ids", ids))
                .await?,
        )
    }

    /// A page of a thread by direct addressing: the parent's child count
    /// says which seqs exist (1..=size, gap-free), the request says which of
    /// them form the page, and one indexed seek per seq fetches them.
    pub(super) async fn children_impl(
        &self,
        parent: &Parent,
        page: PageRequest<u64>,
    ) -> StoreResult<Page<Message>> {
        let size = match parent {
            Parent::Group(id) => {
                let sized = tx::read::<Size>(
                    &self.graph,
                    q::GROUP_THREAD_SIZE.query().param("groupId", id.as_str()),
                )
                .await?;
                sized.first().ok_or(StoreError::NotFound("group"))?.size
            }
            Parent::Message(id) => {
                let found = self.messages_impl(std::slice::from_ref(id)).await?;
                i64::try_from(
                    found
                        .first()
                        .ok_or(StoreError::NotFound("message"))?
                        .reply_count,
                )
                .unwrap_or(i64::MAX)
            }
        };
        let window = SeqWindow::of(&page, u64::try_from(size).unwrap_or(0));
        let seqs: Vec<i64> = (window.first..=window.last)
            .filter_map(|s| i64::try_from(s).ok())
            .collect();
        let items = if seqs.is_empty() {
            Vec::new()
        } else {
            let statement = q::CHILDREN_BY_SEQS
                .query()
                .param("parentKey", parent.key())
                .param("seqs", seqs);
            rows::convert(tx::read::<MessageRow>(&self.graph, statement).await?)?
        };
        Ok(Page {
            items,
            has_previous: window.has_previous,
            has_next: window.has_next,
        })
    }

    pub(super) async fn ancestors_impl(
        &self,
        id: &MessageId,
        last: usize,
    ) -> StoreResult<Vec<Message>> {
        let last = last.min(crate::domain::message::MAX_ANCESTORS);
        if self
            .messages_impl(std::slice::from_ref(id))
            .await?
            .is_empty()
        {
            return Err(StoreError::NotFound("message"));
        }
        let chain = tx::read::<MessageRow>(
            &self.graph,
            q::MESSAGE_ANCESTORS
                .query()
                .param("id", id.as_str())
                .param("last", i64::try_from(last).unwrap_or(0)),
        )
        .await?;
        rows::convert(chain)
    }

    #[tracing::instrument(skip(self, change))]
    pub(super) async fn change_message_impl(
        &self,
        id: &MessageId,
        change: &MessageChange,
    ) -> StoreResult<Recorded<Message>> {
        write_txn!(self.graph, |txn| {
            let locked = q::MESSAGE_LOCK.query().param("id", id.as_str());
            let row = tx::first::<MessageRow>(txn, locked)
                .await?
                .ok_or(StoreError::NotFound("message"))?;
            let before = Message::try_from(row)?;
            let mut message = before.clone();
            change.apply(&mut message).map_err(StoreError::rejected)?;
            let write = q::MESSAGE_UPDATE
                .query()
                .param("id", id.as_str())
                .param("body", message.body.clone())
                .param("editedAt", message.edited_at.map(micros))
                .param("deletedAt", message.deleted_at.map(micros));
            let row = tx::first::<MessageRow>(txn, write)
                .await?
                .ok_or(StoreError::NotFound("message"))?;
            let after = Message::try_from(row)?;
            let events: Vec<DomainEvent> = DomainEvent::of_change(change, &before, after.clone())
                .into_iter()
                .collect();
            super::outbox::record(txn, &events).await?;
            Ok(Recorded {
                value: after,
                events,
            })
        })
    }
}
