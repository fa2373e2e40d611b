//! Pages read through an index whose rows are looked up one by one.

use crate::domain::page::Page;

pub(super) trait FilterSome<T> {
    fn filter_some(self) -> Page<T>;
}

impl<T> FilterSome<T> for Page<Option<T>> {
    /// Drops index entries whose row vanished (never happens under the lock,
    /// but an index must not be trusted to panic on).
    fn filter_some(self) -> Page<T> {
        Page {
            items: self.items.into_iter().flatten().collect(),
            has_previous: self.has_previous,
            has_next: self.has_next,
        }
    }
}
