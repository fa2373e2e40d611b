//! The token bucket every rate limit keeps, wherever its tokens are stored
//! (in process, or in DynamoDB on AWS).

use super::DomainError;

/// `burst` mutations at once, refilled at `per_second`.
#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    pub burst: f64,
    pub per_second: f64,
}

impl Bucket {
    pub fn new(burst: u32, per_second: u32) -> Self {
        Self {
            burst: f64::from(burst.max(1)),
            per_second: f64::from(per_second.max(1)),
        }
    }

    /// `per_minute` at once, refilled at `per_minute` a minute.
    pub fn per_minute(per_minute: u32) -> Self {
        let burst = f64::from(per_minute.max(1));
        Self {
            burst,
            per_second: burst / 60.0,
        }
    }

    /// `per_hour` at once, refilled at `per_hour` an hour.
    pub fn per_hour(per_hour: u32) -> Self {
        let burst = f64::from(per_hour.max(1));
        Self {
            burst,
            per_second: burst / 3600.0,
        }
    }

    /// Takes one token from a bucket that held `tokens` `elapsed_secs`
    /// ago (a new bucket is full): the tokens left, or the error to return
    /// with and the tokens as they are now.
    pub fn take(&self, tokens: Option<f64>, elapsed_secs: f64) -> Result<f64, (DomainError, f64)> {
        let now = match tokens {
            None => self.burst,
            Some(t) => (t + elapsed_secs.max(0.0) * self.per_second).min(self.burst),
        };
        if now >= 1.0 {
            return Ok(now - 1.0);
        }
        let wait = (1.0 - now) / self.per_second;
        let retry_after_ms = (wait * 1000.0).ceil() as u64;
        Err((DomainError::RateLimited { retry_after_ms }, now))
    }

    /// Seconds after which an untouched bucket is full again (and may be
    /// forgotten).
    pub fn refill_secs(&self) -> f64 {
        self.burst / self.per_second
    }
}
