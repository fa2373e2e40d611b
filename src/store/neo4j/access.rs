//! The access check's read on Neo4j: a group and one user's membership in
//! it, in one statement (`cypher/group_access.cypher`).

use super::queries as q;
use super::rows::{GroupRow, MembershipRow};
use super::tx;
use super::Neo4jStore;
use crate::domain::group::Group;
use crate::domain::membership::Membership;
use crate::domain::{GroupId, UserId};
use crate::store::{StoreError, StoreResult};

impl Neo4jStore {
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
