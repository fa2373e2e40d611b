//! Message and group search: scope, budget, candidates from the store's
//! index, and the matching, ranking and snippets of `domain::search`.

use super::Service;
use crate::domain::group::Group;
use crate::domain::message::Message;
use crate::domain::page::PageRequest;
use crate::domain::search::{self, SearchQuery, Snippet};
use crate::domain::{DomainError, DomainResult, GroupId, MessageId, Timestamp, UserId};
use crate::store::{Candidate, SearchScope};
use std::collections::HashMap;

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

/// One group found, and its place in the ranking.
pub struct GroupHit {
    pub group: Group,
    pub offset: usize,
}

pub struct SearchPage<H> {
    pub hits: Vec<H>,
    pub has_next: bool,
    pub has_previous: bool,
}

/// The page of `ranked` (best first, at most [`search::MAX_HITS`] of it
/// reachable) that starts at `offset`, each item with its place.
fn page_of<T>(mut ranked: Vec<T>, offset: usize, first: usize) -> SearchPage<(usize, T)> {
    ranked.truncate(search::MAX_HITS);
    let total = ranked.len();
    SearchPage {
        hits: ranked
            .into_iter()
            .enumerate()
            .skip(offset)
            .take(first)
            .collect(),
        has_next: offset + first < total,
        has_previous: offset > 0,
    }
}

impl<H> SearchPage<H> {
    fn map<T>(self, f: impl FnMut(H) -> T) -> SearchPage<T> {
        SearchPage {
            hits: self.hits.into_iter().map(f).collect(),
            has_next: self.has_next,
            has_previous: self.has_previous,
        }
    }
}

impl Service {
    /// Finds messages of the viewer's groups (or of the one named, which
    /// the viewer must be able to read), best first, then newest.
    #[tracing::instrument(skip_all)]
    pub async fn search_messages(
        &self,
        viewer: &UserId,
        request: SearchRequest,
    ) -> DomainResult<SearchPage<SearchHit>> {
        let query = self
            .search_query(viewer, &request.query, request.first)
            .await?;
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
        let mut ranked: Vec<(search::Relevance, Candidate)> = candidates
            .into_iter()
            .filter_map(|c| Some((query.score(&c.body)?, c)))
            .collect();
        ranked
            .sort_by(|(ra, a), (rb, b)| (rb, b.created_at, &b.id).cmp(&(ra, a.created_at, &a.id)));
        let page = page_of(ranked, request.offset, request.first);
        // The page's messages, read whole; one deleted since is left out.
        let ids: Vec<MessageId> = page.hits.iter().map(|(_, (_, c))| c.id.clone()).collect();
        let mut messages: HashMap<MessageId, Message> = self
            .store
            .messages(&ids)
            .await?
            .into_iter()
            .filter(|m| !m.is_deleted())
            .map(|m| (m.id.clone(), m))
            .collect();
        let hits = page.map(|(offset, (_, candidate))| {
            let message = messages.remove(&candidate.id)?;
            Some(SearchHit {
                snippet: query.snippet(&candidate.body),
                message,
                offset,
            })
        });
        Ok(SearchPage {
            hits: hits.hits.into_iter().flatten().collect(),
            has_next: hits.has_next,
            has_previous: hits.has_previous,
        })
    }

    /// Finds groups by the words of their name and description (the same
    /// language and budget as messages), best first, then by name.
    #[tracing::instrument(skip_all)]
    pub async fn search_groups(
        &self,
        viewer: &UserId,
        query: &str,
        offset: usize,
        first: usize,
    ) -> DomainResult<SearchPage<GroupHit>> {
        crate::domain::access::people_only(viewer)?;
        let query = self.search_query(viewer, query, first).await?;
        let candidates = self
            .store
            .search_group_candidates(&query.engine_words(), search::MAX_CANDIDATES)
            .await?;
        let mut ranked: Vec<(search::Relevance, String, Group)> = candidates
            .into_iter()
            // A group without members (its owner deleted their account as
            // its last member) is nobody's to join.
            .filter(|g| g.member_count > 0)
            .filter_map(|g| {
                let text = search::group_text(&g.name, g.description.as_deref());
                Some((query.score(&text)?, g.name.to_lowercase(), g))
            })
            .collect();
        ranked.sort_by(|(ra, na, a), (rb, nb, b)| (rb, na, &a.id).cmp(&(ra, nb, &b.id)));
        let page = page_of(ranked, offset, first);
        Ok(page.map(|(offset, (_, _, group))| GroupHit { group, offset }))
    }

    /// Takes one search from the viewer's budget and parses its query.
    async fn search_query(
        &self,
        viewer: &UserId,
        raw: &str,
        first: usize,
    ) -> DomainResult<SearchQuery> {
        self.search_limiter.check(viewer).await?;
        let query = SearchQuery::parse(raw)?;
        if !(1..=search::MAX_PAGE).contains(&first) {
            return Err(DomainError::invalid(format!(
                "`first` must be between 1 and {}",
                search::MAX_PAGE
            )));
        }
        Ok(query)
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
