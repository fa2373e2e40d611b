//! A per-user token bucket for mutations. Per process: on Lambda each
//! instance limits on its own, which bounds bursts, not global rates.

use crate::domain::{DomainError, UserId};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::time::Instant;

/// Buckets kept before idle full ones are dropped.
const MAX_BUCKETS: usize = 100_000;

pub struct RateLimiter {
    burst: f64,
    per_second: f64,
    buckets: Mutex<HashMap<UserId, (f64, Instant)>>,
}

impl RateLimiter {
    /// `burst` mutations at once, refilled at `per_second`.
    pub fn new(burst: u32, per_second: u32) -> Self {
        Self {
            burst: f64::from(burst.max(1)),
            per_second: f64::from(per_second.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    pub fn check(&self, user: &UserId) -> Result<(), DomainError> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock();
        if buckets.len() >= MAX_BUCKETS {
            let (burst, rate) = (self.burst, self.per_second);
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < burst
            });
        }
        let (tokens, at) = buckets.entry(user.clone()).or_insert((self.burst, now));
        *tokens =
            (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - *tokens) / self.per_second;
            Err(DomainError::RateLimited {
                retry_after_ms: (wait * 1000.0).ceil() as u64,
            })
        }
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
}
