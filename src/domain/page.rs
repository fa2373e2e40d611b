//! Keyset pages. A request names a direction, an exclusive bound and a
//! size; a store responds with the items in ascending key order and whether
//! more exist on each side. Never offsets: a page costs O(size).

use super::DomainError;

pub const DEFAULT_PAGE_SIZE: usize = 20;
pub const MAX_PAGE_SIZE: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageRequest<K> {
    /// The first `limit` items with key > `after`.
    Forward { after: Option<K>, limit: usize },
    /// The last `limit` items with key < `before`.
    Backward { before: Option<K>, limit: usize },
}

impl<K> PageRequest<K> {
    /// Builds a request from Relay arguments; `first` with `before` or
    /// `last` with `after` are refused, as are sizes outside 0..=100.
    pub fn from_relay(
        first: Option<i32>,
        after: Option<K>,
        last: Option<i32>,
        before: Option<K>,
    ) -> Result<Self, DomainError> {
        let size = |n: i32, name: &str| {
            usize::try_from(n)
                .ok()
                .filter(|n| *n <= MAX_PAGE_SIZE)
                .ok_or_else(|| {
                    DomainError::invalid(format!("`{name}` must be between 0 and {MAX_PAGE_SIZE}"))
                })
        };
        match (first, last) {
            (Some(_), Some(_)) => Err(DomainError::invalid(
                "pass either `first` or `last`, not both",
            )),
            (_, Some(n)) if after.is_none() => Ok(Self::Backward {
                before,
                limit: size(n, "last")?,
            }),
            (Some(n), None) if before.is_none() => Ok(Self::Forward {
                after,
                limit: size(n, "first")?,
            }),
            (None, None) if after.is_none() && before.is_some() => Ok(Self::Backward {
                before,
                limit: DEFAULT_PAGE_SIZE,
            }),
            (None, None) if before.is_none() => Ok(Self::Forward {
                after,
                limit: DEFAULT_PAGE_SIZE,
            }),
            _ => Err(DomainError::invalid(
                "use `first` with `after`, or `last` with `before`",
            )),
        }
    }
}

/// Items in ascending key order, oldest first in both directions.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_previous: bool,
    pub has_next: bool,
}

impl<T> Page<T> {
    pub fn empty() -> Self {
        Self {
            items: Vec::new(),
            has_previous: false,
            has_next: false,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            has_previous: self.has_previous,
            has_next: self.has_next,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relay_arguments_map_to_one_direction() {
        assert_eq!(
            PageRequest::<u64>::from_relay(None, None, None, None).unwrap(),
            PageRequest::Forward {
                after: None,
                limit: 20
            }
        );
        assert_eq!(
            PageRequest::from_relay(None, None, Some(5), Some(9u64)).unwrap(),
            PageRequest::Backward {
                before: Some(9),
                limit: 5
            }
        );
        assert!(PageRequest::<u64>::from_relay(Some(1), None, Some(1), None).is_err());
        assert!(PageRequest::<u64>::from_relay(Some(101), None, None, None).is_err());
        assert!(PageRequest::<u64>::from_relay(Some(-1), None, None, None).is_err());
        assert!(PageRequest::from_relay(Some(3), None, None, Some(4u64)).is_err());
    }
}
