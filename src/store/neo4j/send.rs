//! A send on Neo4j in two statements: one read of what it is checked on
//! (`send_context`: the parent, the group, the author's membership; skipped
//! when an earlier send through this process saw both, `send_memo`), then
//! one guarded write, its own transaction, that takes the parent's seq,
//! creates the message and records its event (`message_send_top`,
//! `message_send_reply`). The rules stay in `domain::message::NewMessage`;
//! the write only checks that what they were checked on is unchanged, and
//! the send is checked again when it is not.

use super::queries as q;
use super::rows::{micros, MembershipRow, MessageRow};
use super::tx::{self, Wrote};
use super::Neo4jStore;
use crate::domain::event::DomainEvent;
use crate::domain::membership::Membership;
use crate::domain::message::{Message, NewMessage, Posted};
use crate::domain::moderation::slow_mode_applies;
use crate::domain::search::message_index;
use crate::domain::thread::participation_id;
use crate::domain::DomainError;
use crate::store::{Messages, Recorded, StoreError, StoreResult};
use serde::Deserialize;

/// How often a send is checked again when its guard found a change (each
/// time another writer changed the author's membership or the parent).
const MAX_CHECKS: u32 = 10;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Context {
    parent: Option<MessageRow>,
    group_found: bool,
    #[serde(default)]
    slow_mode_seconds: i64,
    membership: Option<MembershipRow>,
    /// The users the body names who are members.
    #[serde(default)]
    mentioned: Vec<crate::domain::UserId>,
}

/// What a send is checked on, read or remembered.
struct Judged {
    parent: Option<Message>,
    group_found: bool,
    slow_mode_seconds: u32,
    membership: Option<Membership>,
    mentioned: Vec<crate::domain::UserId>,
}

/// What the guarded write checks is unchanged since the send was checked:
/// the author's membership, the group's slow mode and, when slow mode
/// applies to the author, their last post (µs, -1 for none).
struct Guard {
    membership_updated_at: i64,
    slow_mode: u32,
    last_post_at: Option<i64>,
}

/// What the guarded write did.
enum Written {
    /// The message, and the group's member count the write saw.
    Created(Box<Message>, Option<u64>),
    /// A guard found a change since the read: nothing was written.
    Stale,
    /// A uniqueness constraint refused it: this message id (an earlier run
    /// of this write committed) or the idempotency key (a concurrent send).
    Taken,
}

fn existing(message: Message) -> Recorded<Posted> {
    Recorded {
        value: Posted {
            message,
            created: false,
        },
        events: Vec::new(),
    }
}

impl Neo4jStore {
    /// What the send is checked on: remembered from an earlier send
    /// (`send_memo`) on its first attempt, read otherwise.
    async fn context(
        &self,
        new: &NewMessage,
        named: &[String],
        first: bool,
    ) -> StoreResult<Judged> {
        if let Some(recalled) = first.then(|| self.send_memo.recall(new, named)).flatten() {
            return Ok(Judged {
                parent: recalled.parent,
                group_found: true,
                slow_mode_seconds: recalled.slow_mode_seconds,
                membership: Some(recalled.membership),
                mentioned: Vec::new(),
            });
        }
        let statement = q::SEND_CONTEXT
            .query()
            .param("groupId", new.group_id().map(ToString::to_string))
            .param("parentId", new.parent_id().map(ToString::to_string))
            .param("authorId", new.author_id.as_str())
            .param("named", named.to_vec());
        let context = tx::read::<Context>(&self.graph, statement)
            .await?
            .pop()
            .ok_or(StoreError::NotFound("group"))?;
        Ok(Judged {
            parent: context.parent.map(Message::try_from).transpose()?,
            group_found: context.group_found,
            slow_mode_seconds: u32::try_from(context.slow_mode_seconds).unwrap_or(0),
            membership: context.membership.map(Membership::try_from).transpose()?,
            mentioned: context.mentioned,
        })
    }

    #[tracing::instrument(skip_all)]
    pub(super) async fn send(&self, new: &NewMessage) -> StoreResult<Recorded<Posted>> {
        let id = new.id.clone();
        let named: Vec<String> = new.named().iter().map(ToString::to_string).collect();
        for attempt in 0..MAX_CHECKS {
            let context = self.context(new, &named, attempt == 0).await?;
            let parent = context.parent;
            let group = new.group(parent.as_ref()).map_err(StoreError::rejected)?;
            if !context.group_found {
                return Err(StoreError::NotFound("group"));
            }
            let membership = context.membership;
            let slow_mode = context.slow_mode_seconds;
            let key = new.idempotency_key(&group);
            if let Err(err) = NewMessage::admit(membership.as_ref(), slow_mode, new.now) {
                // A retry within slow mode finds its first message.
                if matches!(err, DomainError::RateLimited { .. }) {
                    if let Some(message) = self.by_idem_key(key.as_deref()).await? {
                        return Ok(existing(message));
                    }
                }
                return Err(StoreError::rejected(err));
            }
            let place = match new.place(&id, parent.as_ref()) {
                Ok(place) => place,
                // A retried send finds its first message, even under a
                // parent deleted since.
                Err(err) => {
                    return match self.by_idem_key(key.as_deref()).await? {
                        Some(message) => Ok(existing(message)),
                        None => Err(StoreError::rejected(err)),
                    }
                }
            };
            // The message as the write creates it, but for the seq it takes.
            let mut draft = new.message(id.clone(), place, 0);
            draft.mentions = context.mentioned;
            let posted = Posted {
                message: draft,
                created: true,
            };
            let Some(event) = DomainEvent::of_post(&posted, parent.as_ref(), new.now) else {
                return Err(StoreError::Internal(
                    "a new message announces nothing".into(),
                ));
            };
            let guard = Guard {
                membership_updated_at: membership.as_ref().map_or(0, |m| micros(m.updated_at)),
                slow_mode,
                last_post_at: membership
                    .as_ref()
                    .filter(|m| slow_mode_applies(slow_mode, m))
                    .map(|m| m.last_post_at.map_or(-1, micros)),
            };
            let (created, members) = match self
                .write(&posted.message, &guard, key.as_deref(), &event)
                .await?
            {
                Written::Created(message, members) => {
                    if let Some(membership) = &membership {
                        let kept = Membership {
                            last_post_at: Some(new.now),
                            ..membership.clone()
                        };
                        self.send_memo.keep(parent.as_ref(), &kept, slow_mode);
                    }
                    (*message, members)
                }
                Written::Stale => {
                    self.send_memo.forget(new);
                    continue;
                }
                Written::Taken => {
                    // Ours committed (its answer was lost): fan-out reads
                    // the count.
                    match self.messages(std::slice::from_ref(&id)).await?.pop() {
                        Some(ours) => (ours, None),
                        None => {
                            return match self.by_idem_key(key.as_deref()).await? {
                                Some(message) => Ok(existing(message)),
                                None => Err(StoreError::Conflict("concurrent send".into())),
                            }
                        }
                    }
                }
            };
            let event = event.at_seq(created.seq).with_member_count(members);
            return Ok(Recorded {
                value: Posted {
                    message: created,
                    created: true,
                },
                events: vec![event],
            });
        }
        Err(StoreError::Conflict(
            "the group kept changing during the send; try again".into(),
        ))
    }

    async fn by_idem_key(&self, key: Option<&str>) -> StoreResult<Option<Message>> {
        let Some(key) = key else {
            return Ok(None);
        };
        let found = tx::read::<MessageRow>(
            &self.graph,
            q::MESSAGE_BY_IDEM_KEY.query().param("idemKey", key),
        )
        .await?;
        found.into_iter().next().map(Message::try_from).transpose()
    }

    /// The guarded write: one statement, its own transaction, safe to run
    /// again (the message id is unique).
    async fn write(
        &self,
        draft: &Message,
        guard: &Guard,
        key: Option<&str>,
        event: &DomainEvent,
    ) -> StoreResult<Written> {
        let payload = serde_json::to_string(event).map_err(|e| StoreError::Internal(e.into()))?;
        let mentions: Vec<String> = draft.mentions.iter().map(ToString::to_string).collect();
        let participation = participation_id(&draft.author_id, &draft.root_id);
        let attachments = super::rows::attachments_json(&draft.attachments)?;
        let search_text = message_index(draft.body.as_deref());
        let statement = || {
            let create = match &draft.parent_id {
                None => q::MESSAGE_SEND_TOP.query(),
                Some(parent) => q::MESSAGE_SEND_REPLY
                    .query()
                    .param("parentId", parent.as_str())
                    .param("rootId", draft.root_id.as_str())
                    .param("depth", i64::from(draft.depth)),
            };
            create
                .param("id", draft.id.as_str())
                .param("groupId", draft.group_id.as_str())
                .param("authorId", draft.author_id.as_str())
                .param("membershipUpdatedAt", guard.membership_updated_at)
                .param("slowModeSeconds", i64::from(guard.slow_mode))
                .param("slowGuard", guard.last_post_at.is_some())
                .param("lastPostAt", guard.last_post_at.unwrap_or(-1))
                .param("body", draft.body.clone().unwrap_or_default())
                .param("clientMessageId", draft.client_message_id.clone())
                .param("idemKey", key.map(str::to_owned))
                .param("now", micros(draft.created_at))
                .param("eventId", event.id.as_str())
                .param("payload", payload.clone())
                .param("mentions", mentions.clone())
                .param("participationId", participation.clone())
                .param("attachments", attachments.clone())
                .param("searchText", search_text.clone())
        };
        Ok(
            match tx::write_retried::<MessageRow>(&self.graph, statement).await? {
                Wrote::Rows(mut rows) => match rows.pop() {
                    Some(row) => {
                        let members = row.member_count();
                        Written::Created(Box::new(row.try_into()?), members)
                    }
                    None => Written::Stale,
                },
                Wrote::Taken => Written::Taken,
            },
        )
    }
}
