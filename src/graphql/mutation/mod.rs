mod account;
mod bots;
mod groups;
mod live;
mod membership;
mod messages;
mod moderation;
mod push;
mod reading;
mod webhooks;

use crate::domain::{GroupId, MessageId, UserId};
use crate::graphql::errors::ApiResult;
use async_graphql::{MergedObject, ID};

#[derive(MergedObject, Default)]
pub struct Mutation(
    account::AccountMutation,
    bots::BotMutation,
    bots::HookMutation,
    groups::GroupMutation,
    live::LiveMutation,
    membership::MembershipMutation,
    messages::MessageMutation,
    moderation::ModerationMutation,
    push::PushMutation,
    reading::ReadingMutation,
    webhooks::WebhookMutation,
);

fn group_id(id: &ID) -> ApiResult<GroupId> {
    Ok(GroupId::parse(id)?)
}

fn user_id(id: &ID) -> ApiResult<UserId> {
    Ok(UserId::parse(id)?)
}

fn message_id(id: &ID) -> ApiResult<MessageId> {
    Ok(MessageId::parse(id)?)
}
