//! A member's devices in the audience: their push subscriptions, copied
//! into each of their groups when they join or register, removed when they
//! leave or unregister (or the push service responds 410).

use super::{group_pk, user_pk, user_prefix, DynamoAudience, Item, AUDIENCE_PK, AUDIENCE_SK, SEP};
use crate::delivery::dynamo::failure;
use crate::delivery::dynamo::{n, number, s, text};
use crate::domain::push::{NativeDevice, PushSubscription};
use crate::domain::reading::NotificationLevel;
use crate::domain::{GroupId, UserId};
use crate::service::ports::RegistryError;
use aws_sdk_dynamodb::types::AttributeValue;
use futures_util::future::try_join_all;
use std::collections::HashMap;

/// A short stable key of a push endpoint (the first 128 bits of its
/// SHA-256, hex): endpoints are long URLs or tokens.
pub(crate) fn endpoint_key(endpoint: &str) -> String {
    let digest = openssl::sha::sha256(endpoint.as_bytes());
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

fn push_sk(user: &UserId, endpoint: &str) -> String {
    format!("{}p{SEP}{}", user_prefix(user), endpoint_key(endpoint))
}

/// A native device's attributes beside a push row (none for Web Push).
pub(crate) fn device_attributes(sub: &PushSubscription) -> Vec<(String, AttributeValue)> {
    let Some(device) = &sub.device else {
        return Vec::new();
    };
    let mut attributes = vec![("platform".to_owned(), s(device.platform.as_str()))];
    if let Some(arn) = &device.arn {
        attributes.push(("arn".to_owned(), s(arn)));
    }
    attributes
}

/// The native device a push row describes, if it is one.
pub(crate) fn device_of(item: &Item) -> Option<NativeDevice> {
    let platform = text(item, "platform")?;
    let platform = serde_json::from_value(serde_json::Value::String(platform)).ok()?;
    Some(NativeDevice {
        platform,
        arn: text(item, "arn"),
    })
}

fn push_item(group: &GroupId, sub: &PushSubscription) -> Item {
    let mut item = HashMap::from([
        (AUDIENCE_PK.to_owned(), s(group_pk(group))),
        (
            AUDIENCE_SK.to_owned(),
            s(push_sk(&sub.user_id, &sub.endpoint)),
        ),
        ("userId".to_owned(), s(sub.user_id.as_str())),
        ("endpoint".to_owned(), s(&sub.endpoint)),
        ("p256dh".to_owned(), s(&sub.p256dh)),
        ("auth".to_owned(), s(&sub.auth)),
        ("createdAt".to_owned(), n(sub.created_at.timestamp_micros())),
    ]);
    item.extend(device_attributes(sub));
    item
}

/// A push subscription row of a shard, decoded.
pub(super) fn push_of(item: &Item) -> Option<PushSubscription> {
    Some(PushSubscription {
        user_id: UserId::parse(&text(item, "userId")?).ok()?,
        endpoint: text(item, "endpoint")?,
        p256dh: text(item, "p256dh")?,
        auth: text(item, "auth")?,
        created_at: chrono::DateTime::from_timestamp_micros(number(item, "createdAt")?)?,
        device: device_of(item),
    })
}

impl DynamoAudience {
    /// The member's notification level, on their marker (kept by `apply`).
    pub async fn set_level(
        &self,
        group: &GroupId,
        user: &UserId,
        level: NotificationLevel,
    ) -> Result<(), RegistryError> {
        self.client
            .update_item()
            .table_name(&self.table)
            .key(AUDIENCE_PK, s(group_pk(group)))
            .key(AUDIENCE_SK, s(format!("{}m", user_prefix(user))))
            .update_expression("SET #level = :l, userId = :u")
            .expression_attribute_names("#level", "level")
            .expression_attribute_values(":l", s(level.as_str()))
            .expression_attribute_values(":u", s(user.as_str()))
            .send()
            .await
            .map_err(failure)?;
        Ok(())
    }

    /// The groups the user is a member of, as the audience knows them.
    async fn groups_of(&self, user: &UserId) -> Result<Vec<GroupId>, RegistryError> {
        let items = self.items(user_pk(user), "g#".into(), None).await?;
        Ok(items
            .iter()
            .filter_map(|item| text(item, "groupId").and_then(|g| GroupId::parse(&g).ok()))
            .collect())
    }

    /// A new or renewed push subscription joins each of the user's groups.
    pub async fn add_push(&self, sub: &PushSubscription) -> Result<(), RegistryError> {
        let groups = self.groups_of(&sub.user_id).await?;
        try_join_all(groups.iter().map(|g| self.put(push_item(g, sub)))).await?;
        Ok(())
    }

    /// A removed push subscription leaves each of the user's groups.
    pub async fn remove_push(&self, user: &UserId, endpoint: &str) -> Result<(), RegistryError> {
        let groups = self.groups_of(user).await?;
        let sk = push_sk(user, endpoint);
        try_join_all(groups.iter().map(|g| self.delete(group_pk(g), sk.clone()))).await?;
        Ok(())
    }

    /// A new member's devices join the group.
    pub(super) async fn put_devices(
        &self,
        group: &GroupId,
        pushes: &[PushSubscription],
    ) -> Result<(), RegistryError> {
        try_join_all(pushes.iter().map(|p| self.put(push_item(group, p)))).await?;
        Ok(())
    }

    /// A former member's devices leave the group.
    pub(super) async fn remove_devices(
        &self,
        group: &GroupId,
        user: &UserId,
    ) -> Result<(), RegistryError> {
        let prefix = format!("{}p{SEP}", user_prefix(user));
        let rows = self.items(group_pk(group), prefix, None).await?;
        try_join_all(rows.iter().filter_map(|item| {
            let sk = text(item, AUDIENCE_SK)?;
            Some(self.delete(group_pk(group), sk))
        }))
        .await?;
        Ok(())
    }
}
