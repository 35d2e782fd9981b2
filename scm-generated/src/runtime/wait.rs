//! Waiting for a result that HVS produces later: how often to ask, and for how long.
//!
//! An async create (mode B) only queues the request; a server job works through the
//! queue every 30 minutes, and the matching result query (`NNF`) reports the outcome once
//! the job has run. [`Client::wait_for_result`] asks again and again, with the waits a
//! [`WaitPolicy`] describes, until the answer is no longer pending or the policy's
//! longest wait is over. Waits go through the client's [`Clock`](super::Clock), so a test
//! clock makes them instant.

use std::future::Future;
use std::time::{Duration, SystemTime};

use super::error::Error;
use super::transport::{jitter, Client};

/// How long to wait for a result, and how often to ask for it in the meantime.
///
/// The wait before the first look-up is the minimum delay; each later wait is drawn at
/// random between half and all of a ceiling that doubles from the minimum delay up to the
/// maximum delay, and is never shorter than the minimum delay. Random waits keep many
/// clients that submitted together from asking together. The last look-up happens when
/// the longest wait runs out, so a result that arrives just in time is still seen.
///
/// The defaults suit HVS's server job, which runs every 30 minutes: a request submitted
/// at a random moment is processed within half an hour on average, and within a little
/// over 30 minutes at worst. The first look-up comes after 1 minute (a job run may have
/// been imminent); then waits grow to 2, 4 and 8 minutes and settle between 5 and 10
/// minutes. That finds a result at most 10 minutes after it appears, with 4 to 6 calls
/// per job cycle, a load HVS does not notice. A longest wait of 65 minutes covers two job
/// runs.
///
/// ```
/// use std::time::Duration;
/// use scm_generated::WaitPolicy;
///
/// let policy = WaitPolicy::new(Duration::from_secs(65 * 60))
///     .min_delay(Duration::from_secs(30))
///     .max_delay(Duration::from_secs(5 * 60));
/// assert_eq!(policy.max_wait(), Duration::from_secs(65 * 60));
/// assert_eq!(policy.delay_before(1, 0.5), Duration::from_secs(30));
/// assert!(policy.delay_before(9, 0.0) >= Duration::from_secs(150));
/// assert!(policy.delay_before(9, 1.0) <= Duration::from_secs(300));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitPolicy {
    max_wait: Duration,
    min_delay: Duration,
    max_delay: Duration,
}

impl WaitPolicy {
    /// Default wait before the first look-up: 1 minute.
    pub const DEFAULT_MIN_DELAY: Duration = Duration::from_secs(60);
    /// Default longest wait between two look-ups: 10 minutes.
    pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(10 * 60);

    /// A policy that gives up after `max_wait`, counted from the start of the wait, with
    /// the default delays ([`DEFAULT_MIN_DELAY`](Self::DEFAULT_MIN_DELAY),
    /// [`DEFAULT_MAX_DELAY`](Self::DEFAULT_MAX_DELAY)).
    pub fn new(max_wait: Duration) -> Self {
        Self {
            max_wait,
            min_delay: Self::DEFAULT_MIN_DELAY,
            max_delay: Self::DEFAULT_MAX_DELAY,
        }
    }

    /// The wait before the first look-up, and the shortest wait between two.
    pub fn min_delay(mut self, delay: Duration) -> Self {
        self.min_delay = delay;
        self
    }

    /// The longest wait between two look-ups; a value below the minimum delay counts as
    /// the minimum delay.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// How long the wait lasts at most.
    pub fn max_wait(&self) -> Duration {
        self.max_wait
    }

    /// The wait before look-up number `poll` (1 for the first), given a uniformly random
    /// `jitter` in `[0, 1]`; before the deadline cuts it short.
    pub fn delay_before(&self, poll: u32, jitter: f64) -> Duration {
        let floor = self.min_delay;
        let cap = self.max_delay.max(floor);
        if poll <= 1 {
            return floor;
        }
        let factor = 2u32.saturating_pow(poll.saturating_sub(1).min(31));
        let ceiling = floor.saturating_mul(factor).min(cap);
        let low = (ceiling / 2).max(floor);
        low + (ceiling - low).mul_f64(jitter.clamp(0.0, 1.0))
    }
}

/// Whether a failed look-up is worth repeating at the next scheduled poll: the network
/// or the server had a moment, which a long wait should ride out.
fn transient(error: &Error) -> bool {
    match error {
        Error::Transport { .. } => true,
        Error::Status { status, .. } => *status == 429 || *status >= 500,
        _ => false,
    }
}

fn since(start: SystemTime, now: SystemTime) -> Duration {
    now.duration_since(start).unwrap_or_default()
}

impl Client {
    /// Asks `poll` for a result until it has one, waiting between look-ups as `policy`
    /// says; `code` is the function code of the look-up (the `NNF`), for errors and logs.
    ///
    /// `poll` answers `Ok(None)` while the result is pending. The first look-up comes
    /// after the policy's minimum delay. A look-up that fails with a transport error,
    /// HTTP 429 or HTTP 5xx (after the client's own retries) counts as pending: a long
    /// wait rides out a short outage. Any other error ends the wait at once.
    ///
    /// The generated `submit_…_and_wait` methods are this, around the matching result
    /// query; use it directly for a custom loop:
    ///
    /// ```no_run
    /// # #[cfg(feature = "purchasing")]
    /// # async fn run(client: scm_generated::Client) -> Result<(), scm_generated::Error> {
    /// use std::time::Duration;
    /// use scm_generated::{PurchaseOrderResultOutcome as Outcome, ResultQuery, WaitPolicy};
    ///
    /// let policy = WaitPolicy::new(Duration::from_secs(3600));
    /// let outcome = client
    ///     .wait_for_result("API010NNF", &policy, || async {
    ///         let query = ResultQuery::new("3f1c9a0e-…".into());
    ///         let outcome = client.purchase_order_result(query).await?;
    ///         Ok((!matches!(outcome, Outcome::Pending(_))).then_some(outcome))
    ///     })
    ///     .await?;
    /// # let _ = outcome; Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Timeout`] when `policy.max_wait()` has passed and the last look-up was
    /// still pending (or failed transiently); otherwise the first error of `poll` that is
    /// not transient.
    pub async fn wait_for_result<O, F, Fut>(
        &self,
        code: &str,
        policy: &WaitPolicy,
        poll: F,
    ) -> Result<O, Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Option<O>, Error>>,
    {
        self.wait_from(code, policy, false, poll).await
    }

    /// [`Client::wait_for_result`], with the first look-up at once when `at_once` is set.
    pub(crate) async fn wait_from<O, F, Fut>(
        &self,
        code: &str,
        policy: &WaitPolicy,
        at_once: bool,
        mut poll: F,
    ) -> Result<O, Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Option<O>, Error>>,
    {
        let clock = self.clock();
        let start = clock.now();
        let mut attempts: u32 = 0;
        loop {
            let elapsed = since(start, clock.now());
            if attempts > 0 && elapsed >= policy.max_wait() {
                tracing::debug!(code, attempts, "no result within the longest wait");
                return Err(Error::Timeout {
                    code: code.to_owned(),
                    elapsed,
                    attempts,
                });
            }
            // An immediate first look-up shifts the schedule: the minimum delay comes next.
            let delay = match (at_once, attempts) {
                (true, 0) => Duration::ZERO,
                (true, n) => policy.delay_before(n, jitter()),
                (false, n) => policy.delay_before(n + 1, jitter()),
            };
            let delay = delay.min(policy.max_wait().saturating_sub(elapsed));
            if !delay.is_zero() {
                tracing::debug!(code, delay_s = delay.as_secs(), "waiting for the result");
                clock.sleep(delay).await;
            }
            attempts += 1;
            match poll().await {
                Ok(Some(outcome)) => return Ok(outcome),
                Ok(None) => tracing::debug!(code, attempts, "result still pending"),
                Err(error) if transient(&error) => {
                    tracing::debug!(code, attempts, %error, "look-up failed; asking again later")
                }
                Err(error) => return Err(error),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_start_at_the_minimum_grow_and_stay_within_bounds() {
        let p = WaitPolicy::new(Duration::from_secs(3600));
        let min = |n| p.delay_before(n, 0.0).as_secs();
        let max = |n| p.delay_before(n, 1.0).as_secs();
        assert_eq!((min(1), max(1)), (60, 60));
        assert_eq!((min(2), max(2)), (60, 120));
        assert_eq!((min(3), max(3)), (120, 240));
        assert_eq!((min(4), max(4)), (240, 480));
        assert_eq!((min(5), max(5)), (300, 600));
        assert_eq!((min(500), max(500)), (300, 600));
    }

    #[test]
    fn a_max_below_the_min_counts_as_the_min() {
        let p = WaitPolicy::new(Duration::from_secs(60))
            .min_delay(Duration::from_secs(10))
            .max_delay(Duration::from_secs(1));
        assert_eq!(p.delay_before(7, 1.0), Duration::from_secs(10));
    }
}
