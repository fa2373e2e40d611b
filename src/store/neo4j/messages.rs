//! Messages and threads on Neo4j.

use super::queries as q;
use super::rows::GroupRow;
use super::rows::MembershipRow;
use super::rows::{self, micros, MessageRow, Size};
use super::tx::{self, write_txn};
use super::window::SeqWindow;
use super::Neo4jStore;
use crate::domain::event::DomainEvent;
use crate::domain::group::Group;
use crate::domain::membership::Membership;
use crate::domain::message::{Message, MessageChange, Parent};
use crate::domain::message::{NewMessage, Posted};
use crate::domain::moderation::ModerationEntry;
use crate::domain::page::{Page, PageRequest};
use crate::domain::MessageId;
use crate::domain::UserId;
use crate::store::{Messages, Recorded, StoreError, StoreResult};
use async_trait::async_trait;
use serde::Deserialize;

#[derive(Deserialize)]
struct MessageAccess {
    message: MessageRow,
    grp: GroupRow,
    membership: Option<MembershipRow>,
}

impl Neo4jStore {
    /// The page of a parent with `size` children.
    pub(super) async fn page_of(
        &self,
        parent: &Parent,
        size: u64,
        page: PageRequest<u64>,
    ) -> StoreResult<Page<Message>> {
        let window = SeqWindow::of(&page, size);
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
}

#[async_trait]
impl Messages for Neo4jStore {
    async fn post_message(&self, message: &NewMessage) -> StoreResult<Recorded<Posted>> {
        self.send(message).await
    }

    async fn messages(&self, wanted: &[MessageId]) -> StoreResult<Vec<Message>> {
        let ids: Vec<String> = wanted.iter().map(ToString::to_string).collect();
        rows::convert(
            tx::read::<MessageRow>(&self.graph, q::MESSAGES_BY_IDS.query().param("ids", ids))
                .await?,
        )
    }

    /// A page of a thread by direct addressing: the parent's child count
    /// says which seqs exist (1..=size, gap-free), the request says which of
    /// them form the page, and one indexed seek per seq fetches them.
    async fn children(
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
                let found = self.messages(std::slice::from_ref(id)).await?;
                i64::try_from(
                    found
                        .first()
                        .ok_or(StoreError::NotFound("message"))?
                        .reply_count,
                )
                .unwrap_or(i64::MAX)
            }
        };
        self.page_of(parent, u64::try_from(size).unwrap_or(0), page)
            .await
    }

    async fn replies_of(
        &self,
        parent: &Message,
        page: PageRequest<u64>,
    ) -> StoreResult<Page<Message>> {
        let thread = Parent::Message(parent.id.clone());
        self.page_of(&thread, parent.reply_count, page).await
    }

    /// The message, its group and the user's membership: one statement.
    async fn message_access(
        &self,
        id: &MessageId,
        user: &UserId,
    ) -> StoreResult<Option<(Message, Group, Option<Membership>)>> {
        let statement = q::MESSAGE_ACCESS
            .query()
            .param("id", id.as_str())
            .param("userId", user.as_str());
        let Some(found) = tx::read::<MessageAccess>(&self.graph, statement)
            .await?
            .pop()
        else {
            return Ok(None);
        };
        Ok(Some((
            found.message.try_into()?,
            found.grp.try_into()?,
            found.membership.map(Membership::try_from).transpose()?,
        )))
    }

    async fn ancestors(&self, id: &MessageId, last: usize) -> StoreResult<Vec<Message>> {
        let last = last.min(crate::domain::message::MAX_ANCESTORS);
        if self.messages(std::slice::from_ref(id)).await?.is_empty() {
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

    #[tracing::instrument(skip(self, change, log))]
    async fn change_message_logged(
        &self,
        id: &MessageId,
        change: &MessageChange,
        log: Option<&ModerationEntry>,
    ) -> StoreResult<Recorded<Message>> {
        write_txn!(self.graph, |txn| {
            let locked = q::MESSAGE_LOCK.query().param("id", id.as_str());
            let row = tx::first::<MessageRow>(txn, locked)
                .await?
                .ok_or(StoreError::NotFound("message"))?;
            let before = Message::try_from(row)?;
            let mut message = before.clone();
            change.apply(&mut message).map_err(StoreError::rejected)?;
            let group = &message.group_id;
            let now = self.members_among(group, &message.mentions).await?;
            let names = |users: Vec<&crate::domain::UserId>| -> Vec<String> {
                users.into_iter().map(ToString::to_string).collect()
            };
            let removed = names(
                before
                    .mentions
                    .iter()
                    .filter(|u| !now.contains(u))
                    .collect(),
            );
            let added = names(
                now.iter()
                    .filter(|u| !before.mentions.contains(u))
                    .collect(),
            );
            let write = q::MESSAGE_UPDATE
                .query()
                .param("id", id.as_str())
                .param("authorId", message.author_id.as_str())
                .param("mentions", names(now.iter().collect()))
                .param("removed", removed)
                .param("added", added)
                .param("body", message.body.clone())
                .param(
                    "searchText",
                    crate::domain::search::message_index(message.body.as_deref()),
                )
                .param(
                    "attachments",
                    super::rows::attachments_json(&message.attachments)?,
                )
                .param("editedAt", message.edited_at.map(micros))
                .param("deletedAt", message.deleted_at.map(micros))
                .param("pinnedAt", message.pinned_at.map(micros))
                .param(
                    "pinnedBy",
                    message.pinned_by.as_ref().map(ToString::to_string),
                )
                .param(
                    "unpin",
                    before.pinned_at.is_some() && message.pinned_at.is_none(),
                );
            let row = tx::first::<MessageRow>(txn, write)
                .await?
                .ok_or(StoreError::NotFound("message"))?;
            let after = Message::try_from(row)?;
            let events: Vec<DomainEvent> = DomainEvent::of_change(change, &before, after.clone())
                .into_iter()
                .collect();
            if let Some(entry) = log {
                super::moderation::log(txn, entry).await?;
            }
            super::outbox::record(txn, &events).await?;
            Ok(Recorded {
                value: after,
                events,
            })
        })
    }
}
