//! Message search: scope, budget, candidates from the store's index, and
//! the matching, ranking and snippets of `domain::search`.

use super::Service;
use crate::domain::message::Message;
use crate::domain::page::PageRequest;
use crate::domain::search::{self, SearchQuery, Snippet};
use crate::domain::{DomainError, DomainResult, GroupId, Timestamp, UserId};
use crate::store::SearchScope;

/// The most groups one search covers (the viewer's, 100 per read).
const MAX_GROUPS: usize = 1_000;

/// What to search for, and where.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub group: Option<GroupId>,
    pub author: Option<UserId>,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    /// Hits to skip (the page's start) and to return.
    pub offset: usize,
    pub first: usize,
}

/// One hit: the message, its place in the ranking, and its snippet.
pub struct SearchHit {
    pub message: Message,
    pub offset: usize,
    pub snippet: Snippet,
}

pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    pub has_next: bool,
    pub has_previous: bool,
}

impl Service {
    /// Finds messages of the viewer's groups (or of the one named, which
    /// the viewer must be able to read), best first, then newest.
    #[tracing::instrument(skip_all)]
    pub async fn search_messages(
        &self,
        viewer: &UserId,
        request: SearchRequest,
    ) -> DomainResult<SearchPage> {
        self.search_limiter.check(viewer).await?;
        let query = SearchQuery::parse(&request.query)?;
        if !(1..=search::MAX_PAGE).contains(&request.first) {
            return Err(DomainError::invalid(format!(
                "`first` must be between 1 and {}",
                search::MAX_PAGE
            )));
        }
        let groups = match &request.group {
            Some(group) => {
                self.readable_group(viewer, group).await?;
                vec![group.clone()]
            }
            None => self.member_groups(viewer).await?,
        };
        let scope = SearchScope {
            groups,
            author: request.author.clone(),
            since: request.since,
            until: request.until,
        };
        let candidates = self
            .store
            .search_candidates(&scope, &query.engine_words(), search::MAX_CANDIDATES)
            .await?;
        let mut ranked: Vec<(search::Relevance, Message)> = candidates
            .into_iter()
            .filter_map(|m| {
                let relevance = query.score(m.body.as_deref()?)?;
                Some((relevance, m))
            })
            .collect();
        ranked
            .sort_by(|(ra, a), (rb, b)| (rb, b.created_at, &b.id).cmp(&(ra, a.created_at, &a.id)));
        ranked.truncate(search::MAX_HITS);
        let total = ranked.len();
        let hits = ranked
            .into_iter()
            .enumerate()
            .skip(request.offset)
            .take(request.first)
            .map(|(offset, (_, message))| SearchHit {
                snippet: query.snippet(message.body.as_deref().unwrap_or_default()),
                message,
                offset,
            })
            .collect();
        Ok(SearchPage {
            hits,
            has_next: request.offset + request.first < total,
            has_previous: request.offset > 0,
        })
    }

    /// The groups where the viewer is a member (a bot: its own).
    async fn member_groups(&self, viewer: &UserId) -> DomainResult<Vec<GroupId>> {
        let mut groups = Vec::new();
        let mut after = None;
        while groups.len() < MAX_GROUPS {
            let request = PageRequest::Forward { after, limit: 100 };
            let page = self.store.user_memberships(viewer, request).await?;
            after = page
                .items
                .last()
                .map(|m| (m.since.timestamp_micros(), m.group_id.clone()));
            groups.extend(page.items.into_iter().map(|m| m.group_id));
            if !page.has_next {
                break;
            }
        }
        Ok(groups)
    }
}
