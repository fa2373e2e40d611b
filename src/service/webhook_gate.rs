//! Bounds on outgoing webhook attempts in one process: at most
//! [`GLOBAL_IN_FLIGHT`] requests at once, at most [`PER_WEBHOOK_IN_FLIGHT`]
//! to one webhook, and a webhook whose receiver timed out
//! [`TIMEOUTS_TO_BACK_OFF`] times in a row is not called for a while
//! (30 s, doubling to 5 minutes while it keeps timing out). An attempt not
//! made is recorded as a failure and retried on the schedule like any
//! other, so nothing is lost; slow receivers only stop holding sockets.

use crate::domain::ids::WebhookId;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// Attempts in flight in the process, all webhooks together.
pub const GLOBAL_IN_FLIGHT: usize = 64;
/// Attempts in flight to one webhook.
pub const PER_WEBHOOK_IN_FLIGHT: usize = 4;
/// Consecutive timeouts after which a webhook is left alone for a while.
pub const TIMEOUTS_TO_BACK_OFF: u32 = 3;
const FIRST_BACK_OFF: Duration = Duration::from_secs(30);
const LONGEST_BACK_OFF: Duration = Duration::from_secs(300);

/// Why an attempt was not made, as its delivery records it.
pub const BACKING_OFF: &str = "not attempted: the receiver timed out repeatedly";

pub struct WebhookGate {
    global: Arc<Semaphore>,
    global_size: usize,
    per_webhook: usize,
    hooks: Mutex<HashMap<WebhookId, HookState>>,
}

struct HookState {
    in_flight: Arc<Semaphore>,
    timeouts: u32,
    closed_until: Option<Instant>,
}

/// The right to make one attempt; dropped when the attempt is over.
pub struct Pass {
    _hook: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
}

impl Default for WebhookGate {
    fn default() -> Self {
        Self::new(GLOBAL_IN_FLIGHT, PER_WEBHOOK_IN_FLIGHT)
    }
}

impl WebhookGate {
    pub fn new(global: usize, per_webhook: usize) -> Self {
        Self {
            global: Arc::new(Semaphore::new(global.max(1))),
            global_size: global.max(1),
            per_webhook: per_webhook.max(1),
            hooks: Mutex::new(HashMap::new()),
        }
    }

    fn fresh(&self) -> HookState {
        HookState {
            in_flight: Arc::new(Semaphore::new(self.per_webhook)),
            timeouts: 0,
            closed_until: None,
        }
    }

    /// Waits for a place for one attempt to `id`; `None` while the webhook
    /// is backed off. The webhook's own place is taken first, so attempts
    /// queued behind one slow receiver hold no place of the others.
    pub async fn enter(&self, id: &WebhookId) -> Option<Pass> {
        let in_flight = {
            let mut hooks = self.hooks.lock();
            let state = hooks.entry(id.clone()).or_insert_with(|| self.fresh());
            if state
                .closed_until
                .is_some_and(|until| Instant::now() < until)
            {
                return None;
            }
            state.in_flight.clone()
        };
        let hook = in_flight.acquire_owned().await.ok()?;
        let global = self.global.clone().acquire_owned().await.ok()?;
        Some(Pass {
            _hook: hook,
            _global: global,
        })
    }

    /// Records how an attempt to `id` ended: a timeout counts towards the
    /// back-off, anything else ends it.
    pub fn finish(&self, id: &WebhookId, timed_out: bool) {
        let mut hooks = self.hooks.lock();
        if !timed_out && !hooks.contains_key(id) {
            return;
        }
        let state = hooks.entry(id.clone()).or_insert_with(|| self.fresh());
        if !timed_out {
            state.timeouts = 0;
            state.closed_until = None;
            // Forget a webhook with nothing in flight and nothing to remember.
            if Arc::strong_count(&state.in_flight) == 1
                && state.in_flight.available_permits() == self.per_webhook
            {
                hooks.remove(id);
            }
            return;
        }
        state.timeouts = state.timeouts.saturating_add(1);
        if state.timeouts >= TIMEOUTS_TO_BACK_OFF {
            let doublings = (state.timeouts - TIMEOUTS_TO_BACK_OFF).min(8);
            let wait = (FIRST_BACK_OFF * 2u32.pow(doublings)).min(LONGEST_BACK_OFF);
            state.closed_until = Some(Instant::now() + wait);
        }
    }

    /// Attempts in flight now, all webhooks together.
    pub fn in_flight(&self) -> usize {
        self.global_size
            .saturating_sub(self.global.available_permits())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn attempts_to_one_webhook_and_in_all_wait_for_a_place() {
        let gate = Arc::new(WebhookGate::new(3, 2));
        let (a, b) = (WebhookId::generate(), WebhookId::generate());
        let first = gate.enter(&a).await.unwrap();
        let _second = gate.enter(&a).await.unwrap();
        let third = tokio::time::timeout(Duration::from_millis(50), gate.enter(&a)).await;
        assert!(third.is_err(), "a third attempt to one webhook waits");
        let _other = gate.enter(&b).await.unwrap();
        let over = tokio::time::timeout(Duration::from_millis(50), gate.enter(&b)).await;
        assert!(over.is_err(), "a fourth attempt in all waits");
        drop(first);
        assert!(gate.enter(&b).await.is_some(), "a freed place is taken");
    }

    #[tokio::test(start_paused = true)]
    async fn repeated_timeouts_back_a_webhook_off_and_a_success_ends_it() {
        let gate = WebhookGate::new(8, 2);
        let id = WebhookId::generate();
        for _ in 0..TIMEOUTS_TO_BACK_OFF - 1 {
            gate.finish(&id, true);
        }
        assert!(gate.enter(&id).await.is_some(), "not yet");
        gate.finish(&id, true);
        assert!(gate.enter(&id).await.is_none(), "backed off");
        tokio::time::advance(FIRST_BACK_OFF + Duration::from_secs(1)).await;
        assert!(gate.enter(&id).await.is_some(), "open again after the wait");
        gate.finish(&id, true);
        tokio::time::advance(FIRST_BACK_OFF + Duration::from_secs(1)).await;
        assert!(gate.enter(&id).await.is_none(), "the wait doubled");
        tokio::time::advance(FIRST_BACK_OFF).await;
        assert!(gate.enter(&id).await.is_some());
        gate.finish(&id, false);
        gate.finish(&id, true);
        assert!(
            gate.enter(&id).await.is_some(),
            "a success starts the count again"
        );
    }
}
