//! A per-user token bucket for mutations: the rule ([`Bucket`]), and its
//! in-process keeper ([`RateLimiter`], the local server's). On AWS the
//! buckets live in DynamoDB (`delivery::dynamo_rate_limit`), so the limit
//! holds across every Lambda instance.

use super::ports::RateLimit;
use crate::domain::rate::Bucket;
use crate::domain::{DomainError, UserId};
use lru::LruCache;
use parking_lot::Mutex;
use std::num::NonZeroUsize;
use std::time::Instant;

/// Buckets kept; past this the least recently used one is dropped, so a
/// check costs O(1) however many users there are.
const MAX_BUCKETS: usize = 100_000;

pub struct RateLimiter {
    bucket: Bucket,
    buckets: Mutex<LruCache<UserId, (f64, Instant)>>,
}

impl RateLimiter {
    /// `burst` mutations at once, refilled at `per_second`.
    pub fn new(burst: u32, per_second: u32) -> Self {
        Self::with_capacity(burst, per_second, MAX_BUCKETS)
    }

    /// A limiter of `bucket` for each user.
    pub fn of(bucket: crate::domain::rate::Bucket) -> Self {
        Self {
            bucket,
            buckets: Mutex::new(LruCache::new(
                NonZeroUsize::new(MAX_BUCKETS).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }

    /// As [`RateLimiter::new`], keeping at most `capacity` buckets.
    pub fn with_capacity(burst: u32, per_second: u32, capacity: usize) -> Self {
        Self {
            bucket: Bucket::new(burst, per_second),
            buckets: Mutex::new(LruCache::new(
                NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }

    /// Buckets held now.
    pub fn len(&self) -> usize {
        self.buckets.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn check(&self, user: &UserId) -> Result<(), DomainError> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock();
        let held = buckets.get(user).copied();
        let taken = self.bucket.take(
            held.map(|(tokens, _)| tokens),
            held.map_or(0.0, |(_, at)| now.duration_since(at).as_secs_f64()),
        );
        let (left, result) = match taken {
            Ok(left) => (left, Ok(())),
            Err((err, now_tokens)) => (now_tokens, Err(err)),
        };
        buckets.put(user.clone(), (left, now));
        result
    }
}

#[async_trait::async_trait]
impl RateLimit for RateLimiter {
    async fn check(&self, user: &UserId) -> Result<(), DomainError> {
        RateLimiter::check(self, user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_refused_until_tokens_refill() {
        let limiter = RateLimiter::new(3, 1);
        let user = UserId::parse("u").unwrap();
        for _ in 0..3 {
            assert!(limiter.check(&user).is_ok());
        }
        let err = limiter.check(&user).unwrap_err();
        assert_eq!(err.code(), "RATE_LIMITED");
        assert!(limiter.check(&UserId::parse("other").unwrap()).is_ok());
    }

    #[test]
    fn at_capacity_the_least_recently_used_bucket_goes_and_active_ones_stay() {
        let limiter = RateLimiter::with_capacity(1, 1, 3);
        let active = UserId::parse("active").unwrap();
        assert!(limiter.check(&active).is_ok());
        for i in 0..10 {
            let _ = limiter.check(&UserId::parse(&format!("u{i}")).unwrap());
            assert!(limiter.len() <= 3);
            // The active user keeps hitting the limit: their bucket stays.
            assert!(limiter.check(&active).is_err(), "round {i}");
        }
    }
}
