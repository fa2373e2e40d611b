//! The access check's reads on Neo4j, one statement each: a group and one
//! user's membership in it (`cypher/group_access.cypher`), and the same
//! with a message of the group (`cypher/message_access.cypher`).

use super::queries as q;
use super::rows::{GroupRow, MembershipRow, MessageRow};
use super::tx;
use super::Neo4jStore;
use crate::domain::group::Group;
use crate::domain::membership::Membership;
use crate::domain::message::Message;
use crate::domain::{GroupId, MessageId, UserId};
use crate::store::{StoreError, StoreResult};
use serde::Deserialize;

#[derive(Deserialize)]
struct MessageAccess {
    message: MessageRow,
    grp: GroupRow,
    membership: Option<MembershipRow>,
}

impl Neo4jStore {
    /// The message, its group and the user's membership: one statement.
    pub(super) async fn message_access_impl(
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

    /// The group and the user's membership in it: one statement.
    pub(super) async fn access_impl(
        &self,
        group: &GroupId,
        user: &UserId,
    ) -> StoreResult<Option<(Group, Option<Membership>)>> {
        let statement = q::GROUP_ACCESS
            .query()
            .param("groupId", group.as_str())
            .param("userId", user.as_str());
        let Some(row) = tx::read_rows(&self.graph, statement).await?.pop() else {
            return Ok(None);
        };
        let decode = |e: neo4rs::DeError| StoreError::Internal(Box::new(e));
        let found: Group = row.to::<GroupRow>().map_err(decode)?.try_into()?;
        let membership = match row.get::<Option<String>>("state").ok().flatten() {
            Some(_) => Some(row.to::<MembershipRow>().map_err(decode)?.try_into()?),
            None => None,
        };
        Ok(Some((found, membership)))
    }
}
