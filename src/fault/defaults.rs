//! The defaults of isolated tasks, set from [`Config`](crate::Config).

use super::{BreakerConfig, RetryPolicy};
use crate::sync::{AtomicBool, Mutex, Ordering};

/// The defaults that [`Config`](crate::Config) sets for isolated tasks.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Defaults {
    /// The retry policy of a new [`Task`](super::Task), if any.
    pub(crate) retry: Option<RetryPolicy>,
    /// The thresholds of a breaker created on first use of its key.
    pub(crate) breaker: BreakerConfig,
}

static DEFAULTS: Mutex<Option<Defaults>> = Mutex::new(None);

/// Whether `DEFAULTS` was ever set: until then, a new task skips the lock.
static CONFIGURED: AtomicBool = AtomicBool::new(false);

/// The defaults in force.
pub(crate) fn defaults() -> Defaults {
    if !CONFIGURED.load(Ordering::Acquire) {
        return Defaults::default();
    }
    DEFAULTS.lock().unwrap_or_default()
}

/// The retry policy of a new task: [`defaults`]`().retry`, without copying the rest.
#[inline]
pub(crate) fn default_retry() -> Option<RetryPolicy> {
    if !CONFIGURED.load(Ordering::Acquire) {
        return None;
    }
    (*DEFAULTS.lock()).and_then(|defaults| defaults.retry)
}

/// Replaces the defaults (by `init_with_config`).
pub(crate) fn set_defaults(defaults: Defaults) {
    *DEFAULTS.lock() = Some(defaults);
    CONFIGURED.store(true, Ordering::Release);
}

/// How many retries and timeouts wait on veda's timer thread (finished tasks' timeouts
/// stay until their deadline, doing nothing then).
///
/// # Examples
///
/// ```
/// let _waiting: usize = veda::fault::pending_timers();
/// ```
pub fn pending_timers() -> usize {
    super::timer::pending()
}
