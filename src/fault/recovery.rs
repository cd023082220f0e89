//! Recovery strategies: what an isolated task does when an attempt fails.

use super::error::TaskError;
use crate::config::ConfigError;
use std::fmt;
use std::time::Duration;

/// What a task does when an attempt fails (panics, returns an error, or finds its circuit
/// breaker open).
///
/// Set one with [`Task::recovery`](super::Task::recovery); [`Task::retry`](super::Task::retry)
/// and [`Task::fallback`](super::Task::fallback) combine: retries first, then the fallback
/// once they are exhausted.
#[non_exhaustive]
pub enum Recovery<T> {
    /// The failure becomes the handle's error (the default).
    Propagate,
    /// Run the task again after a backoff, up to the policy's number of attempts.
    Retry(RetryPolicy),
    /// Produce a value from the failure instead.
    Fallback(Fallback<T>),
    /// The handle resolves with [`TaskError::Skipped`]: the failure was expected, the caller
    /// treats the item as absent.
    Skip,
}

impl<T> fmt::Debug for Recovery<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Recovery::Propagate => f.write_str("Propagate"),
            Recovery::Retry(policy) => f.debug_tuple("Retry").field(policy).finish(),
            Recovery::Fallback(_) => f.write_str("Fallback(..)"),
            Recovery::Skip => f.write_str("Skip"),
        }
    }
}

/// A value to produce when a task fails for good.
///
/// # Examples
///
/// ```
/// use veda::fault::{Fallback, Recovery, Task};
///
/// let handle = Task::new()
///     .recovery(Recovery::Fallback(Fallback::value(-1)))
///     .spawn(|_| -> i32 { panic!("no") });
/// assert_eq!(handle.join().unwrap(), -1);
/// ```
pub struct Fallback<T>(pub(super) super::task::FallbackFn<T>);

impl<T> Fallback<T> {
    /// Falls back to `value`.
    pub fn value(value: T) -> Self
    where
        T: Send + 'static,
    {
        Fallback(Box::new(move |_| value))
    }

    /// Falls back to what `func` makes of the failure.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::fault::{Fallback, Task};
    ///
    /// let handle = Task::new()
    ///     .fallback(Fallback::with(|error| error.to_string().len()))
    ///     .spawn(|_| -> usize { panic!("no") });
    /// assert!(handle.join().unwrap() > 0);
    /// ```
    pub fn with<F>(func: F) -> Self
    where
        F: FnOnce(&TaskError) -> T + Send + 'static,
    {
        Fallback(Box::new(func))
    }
}

impl<T> fmt::Debug for Fallback<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Fallback(..)")
    }
}

/// How often, and how far apart, a failing task is retried.
///
/// The wait after the `n`-th failed attempt is `initial_backoff * multiplier^(n - 1)`, capped
/// at `max_backoff`, then shortened by a random fraction of up to `jitter` of itself (so
/// that tasks that failed together do not all retry together). The wait never blocks a
/// worker: the retry is handed to veda's timer thread, which queues it again when due.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use veda::fault::RetryPolicy;
///
/// let policy = RetryPolicy::new(5)
///     .initial_backoff(Duration::from_millis(10))
///     .multiplier(2.0)
///     .max_backoff(Duration::from_millis(50))
///     .jitter(0.0);
/// assert_eq!(policy.backoff(1, 0.5), Duration::from_millis(10));
/// assert_eq!(policy.backoff(3, 0.5), Duration::from_millis(40));
/// assert_eq!(policy.backoff(4, 0.5), Duration::from_millis(50));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    multiplier: f64,
    jitter: f64,
}

impl Default for RetryPolicy {
    /// Three attempts, 10 ms then 20 ms apart (up to 50 % jitter), at most 1 s apart.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_secs(1),
            multiplier: 2.0,
            jitter: 0.5,
        }
    }
}

impl RetryPolicy {
    /// At most `max_attempts` attempts in all (the first one included), with the default
    /// backoff.
    pub fn new(max_attempts: u32) -> Self {
        RetryPolicy {
            max_attempts,
            ..RetryPolicy::default()
        }
    }

    /// The wait after the first failure.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait between two attempts.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// How much longer each wait is than the one before (at least 1).
    pub fn multiplier(mut self, multiplier: f64) -> Self {
        self.multiplier = multiplier;
        self
    }

    /// The largest fraction (from 0 to 1) by which a wait is randomly shortened.
    pub fn jitter(mut self, jitter: f64) -> Self {
        self.jitter = jitter;
        self
    }

    /// The most attempts, the first one included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Checks the values: at least one attempt, a multiplier of at least 1, a jitter from 0
    /// to 1, and an initial backoff no longer than the maximum.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::fault::RetryPolicy;
    /// use veda::ConfigError;
    ///
    /// assert!(RetryPolicy::new(3).validate().is_ok());
    /// assert!(matches!(RetryPolicy::new(0).validate(), Err(ConfigError::ZeroRetryAttempts)));
    /// assert!(matches!(
    ///     RetryPolicy::new(3).jitter(1.5).validate(),
    ///     Err(ConfigError::InvalidRetryJitter { .. })
    /// ));
    /// ```
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.max_attempts == 0 {
            return Err(ConfigError::ZeroRetryAttempts);
        }
        if !(self.multiplier >= 1.0 && self.multiplier.is_finite()) {
            return Err(ConfigError::InvalidRetryMultiplier {
                multiplier: self.multiplier,
            });
        }
        if !(0.0..=1.0).contains(&self.jitter) {
            return Err(ConfigError::InvalidRetryJitter {
                jitter: self.jitter,
            });
        }
        if self.initial_backoff > self.max_backoff {
            return Err(ConfigError::InitialBackoffAboveMax {
                initial: self.initial_backoff,
                max: self.max_backoff,
            });
        }
        Ok(())
    }

    /// The wait after failed attempt number `attempt` (from 1), where `random` (from 0 to 1)
    /// picks the jitter. Out-of-range settings are clamped rather than rejected here.
    pub fn backoff(&self, attempt: u32, random: f64) -> Duration {
        let multiplier = if self.multiplier.is_finite() {
            self.multiplier.max(1.0)
        } else {
            1.0
        };
        let exponent = attempt.saturating_sub(1).min(64) as i32;
        // In whole nanoseconds, rounded, so that exact settings give exact waits.
        let max = self.max_backoff.as_nanos() as f64;
        let base = (self.initial_backoff.as_nanos() as f64 * multiplier.powi(exponent)).min(max);
        let jitter = self.jitter.clamp(0.0, 1.0) * random.clamp(0.0, 1.0);
        Duration::from_nanos((base * (1.0 - jitter)).round().max(0.0) as u64)
    }
}
