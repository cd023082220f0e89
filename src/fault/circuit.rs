//! Circuit breakers: one per key, shared by every task that names the key.
//!
//! A breaker is **closed** while things work: every attempt runs, and failures are counted
//! over a sliding window. When `failure_threshold` failures fall within `window`, it
//! **opens**: attempts fail fast with [`TaskError::CircuitOpen`](super::TaskError) (or run
//! their fallback) without being tried. After `cool_down`, the next attempt goes through
//! as a probe (**half-open**; others still fail fast while it runs): if it succeeds the
//! breaker closes, if it fails it opens for another cool-down.
//!
//! [`CircuitBreaker`] is the state machine alone, with the clock passed in, so it can be
//! driven deterministically; the per-key registry below uses it with the real clock and
//! reports every transition to the observer set by [`set_circuit_observer`].

use super::defaults;
use crate::config::ConfigError;
use crate::sync::{Arc, Mutex};
use crate::unwind;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::time::{Duration, Instant};

/// The thresholds of a circuit breaker.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use veda::fault::BreakerConfig;
///
/// let config = BreakerConfig::new(5, Duration::from_secs(10), Duration::from_secs(30));
/// assert!(config.validate().is_ok());
/// assert!(BreakerConfig::new(0, Duration::from_secs(1), Duration::from_secs(1))
///     .validate()
///     .is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BreakerConfig {
    failure_threshold: u32,
    window: Duration,
    cool_down: Duration,
}

impl Default for BreakerConfig {
    /// Opens after 5 failures within 10 s; probes again after 5 s.
    fn default() -> Self {
        BreakerConfig::new(5, Duration::from_secs(10), Duration::from_secs(5))
    }
}

impl BreakerConfig {
    /// Opens after `failure_threshold` failures within `window`; lets a probe through
    /// `cool_down` after opening.
    pub fn new(failure_threshold: u32, window: Duration, cool_down: Duration) -> Self {
        BreakerConfig {
            failure_threshold,
            window,
            cool_down,
        }
    }

    /// The failures within the window that open the breaker.
    pub fn failure_threshold(&self) -> u32 {
        self.failure_threshold
    }

    /// How far back failures count.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// How long the breaker stays open before it lets a probe through.
    pub fn cool_down(&self) -> Duration {
        self.cool_down
    }

    /// Checks the values: a threshold of at least one failure and a non-zero window.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.failure_threshold == 0 {
            return Err(ConfigError::ZeroFailureThreshold);
        }
        if self.window.is_zero() {
            return Err(ConfigError::ZeroBreakerWindow);
        }
        Ok(())
    }
}

/// The state of a circuit breaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CircuitState {
    /// Attempts run; failures are counted.
    Closed,
    /// Attempts fail fast until the cool-down has passed.
    Open,
    /// One probe runs; its outcome closes or re-opens the breaker.
    HalfOpen,
}

/// Whether an attempt may run, and in which role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permit {
    /// The breaker is closed: the attempt runs normally.
    Normal,
    /// The breaker is half-open and this attempt is its probe: report its outcome.
    Probe,
    /// The breaker is open (or half-open with its probe running): do not run the attempt.
    Rejected,
}

/// A circuit breaker's state machine, with the clock passed in by the caller.
///
/// # Examples
///
/// ```
/// use std::time::{Duration, Instant};
/// use veda::fault::{BreakerConfig, CircuitBreaker, CircuitState, Permit};
///
/// let config = BreakerConfig::new(2, Duration::from_secs(10), Duration::from_secs(1));
/// let mut breaker = CircuitBreaker::new(config);
/// let t0 = Instant::now();
/// assert_eq!(breaker.acquire(t0), Permit::Normal);
/// breaker.record(Permit::Normal, false, t0);
/// breaker.record(Permit::Normal, false, t0);
/// assert_eq!(breaker.state(), CircuitState::Open);
/// assert_eq!(breaker.acquire(t0), Permit::Rejected);
/// let later = t0 + Duration::from_secs(1);
/// assert_eq!(breaker.acquire(later), Permit::Probe);
/// breaker.record(Permit::Probe, true, later);
/// assert_eq!(breaker.state(), CircuitState::Closed);
/// ```
#[derive(Clone, Debug)]
pub struct CircuitBreaker {
    config: BreakerConfig,
    state: CircuitState,
    /// When a closed breaker's recent failures happened, oldest first.
    failures: VecDeque<Instant>,
    /// When an open breaker opened.
    opened_at: Option<Instant>,
    /// Whether a half-open breaker's probe is running.
    probing: bool,
}

impl CircuitBreaker {
    /// A closed breaker with `config`.
    pub fn new(config: BreakerConfig) -> Self {
        CircuitBreaker {
            config,
            state: CircuitState::Closed,
            failures: VecDeque::new(),
            opened_at: None,
            probing: false,
        }
    }

    /// The breaker's thresholds.
    pub fn config(&self) -> BreakerConfig {
        self.config
    }

    /// The current state (an open breaker whose cool-down has passed still reads `Open`
    /// until an attempt asks to run).
    pub fn state(&self) -> CircuitState {
        self.state
    }

    /// Asks whether an attempt may run at time `now`.
    pub fn acquire(&mut self, now: Instant) -> Permit {
        match self.state {
            CircuitState::Closed => Permit::Normal,
            CircuitState::Open => {
                let opened_at = self
                    .opened_at
                    .expect("an open breaker knows when it opened");
                if now.saturating_duration_since(opened_at) >= self.config.cool_down {
                    self.state = CircuitState::HalfOpen;
                    self.opened_at = None;
                    self.probing = true;
                    Permit::Probe
                } else {
                    Permit::Rejected
                }
            }
            CircuitState::HalfOpen if self.probing => Permit::Rejected,
            CircuitState::HalfOpen => {
                self.probing = true;
                Permit::Probe
            }
        }
    }

    /// Reports the outcome, at time `now`, of an attempt that `acquire` let through with
    /// `permit`. Outcomes of normal attempts that finish after the breaker left the closed
    /// state are ignored: only the probe decides a half-open breaker's fate.
    pub fn record(&mut self, permit: Permit, succeeded: bool, now: Instant) {
        match (self.state, permit) {
            (CircuitState::Closed, Permit::Normal) if !succeeded => {
                while self
                    .failures
                    .front()
                    .is_some_and(|&at| now.saturating_duration_since(at) >= self.config.window)
                {
                    self.failures.pop_front();
                }
                self.failures.push_back(now);
                if self.failures.len() >= self.config.failure_threshold as usize {
                    self.open(now);
                }
            }
            (CircuitState::HalfOpen, Permit::Probe) => {
                self.probing = false;
                if succeeded {
                    self.state = CircuitState::Closed;
                } else {
                    self.open(now);
                }
            }
            _ => {}
        }
    }

    fn open(&mut self, now: Instant) {
        self.state = CircuitState::Open;
        self.opened_at = Some(now);
        self.failures.clear();
    }
}

/// A change of a keyed breaker's state, as reported to the observer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CircuitTransition {
    /// The breaker's key.
    pub key: String,
    /// The state it left.
    pub from: CircuitState,
    /// The state it entered.
    pub to: CircuitState,
}

type Observer = dyn Fn(&CircuitTransition) + Send + Sync;

static BREAKERS: Mutex<Option<HashMap<String, Arc<Mutex<CircuitBreaker>>>>> = Mutex::new(None);
static OBSERVER: Mutex<Option<Arc<Observer>>> = Mutex::new(None);

/// The breaker of `key`, created closed with the default thresholds if needed.
pub(super) fn breaker(key: &str) -> Arc<Mutex<CircuitBreaker>> {
    let mut breakers = BREAKERS.lock();
    let breakers = breakers.get_or_insert_with(HashMap::new);
    if let Some(breaker) = breakers.get(key) {
        return Arc::clone(breaker);
    }
    let breaker = Arc::new(Mutex::new(CircuitBreaker::new(defaults().breaker)));
    breakers.insert(key.to_owned(), Arc::clone(&breaker));
    breaker
}

/// Runs `op` on the breaker of `key` with the real clock, reporting any state change.
pub(super) fn with_breaker<R>(
    key: &str,
    breaker: &Mutex<CircuitBreaker>,
    op: impl FnOnce(&mut CircuitBreaker, Instant) -> R,
) -> R {
    let (result, from, to) = {
        let mut breaker = breaker.lock();
        let from = breaker.state();
        let result = op(&mut breaker, Instant::now());
        (result, from, breaker.state())
    };
    if from != to {
        let observer = OBSERVER.lock().clone();
        if let Some(observer) = observer {
            let transition = CircuitTransition {
                key: key.to_owned(),
                from,
                to,
            };
            // The observer is the program's code: its panic must not take the task down.
            let _ = unwind::halt_unwinding(|| observer(&transition));
        }
    }
    result
}

/// The state of the breaker of `key`, or `None` if no task has used that key yet.
///
/// # Examples
///
/// ```
/// use veda::fault::{circuit_state, CircuitState, Task};
///
/// Task::new().circuit("docs-circuit-state").spawn(|_| ()).join().unwrap();
/// assert_eq!(circuit_state("docs-circuit-state"), Some(CircuitState::Closed));
/// assert_eq!(circuit_state("never-used"), None);
/// ```
pub fn circuit_state(key: &str) -> Option<CircuitState> {
    let breaker = BREAKERS.lock().as_ref()?.get(key).cloned()?;
    let state = breaker.lock().state();
    Some(state)
}

/// Gives the breaker of `key` new thresholds, and closes it. Keys not configured this way
/// use the defaults of [`ConfigBuilder::circuit_breaker`](crate::ConfigBuilder::circuit_breaker).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use veda::fault::{configure_circuit, circuit_state, BreakerConfig, CircuitState};
///
/// let config = BreakerConfig::new(3, Duration::from_secs(1), Duration::from_millis(100));
/// configure_circuit("docs-configure", config).unwrap();
/// assert_eq!(circuit_state("docs-configure"), Some(CircuitState::Closed));
/// ```
pub fn configure_circuit(key: &str, config: BreakerConfig) -> Result<(), ConfigError> {
    config.validate()?;
    let breaker = breaker(key);
    with_breaker(key, &breaker, |breaker, _| {
        *breaker = CircuitBreaker::new(config)
    });
    Ok(())
}

/// Calls `observer` with every state change of every keyed breaker, on the thread whose
/// attempt caused it (replacing any previous observer). Keep it short.
///
/// # Examples
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use veda::fault::{set_circuit_observer, CircuitTransition};
///
/// let seen = Arc::new(Mutex::new(Vec::<CircuitTransition>::new()));
/// let log = Arc::clone(&seen);
/// set_circuit_observer(move |transition| log.lock().unwrap().push(transition.clone()));
/// # veda::fault::clear_circuit_observer();
/// ```
pub fn set_circuit_observer<F>(observer: F)
where
    F: Fn(&CircuitTransition) + Send + Sync + 'static,
{
    *OBSERVER.lock() = Some(Arc::new(observer));
}

/// Removes the observer set by [`set_circuit_observer`].
pub fn clear_circuit_observer() {
    *OBSERVER.lock() = None;
}

impl fmt::Display for CircuitState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CircuitState::Closed => "closed",
            CircuitState::Open => "open",
            CircuitState::HalfOpen => "half-open",
        })
    }
}
