use super::bot::{BotDecision, NewBot};
use super::cursor;
use super::ids::EventId;
use super::membership::Membership;
use super::message::{Message, MessageChange, Posted};
use super::reaction::{Reacted, Reaction};
use super::transition::Decision;
use super::typing::Typing;
use super::{GroupId, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventKind {
    MessagePosted,
    MessageEdited,
    MessageDeleted,
    MembershipChanged,
    ReactionAdded,
    ReactionRemoved,
    MessagePinned,
    MessageUnpinned,
    /// Live only: never in the outbox, a webhook or a push.
    Typing,
    /// For webhooks only: never on a member's socket or a push (reports go
    /// to the group's owners and admins).
    ReportCreated,
}

impl EventKind {
    /// The wire name (`MESSAGE_POSTED`, ...), as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MessagePosted => "MESSAGE_POSTED",
            Self::MessageEdited => "MESSAGE_EDITED",
            Self::MessageDeleted => "MESSAGE_DELETED",
            Self::MembershipChanged => "MEMBERSHIP_CHANGED",
            Self::ReactionAdded => "REACTION_ADDED",
            Self::ReactionRemoved => "REACTION_REMOVED",
            Self::MessagePinned => "MESSAGE_PINNED",
            Self::MessageUnpinned => "MESSAGE_UNPINNED",
            Self::Typing => "TYPING",
            Self::ReportCreated => "REPORT_CREATED",
        }
    }

    /// Whether members' sockets hear it (`groupEvents`).
    pub fn reaches_members(self) -> bool {
        self != Self::ReportCreated
    }
}

/// Something that happened in a group, published after it committed.
/// Serialized as JSON for transports (`type` tags the kind).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainEvent {
    /// One id per event, generated where it happens and carried by every
    /// copy (each recipient, each redelivery), so duplicates can be dropped.
    pub id: EventId,
    #[serde(rename = "type")]
    pub kind: EventKind,
    pub group_id: GroupId,
    pub message: Option<Message>,
    pub membership: Option<Membership>,
    /// The message's cursor in its parent's connection, so a client that
    /// missed events can catch up with `after:`.
    pub cursor: Option<String>,
    pub occurred_at: Timestamp,
    /// For a reply: the author of the message replied to (members at the
    /// `MENTIONS` level hear of replies to their own messages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<crate::domain::UserId>,
    /// For a new message: the group's member count as the send saw it, so
    /// fan-out sizes its shards without reading the audience's count (any
    /// count covers every member; `None`: fan-out reads it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_count: Option<u64>,
    /// For `REACTION_*`: the reaction added or removed (`message` carries
    /// the message's new counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaction: Option<Reaction>,
    /// For `TYPING`: who types where, until when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typing: Option<Typing>,
    /// For `REPORT_CREATED`: the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<crate::domain::report::Report>,
}

impl DomainEvent {
    /// A new event of `kind` in `group` with nothing attached: each
    /// constructor below sets what its kind carries.
    fn bare(kind: EventKind, group_id: GroupId, at: Timestamp) -> Self {
        Self {
            id: EventId::generate(),
            kind,
            group_id,
            message: None,
            membership: None,
            cursor: None,
            occurred_at: at,
            reply_to: None,
            member_count: None,
            reaction: None,
            typing: None,
            report: None,
        }
    }

    /// A new report, for the group's webhooks.
    pub fn report_created(report: &crate::domain::report::Report) -> Self {
        Self {
            report: Some(report.clone()),
            ..Self::bare(
                EventKind::ReportCreated,
                report.group_id.clone(),
                report.created_at,
            )
        }
    }

    pub fn message(kind: EventKind, message: Message, at: Timestamp) -> Self {
        let (cursor, group) = (Self::cursor_of(&message), message.group_id.clone());
        Self {
            cursor: Some(cursor),
            message: Some(message),
            ..Self::bare(kind, group, at)
        }
    }

    fn cursor_of(message: &Message) -> String {
        cursor::encode(cursor::MESSAGES, message.parent().key(), &message.seq)
    }

    /// The event with its message at `seq`, and the cursor that goes with
    /// it: a store that takes a send's seq in the statement recording the
    /// event keeps the seq beside the stored payload, not in it.
    pub fn at_seq(mut self, seq: u64) -> Self {
        if let Some(message) = &mut self.message {
            message.seq = seq;
            self.cursor = Some(Self::cursor_of(message));
        }
        self
    }

    /// The event of a send, with the member count the send saw.
    pub fn with_member_count(mut self, count: Option<u64>) -> Self {
        self.member_count = count;
        self
    }

    pub fn membership(membership: Membership, at: Timestamp) -> Self {
        let group = membership.group_id.clone();
        Self {
            membership: Some(membership),
            ..Self::bare(EventKind::MembershipChanged, group, at)
        }
    }

    /// The event a send announces: none for a retried send that found the
    /// first message. `parent` is the message replied to.
    pub fn of_post(posted: &Posted, parent: Option<&Message>, at: Timestamp) -> Option<Self> {
        posted.created.then(|| Self {
            reply_to: parent.map(|p| p.author_id.clone()),
            ..Self::message(EventKind::MessagePosted, posted.message.clone(), at)
        })
    }

    /// Whether a new message concerns `user` beyond being in their group:
    /// it mentions them or replies to them.
    pub fn concerns(&self, user: &crate::domain::UserId) -> bool {
        self.reply_to.as_ref() == Some(user)
            || self
                .message
                .as_ref()
                .is_some_and(|m| m.mentions.contains(user))
    }

    /// Whether this event is pushed to `user`'s devices and Web Push
    /// subscriptions: a new message, not theirs, while they have no live
    /// subscription to the group, as their notification level says. The
    /// one home of the rule, for `deliver` and the local server alike.
    pub fn notifies(
        &self,
        user: &crate::domain::UserId,
        level: super::reading::NotificationLevel,
        online: bool,
    ) -> bool {
        self.kind == EventKind::MessagePosted
            && self.message.as_ref().is_some_and(|m| &m.author_id != user)
            && !online
            && level.hears(self.concerns(user))
    }

    /// The event a message change announces: none when it changed nothing
    /// (deleting a deleted message).
    pub fn of_change(change: &MessageChange, before: &Message, after: Message) -> Option<Self> {
        match change {
            MessageChange::Edit { at, .. } => {
                Some(Self::message(EventKind::MessageEdited, after, *at))
            }
            MessageChange::Delete { .. } | MessageChange::Erase { .. } if before.is_deleted() => {
                None
            }
            MessageChange::Delete { at } | MessageChange::Erase { at, .. } => {
                Some(Self::message(EventKind::MessageDeleted, after, *at))
            }
        }
    }

    /// The event a reaction change announces: none for a repeat that
    /// changed nothing.
    pub fn of_reaction(reacted: &Reacted, add: bool, at: Timestamp) -> Option<Self> {
        let reaction = reacted.changed.clone()?;
        let kind = if add {
            EventKind::ReactionAdded
        } else {
            EventKind::ReactionRemoved
        };
        Some(Self {
            reaction: Some(reaction),
            ..Self::message(kind, reacted.message.clone(), at)
        })
    }

    /// The event a pin change announces: none for a repeat.
    pub fn of_pin(message: &Message, pin: bool, changed: bool, at: Timestamp) -> Option<Self> {
        let kind = if pin {
            EventKind::MessagePinned
        } else {
            EventKind::MessageUnpinned
        };
        changed.then(|| Self::message(kind, message.clone(), at))
    }

    /// The live-only event of a typing indicator.
    pub fn of_typing(typing: Typing, at: Timestamp) -> Self {
        let group = typing.group_id.clone();
        Self {
            typing: Some(typing),
            ..Self::bare(EventKind::Typing, group, at)
        }
    }

    /// The events a membership decision announces: the actor's own change
    /// (an owner handing over), then the target's.
    pub fn of_decision(decision: &Decision, at: Timestamp) -> Vec<Self> {
        let actor = decision.actor.clone().map(|m| Self::membership(m, at));
        let target = Self::membership(decision.target.clone(), at);
        actor.into_iter().chain([target]).collect()
    }

    /// What creating a bot announces: its joining the group.
    pub fn of_new_bot(bot: &NewBot) -> Vec<Self> {
        vec![Self::membership(bot.membership(), bot.now)]
    }

    /// What a change of a bot announces: its leaving, if it left.
    pub fn of_bot_decision(decision: &BotDecision, at: Timestamp) -> Vec<Self> {
        let left = decision.left.iter().cloned();
        left.map(|m| Self::membership(m, at)).collect()
    }

    /// Whether this event ends `user`'s membership: the last event of the
    /// group they hear.
    pub fn ends_membership_of(&self, user: &crate::domain::UserId) -> bool {
        self.kind == EventKind::MembershipChanged
            && self
                .membership
                .as_ref()
                .is_some_and(|m| &m.user_id == user && !m.is_member())
    }
}
