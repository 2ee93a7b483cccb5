//! The time budget of one invocation: every request is answered before the Lambda deadline.
//!
//! Each SDK call is bounded on its own (`src/aws.rs`), but a create makes several calls in a
//! row; without a budget for the whole request, the runtime kills the process at the function's
//! timeout and the client sees a `502`. A [`Budget`] ends [`SAFETY_MARGIN`] before the deadline
//! the runtime gives each invocation (`Context::deadline`), leaving time to answer; the handler
//! runs every phase under it ([`Budget::run`]) and answers `503` with `Retry-After` when a phase
//! does not finish in time.

use crate::time::now_millis;
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

/// Time kept back from the invocation deadline to build and send the response.
pub const SAFETY_MARGIN: Duration = Duration::from_millis(500);
/// The budget of a request that carries no deadline (outside Lambda: tests, tools): inside API
/// Gateway's 29 s integration timeout.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(25);

/// Deadlines below this (2001-09-09 in epoch milliseconds) are not epoch deadlines: local
/// emulators (`cargo lambda watch` sends the function timeout, `600000`) put a duration there.
pub const EARLIEST_EPOCH_DEADLINE_MS: u64 = 1_000_000_000_000;

/// A deadline for the work of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    deadline: Instant,
}

/// The budget ran out before the work finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the request deadline was reached")]
pub struct DeadlineReached;

impl Budget {
    /// A budget of `limit` from now.
    pub fn after(limit: Duration) -> Self {
        Self {
            deadline: Instant::now() + limit,
        }
    }

    /// The budget of an invocation whose deadline is `deadline_ms` (epoch milliseconds, as the
    /// Lambda runtime reports it): the time left minus [`SAFETY_MARGIN`], or [`DEFAULT_BUDGET`]
    /// when no epoch deadline is known (`0`, or below [`EARLIEST_EPOCH_DEADLINE_MS`]).
    pub fn until_epoch_millis(deadline_ms: u64) -> Self {
        if deadline_ms < EARLIEST_EPOCH_DEADLINE_MS {
            return Self::after(DEFAULT_BUDGET);
        }
        let now = u64::try_from(now_millis()).unwrap_or(0);
        let left = Duration::from_millis(deadline_ms.saturating_sub(now));
        Self::after(left.saturating_sub(SAFETY_MARGIN))
    }

    /// Time left.
    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// Runs `work` until it finishes or the budget ends (then `work` is dropped, cancelling
    /// any call in flight).
    pub async fn run<F: Future>(&self, work: F) -> Result<F::Output, DeadlineReached> {
        tokio::time::timeout_at(self.deadline, work)
            .await
            .map_err(|_| DeadlineReached)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_deadline_leaves_the_margin() {
        let in_three_s = u64::try_from(now_millis()).unwrap() + 3000;
        let left = Budget::until_epoch_millis(in_three_s).remaining();
        assert!(left <= Duration::from_millis(2500), "{left:?}");
        assert!(left >= Duration::from_millis(2000), "{left:?}");
        assert_eq!(
            Budget::until_epoch_millis(EARLIEST_EPOCH_DEADLINE_MS).remaining(),
            Duration::ZERO,
            "a past deadline leaves nothing"
        );
        assert!(Budget::until_epoch_millis(0).remaining() > Duration::from_secs(20));
        // What `cargo lambda watch` sends: a timeout, not an epoch deadline.
        assert!(Budget::until_epoch_millis(600_000).remaining() > Duration::from_secs(20));
    }

    #[tokio::test]
    async fn run_stops_at_the_deadline() {
        let budget = Budget::after(Duration::from_millis(50));
        let started = Instant::now();
        let r = budget
            .run(tokio::time::sleep(Duration::from_secs(10)))
            .await;
        assert_eq!(r, Err(DeadlineReached));
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(
            Budget::after(Duration::from_secs(5)).run(async { 7 }).await,
            Ok(7)
        );
    }
}
