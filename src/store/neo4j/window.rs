//! Which seqs a page of a thread covers.

use crate::domain::page::PageRequest;

/// The seqs a page covers in a thread of `size` children (seqs 1..=size).
#[derive(Debug, PartialEq, Eq)]
pub struct SeqWindow {
    pub first: u64,
    pub last: u64,
    pub has_previous: bool,
    pub has_next: bool,
}

impl SeqWindow {
    pub fn of(page: &PageRequest<u64>, size: u64) -> Self {
        let (first, last) = match page {
            PageRequest::Forward { after, limit } => {
                let first = after.unwrap_or(0).saturating_add(1);
                (
                    first,
                    first
                        .saturating_add(*limit as u64)
                        .saturating_sub(1)
                        .min(size),
                )
            }
            PageRequest::Backward { before, limit } => {
                let last = before.map_or(size, |b| b.saturating_sub(1)).min(size);
                (
                    last.saturating_sub(*limit as u64).saturating_add(1).max(1),
                    last,
                )
            }
        };
        // Seqs 1..first-1 and last+1..=size lie outside the page.
        Self {
            first,
            last,
            has_previous: first > 1 && size > 0,
            has_next: last < size,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(page: PageRequest<u64>, size: u64) -> (u64, u64, bool, bool) {
        let w = SeqWindow::of(&page, size);
        (w.first, w.last, w.has_previous, w.has_next)
    }

    #[test]
    fn pages_map_to_seq_ranges_with_exact_flags() {
        assert_eq!(
            window(
                PageRequest::Forward {
                    after: None,
                    limit: 3
                },
                10
            ),
            (1, 3, false, true)
        );
        assert_eq!(
            window(
                PageRequest::Forward {
                    after: Some(8),
                    limit: 3
                },
                10
            ),
            (9, 10, true, false)
        );
        assert_eq!(
            window(
                PageRequest::Backward {
                    before: None,
                    limit: 3
                },
                10
            ),
            (8, 10, true, false)
        );
        assert_eq!(
            window(
                PageRequest::Backward {
                    before: Some(3),
                    limit: 5
                },
                10
            ),
            (1, 2, false, true)
        );
        let empty = window(
            PageRequest::Forward {
                after: None,
                limit: 3,
            },
            0,
        );
        assert!(empty.0 > empty.1 && !empty.2 && !empty.3);
        let past_end = window(
            PageRequest::Forward {
                after: Some(10),
                limit: 3,
            },
            10,
        );
        assert!(past_end.0 > past_end.1 && past_end.2 && !past_end.3);
        let zero = window(
            PageRequest::Forward {
                after: Some(4),
                limit: 0,
            },
            10,
        );
        assert_eq!((zero.2, zero.3), (true, true));
    }
}
