use super::Service;
use crate::domain::access::can_read_content;
use crate::domain::message::Message;
use crate::domain::page::{Page, PageRequest};
use crate::domain::thread::ThreadKey;
use crate::domain::{DomainResult, GroupId, MessageId, UserId};

impl Service {
    /// The top-level messages the viewer wrote or replied under, by last
    /// activity, oldest first: in one group they may read, or in every
    /// group they can still read (threads of groups they left drop out of
    /// the page).
    #[tracing::instrument(skip(self))]
    pub async fn my_threads(
        &self,
        viewer: &UserId,
        group: Option<&GroupId>,
        page: PageRequest<ThreadKey>,
    ) -> DomainResult<Page<(ThreadKey, Message)>> {
        let threads = match group {
            // Checked once, for the one group.
            Some(group) => {
                self.readable_group(viewer, group).await?;
                self.store.my_threads(viewer, Some(group), page).await?
            }
            None => self.store.my_threads(viewer, None, page).await?,
        };
        let roots: Vec<MessageId> = threads.items.iter().map(|t| t.root_id.clone()).collect();
        let messages = self.store.messages(&roots).await?;
        let readable = match group {
            Some(group) => vec![group.clone()],
            None => {
                let mut groups: Vec<GroupId> =
                    threads.items.iter().map(|t| t.group_id.clone()).collect();
                groups.sort();
                groups.dedup();
                self.readable_groups(viewer, &groups).await?
            }
        };
        let items = threads
            .items
            .iter()
            .filter(|t| readable.contains(&t.group_id))
            .filter_map(|t| {
                let root = messages.iter().find(|m| m.id == t.root_id)?;
                Some((t.key(), root.clone()))
            })
            .collect();
        Ok(Page {
            items,
            has_previous: threads.has_previous,
            has_next: threads.has_next,
        })
    }

    /// Which of `groups` the viewer may read the messages of (one read of
    /// groups, one of memberships).
    async fn readable_groups(
        &self,
        viewer: &UserId,
        groups: &[GroupId],
    ) -> DomainResult<Vec<GroupId>> {
        let keys: Vec<(GroupId, UserId)> =
            groups.iter().map(|g| (g.clone(), viewer.clone())).collect();
        let memberships = self.store.memberships(&keys).await?;
        let found = self.store.groups(groups).await?;
        Ok(found
            .into_iter()
            .filter(|g| {
                let mine = memberships.iter().find(|m| m.group_id == g.id);
                can_read_content(g.visibility, mine)
            })
            .map(|g| g.id)
            .collect())
    }
}
