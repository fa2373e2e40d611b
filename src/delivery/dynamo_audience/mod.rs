//! Group audiences in DynamoDB (`AUDIENCE_TABLE`, keys `pk`/`sk`, TTL).
//!
//! - `g#<group>` / `meta`: `members`, the member count that sizes shards;
//! - `g#<group>` / `<slot>␟<user>␟m`: the user's membership marker
//!   (`member`, and `version`, the membership's `updated_at`, so an older
//!   change arriving late is ignored); former members' markers expire;
//! - `g#<group>` / `<slot>␟<user>␟p␟<endpoint hash>`: a member's push
//!   subscription;
//! - `u#<user>` / `g#<group>`: the groups a user is a member of, so a new
//!   push registration reaches each of them.
//!
//! `<slot>` is four hex digits and `␟` (U+001F) cannot occur in ids, so a
//! shard is one key range of the group's partition.

mod devices;

pub(crate) use devices::{device_attributes, device_of, endpoint_key};

use super::audience::{slot, Audience, Shard, ShardAudience};
use super::dynamo::{failure, n, number, s, text, TTL_ATTRIBUTE};
use super::dynamo_connections::is_condition_failure;
use super::dynamo_connections::ConnectionRegistry;
use crate::domain::membership::Membership;
use crate::domain::push::PushSubscription;
use crate::domain::reading::NotificationLevel;
use crate::domain::{GroupId, UserId};
use crate::service::ports::RegistryError;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use aws_sdk_dynamodb::Client;
use std::collections::HashMap;

pub const AUDIENCE_PK: &str = "pk";
pub const AUDIENCE_SK: &str = "sk";
const SEP: char = '\u{1f}';
const META: &str = "meta";
/// How a member marker's sort key ends.
const MARKER: &str = "\u{1f}m";
/// How long a former member's marker outlives the membership.
const FORMER_TTL_SECS: i64 = 7 * 24 * 3600;

fn group_pk(group: &GroupId) -> String {
    format!("g#{group}")
}

fn user_pk(user: &UserId) -> String {
    format!("u#{user}")
}

fn user_prefix(user: &UserId) -> String {
    format!("{:04x}{SEP}{user}{SEP}", slot(user))
}

type Item = HashMap<String, AttributeValue>;

#[derive(Clone)]
pub struct DynamoAudience {
    client: Client,
    table: String,
    connections: ConnectionRegistry,
}

impl DynamoAudience {
    pub fn new(client: Client, table: String, connections: ConnectionRegistry) -> Self {
        Self {
            client,
            table,
            connections,
        }
    }

    async fn put(&self, item: Item) -> Result<(), RegistryError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(failure)?;
        Ok(())
    }

    async fn delete(&self, pk: String, sk: String) -> Result<(), RegistryError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .key(AUDIENCE_PK, s(pk))
            .key(AUDIENCE_SK, s(sk))
            .send()
            .await
            .map_err(failure)?;
        Ok(())
    }

    /// Every item of `pk` whose sort key is in `[from, to]` or starts with `from`.
    async fn items(
        &self,
        pk: String,
        from: String,
        to: Option<String>,
    ) -> Result<Vec<Item>, RegistryError> {
        let query = self
            .client
            .query()
            .table_name(&self.table)
            .consistent_read(true)
            .expression_attribute_values(":pk", s(pk))
            .expression_attribute_values(":from", s(from));
        let query = match to {
            Some(to) => query
                .key_condition_expression("pk = :pk AND sk BETWEEN :from AND :to")
                .expression_attribute_values(":to", s(to)),
            None => query.key_condition_expression("pk = :pk AND begins_with(sk, :from)"),
        };
        super::dynamo::all_items(query).await
    }

    /// Puts (member) or removes (not) the user's rows in the group.
    async fn sync(
        &self,
        group: &GroupId,
        user: &UserId,
        member: bool,
        pushes: &[PushSubscription],
    ) -> Result<(), RegistryError> {
        if member {
            let index = HashMap::from([
                (AUDIENCE_PK.to_owned(), s(user_pk(user))),
                (AUDIENCE_SK.to_owned(), s(format!("g#{group}"))),
                ("groupId".to_owned(), s(group.as_str())),
            ]);
            self.put(index).await?;
            self.put_devices(group, pushes).await?;
        } else {
            self.delete(user_pk(user), format!("g#{group}")).await?;
            self.remove_devices(group, user).await?;
        }
        Ok(())
    }

    /// Whether the marker says member now (strongly consistent).
    async fn marker(&self, group: &GroupId, user: &UserId) -> Result<bool, RegistryError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .consistent_read(true)
            .key(AUDIENCE_PK, s(group_pk(group)))
            .key(AUDIENCE_SK, s(format!("{}m", user_prefix(user))))
            .send()
            .await
            .map_err(failure)?;
        Ok(out.item().is_some_and(is_member))
    }
}

fn level_of(name: &str) -> Option<NotificationLevel> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}

fn is_member(item: &Item) -> bool {
    item.get("member").and_then(|v| v.as_bool().ok()) == Some(&true)
}

#[async_trait]
impl Audience for DynamoAudience {
    async fn size(&self, group: &GroupId) -> Result<u64, RegistryError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(AUDIENCE_PK, s(group_pk(group)))
            .key(AUDIENCE_SK, s(META))
            .send()
            .await
            .map_err(failure)?;
        Ok(out
            .item()
            .and_then(|item| number::<i64>(item, "members"))
            .map_or(0, |n| n.max(0) as u64))
    }

    async fn shard(&self, group: &GroupId, shard: Shard) -> Result<ShardAudience, RegistryError> {
        let (first, last) = shard.slots();
        // Every key of the last slot sorts below `<last>` + a space.
        let rows = self.items(
            group_pk(group),
            format!("{first:04x}"),
            Some(format!("{last:04x} ")),
        );
        let sockets = self.connections.subscriptions_of_slots(group, first, last);
        let (rows, sockets) = futures_util::try_join!(rows, sockets)?;
        let mut audience = ShardAudience {
            sockets,
            ..ShardAudience::default()
        };
        for item in &rows {
            let Some(sk) = text(item, AUDIENCE_SK) else {
                continue;
            };
            if sk.ends_with(MARKER) {
                let Some(user) = text(item, "userId").and_then(|u| UserId::parse(&u).ok()) else {
                    continue;
                };
                let level = text(item, "level").and_then(|l| level_of(&l));
                if let Some(level) = level.filter(|l| *l != NotificationLevel::All) {
                    audience.levels.insert(user.clone(), level);
                }
                if is_member(item) {
                    audience.members.insert(user);
                } else {
                    audience.former.insert(user);
                }
            } else if let Some(push) = devices::push_of(item) {
                audience.pushes.push(push);
            }
        }
        Ok(audience)
    }

    async fn apply(
        &self,
        membership: &Membership,
        pushes: &[PushSubscription],
    ) -> Result<(), RegistryError> {
        let (group, user) = (&membership.group_id, &membership.user_id);
        let member = membership.is_member();
        let version = n(membership.updated_at.timestamp_micros());
        let update = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(AUDIENCE_PK, s(group_pk(group)))
            .key(AUDIENCE_SK, s(format!("{}m", user_prefix(user))))
            .expression_attribute_names("#ttl", TTL_ATTRIBUTE)
            .expression_attribute_names("#member", "member")
            .expression_attribute_names("#version", "version")
            .expression_attribute_names("#user", "userId")
            .expression_attribute_values(":u", s(user.as_str()))
            .expression_attribute_values(":m", AttributeValue::Bool(member))
            .expression_attribute_values(":v", version)
            // The same change again (a redelivery) is applied again.
            .condition_expression("attribute_not_exists(#version) OR #version <= :v")
            .return_values(ReturnValue::AllOld);
        // An update, not a put: the member's level stays.
        let put = if member {
            update.update_expression("SET #user = :u, #member = :m, #version = :v REMOVE #ttl")
        } else {
            let until = chrono::Utc::now().timestamp() + FORMER_TTL_SECS;
            update
                .update_expression("SET #user = :u, #member = :m, #version = :v, #ttl = :t")
                .expression_attribute_values(":t", n(until))
        }
        .send()
        .await;
        let before = match put {
            Ok(out) => out.attributes().is_some_and(is_member),
            Err(err) if err.as_service_error().is_some_and(is_condition_failure) => {
                return Ok(()); // a newer change is already applied
            }
            Err(err) => return Err(failure(err)),
        };
        if before != member {
            self.client
                .update_item()
                .table_name(&self.table)
                .key(AUDIENCE_PK, s(group_pk(group)))
                .key(AUDIENCE_SK, s(META))
                .update_expression("ADD members :d")
                .expression_attribute_values(":d", n(if member { 1 } else { -1 }))
                .send()
                .await
                .map_err(failure)?;
        }
        self.sync(group, user, member, pushes).await?;
        // A newer change may have landed while this one wrote its rows:
        // settle on what the marker says now.
        let now = self.marker(group, user).await?;
        if now != member {
            self.sync(group, user, now, pushes).await?;
        }
        Ok(())
    }
}
