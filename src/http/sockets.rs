//! How many WebSockets each user holds open on this process.

use crate::domain::UserId;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Default)]
pub struct SocketCounts(Mutex<HashMap<UserId, usize>>);

/// One open socket of a user; its count drops with it.
pub struct SocketClaim {
    counts: Arc<SocketCounts>,
    user: UserId,
}

impl SocketCounts {
    /// A claim on one more socket for `user`, unless they hold `max` already.
    pub fn claim(self: &Arc<Self>, user: &UserId, max: usize) -> Option<SocketClaim> {
        let mut counts = self.0.lock();
        if counts.get(user).copied().unwrap_or(0) >= max {
            return None;
        }
        *counts.entry(user.clone()).or_default() += 1;
        Some(SocketClaim {
            counts: self.clone(),
            user: user.clone(),
        })
    }

    pub fn open(&self, user: &UserId) -> usize {
        self.0.lock().get(user).copied().unwrap_or(0)
    }
}

impl Drop for SocketClaim {
    fn drop(&mut self) {
        let mut counts = self.counts.0.lock();
        if let Some(count) = counts.get_mut(&self.user) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                counts.remove(&self.user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_capped_per_user_and_released_on_drop() {
        let counts = Arc::new(SocketCounts::default());
        let (ada, bob) = (UserId::parse("ada").unwrap(), UserId::parse("bob").unwrap());
        let first = counts.claim(&ada, 2);
        let second = counts.claim(&ada, 2);
        assert!(first.is_some() && second.is_some());
        assert!(counts.claim(&ada, 2).is_none());
        assert!(counts.claim(&bob, 2).is_some());
        drop(first);
        assert_eq!(counts.open(&ada), 1);
        assert!(counts.claim(&ada, 2).is_some());
    }
}
