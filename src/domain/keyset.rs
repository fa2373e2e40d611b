//! Keyset paging over ordered maps: O(log n + page) per page.

use crate::domain::page::{Page, PageRequest};
use std::collections::BTreeMap;
use std::ops::Bound::{Excluded, Included, Unbounded};

/// One page of `map`'s entries that pass `keep`, in ascending key order.
/// With a filter that rejects most entries, a page can cost more than its
/// size; the indexes used with no filter (threads, members) never do.
pub fn page<K, V, T>(
    map: &BTreeMap<K, V>,
    request: &PageRequest<K>,
    keep: impl Fn(&K, &V) -> bool,
    out: impl Fn(&K, &V) -> T,
) -> Page<T>
where
    K: Ord,
{
    match request {
        PageRequest::Forward { after, limit } => {
            let lower = after.as_ref().map_or(Unbounded, Excluded);
            let mut items: Vec<T> = map
                .range((lower, Unbounded))
                .filter(|(k, v)| keep(k, v))
                .take(limit + 1)
                .map(|(k, v)| out(k, v))
                .collect();
            let has_next = items.len() > *limit;
            items.truncate(*limit);
            let has_previous = after.as_ref().is_some_and(|after| {
                map.range((Unbounded, Included(after)))
                    .any(|(k, v)| keep(k, v))
            });
            Page {
                items,
                has_previous,
                has_next,
            }
        }
        PageRequest::Backward { before, limit } => {
            let upper = before.as_ref().map_or(Unbounded, Excluded);
            let mut items: Vec<T> = map
                .range((Unbounded, upper))
                .rev()
                .filter(|(k, v)| keep(k, v))
                .take(limit + 1)
                .map(|(k, v)| out(k, v))
                .collect();
            let has_previous = items.len() > *limit;
            items.truncate(*limit);
            items.reverse();
            let has_next = before.as_ref().is_some_and(|before| {
                map.range((Included(before), Unbounded))
                    .any(|(k, v)| keep(k, v))
            });
            Page {
                items,
                has_previous,
                has_next,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seqs(n: u64) -> BTreeMap<u64, ()> {
        (1..=n).map(|s| (s, ())).collect()
    }

    fn run(req: PageRequest<u64>) -> (Vec<u64>, bool, bool) {
        let p = page(&seqs(10), &req, |_, _| true, |k, _| *k);
        (p.items, p.has_previous, p.has_next)
    }

    #[test]
    fn forward_and_backward_pages_are_ascending_with_exact_flags() {
        let fwd = run(PageRequest::Forward {
            after: Some(3),
            limit: 3,
        });
        assert_eq!(fwd, (vec![4, 5, 6], true, true));
        let back = run(PageRequest::Backward {
            before: None,
            limit: 4,
        });
        assert_eq!(back, (vec![7, 8, 9, 10], true, false));
        let all = run(PageRequest::Forward {
            after: None,
            limit: 10,
        });
        assert_eq!((all.1, all.2), (false, false));
    }
}
