use super::Service;
use crate::domain::access::can_read_content;
use crate::domain::membership::Membership;
use crate::domain::message::Message;
use crate::domain::page::{Page, PageRequest};
use crate::domain::reading::SeenKey;
use crate::domain::thread::{Thread, ThreadKey};
use crate::domain::{DomainError, DomainResult, GroupId, MessageId, UserId};

impl Service {
    /// Summaries of top-level messages the caller was shown (a page's
    /// `thread` fields: one read).
    pub async fn threads(&self, roots: &[MessageId]) -> DomainResult<Vec<Thread>> {
        Ok(self.store.threads(roots).await?)
    }

    /// Which of `roots` the viewer took part in.
    pub async fn participated(
        &self,
        viewer: &UserId,
        roots: &[MessageId],
    ) -> DomainResult<Vec<MessageId>> {
        Ok(self.store.participated(viewer, roots).await?)
    }

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
        if let Some(group) = group {
            self.readable_group(viewer, group).await?;
        }
        let threads = self.store.my_threads(viewer, group, page).await?;
        let roots: Vec<MessageId> = threads.items.iter().map(|t| t.root_id.clone()).collect();
        let messages = self.store.messages(&roots).await?;
        let mut groups: Vec<GroupId> = threads.items.iter().map(|t| t.group_id.clone()).collect();
        groups.sort();
        groups.dedup();
        let readable = self.readable_groups(viewer, &groups).await?;
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

    /// The members who have read `message` (their marker at or past it),
    /// its author left out, by how far they read; forward only.
    #[tracing::instrument(skip(self, message), fields(message = %message.id))]
    pub async fn seen_by(
        &self,
        viewer: &UserId,
        message: &Message,
        page: PageRequest<SeenKey>,
    ) -> DomainResult<Page<(SeenKey, Membership)>> {
        self.readable_group(viewer, &message.group_id).await?;
        let PageRequest::Forward { after, limit } = page else {
            return Err(DomainError::invalid("seenBy pages forward (first, after)"));
        };
        Ok(self.store.seen_by(&message.id, after, limit).await?)
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
