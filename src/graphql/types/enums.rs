use async_graphql::Enum;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "Visibility", remote = "crate::domain::group::Visibility")]
pub enum VisibilityGql {
    Private,
    Public,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "MembershipState",
    remote = "crate::domain::membership::MembershipState"
)]
pub enum MembershipStateGql {
    Applied,
    Member,
    Rejected,
    Left,
    Banned,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "Role", remote = "crate::domain::membership::Role")]
pub enum RoleGql {
    Owner,
    Admin,
    Member,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "crate::domain::event::EventKind")]
pub enum GroupEventType {
    MessagePosted,
    MessageEdited,
    MessageDeleted,
    MembershipChanged,
    ReactionAdded,
    ReactionRemoved,
    MessagePinned,
    MessageUnpinned,
    Typing,
    /// Never on `groupEvents`: a new report goes to the group's webhooks
    /// (moderation bots) only.
    ReportCreated,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "NotificationLevel",
    remote = "crate::domain::reading::NotificationLevel"
)]
pub enum NotificationLevelGql {
    /// Every message.
    All,
    /// Messages that mention the member, and replies to their messages.
    Mentions,
    /// Nothing.
    None,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "DevicePlatform",
    remote = "crate::domain::push::DevicePlatform"
)]
pub enum DevicePlatformGql {
    /// Firebase Cloud Messaging.
    Fcm,
    /// Apple Push Notification service.
    Apns,
    /// APNs' sandbox (development builds).
    ApnsSandbox,
}
