//! The client's sense of time, injectable so tests can fake it.
//!
//! Token expiry is judged with [`Clock::now`] (wall-clock time, because a JWT's `exp` is
//! wall-clock seconds), and retry waits go through [`Clock::sleep`].

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

/// A future returned by [`Clock::sleep`].
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// Source of the current time and of waits.
///
/// The default, [`SystemClock`], reads the system time and sleeps on the tokio timer.
/// A test clock can return any time it likes and finish sleeps at once.
pub trait Clock: Send + Sync + 'static {
    /// The current wall-clock time.
    fn now(&self) -> SystemTime;

    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> Sleep;
}

/// The real clock: [`SystemTime::now`] and [`tokio::time::sleep`].
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(duration))
    }
}
