//! `Config`: veda's validated configuration of the global pool, used by
//! [`init_with_config`](crate::init_with_config).

use crate::fault::{BreakerConfig, Defaults as FaultDefaults, RetryPolicy};
use crate::priority::Priority;
use crate::scheduling_policy::{SchedulingPolicy, ENV_SCHEDULING_POLICY};
use crate::sleep::{Scaling, MAX_THREADS};
use crate::thread_pool::{ThreadPoolBuilder, ENV_NUM_THREADS_VARS};
use std::time::Duration;

/// A validated configuration for the global pool.
///
/// # Examples
///
/// ```
/// let config = veda::Config::builder()
///     .num_threads(4)
///     .thread_name("veda-worker")
///     .stack_size(4 * 1024 * 1024)
///     .build()
///     .unwrap();
/// assert_eq!(config.num_threads(), Some(4));
/// assert_eq!(config.thread_name_prefix(), Some("veda-worker"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Config {
    num_threads: Option<usize>,
    thread_name_prefix: Option<String>,
    stack_size: Option<usize>,
    scheduling_policy: Option<SchedulingPolicy>,
    min_threads: Option<usize>,
    max_threads: Option<usize>,
    keep_alive: Option<Duration>,
    fault_retry: Option<RetryPolicy>,
    circuit_breaker: Option<BreakerConfig>,
    default_priority: Option<Priority>,
    aging_bound: Option<Duration>,
    gpu_memory_fraction: Option<f64>,
}

impl Config {
    /// The smallest stack size, in bytes, that `ConfigBuilder::stack_size` accepts.
    pub const MIN_STACK_SIZE: usize = 64 * 1024;

    /// How long an idle thread that may retire sleeps before it does, unless
    /// [`ConfigBuilder::keep_alive`] or [`ThreadPoolBuilder::keep_alive`] says otherwise.
    pub const DEFAULT_KEEP_ALIVE: Duration = Duration::from_secs(10);

    /// How many times `num_threads` a pool may run at most (stand-ins for blocked workers
    /// included), unless `max_threads` says otherwise.
    pub const DEFAULT_MAX_THREADS_FACTOR: usize = 4;

    /// How long queued work may wait before it is served ahead of more urgent work, unless
    /// [`ConfigBuilder::aging_bound`] or [`ThreadPoolBuilder::aging_bound`] says otherwise.
    pub const DEFAULT_AGING_BOUND: Duration = Duration::from_millis(100);

    /// The share of a GPU's memory that veda's device memory pool may hold, unless
    /// [`ConfigBuilder::gpu_memory_fraction`] or `VEDA_GPU_MEMORY_FRACTION` says otherwise
    /// (used by `veda::gpu`, feature `gpu`).
    pub const DEFAULT_GPU_MEMORY_FRACTION: f64 = 0.8;

    /// A builder with every setting at its default.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The requested thread count; `None` lets the environment (`VEDA_NUM_THREADS`, then
    /// `RAYON_NUM_THREADS`) or the number of CPUs decide.
    pub fn num_threads(&self) -> Option<usize> {
        self.num_threads
    }

    /// The prefix of worker thread names (threads are named `{prefix}-{index}`).
    pub fn thread_name_prefix(&self) -> Option<&str> {
        self.thread_name_prefix.as_deref()
    }

    /// The stack size of worker threads, in bytes; `None` uses the platform default.
    pub fn stack_size(&self) -> Option<usize> {
        self.stack_size
    }

    /// The scheduling policy; `None` lets `VEDA_SCHEDULING_POLICY` decide, else
    /// [`SchedulingPolicy::Adaptive`].
    pub fn scheduling_policy(&self) -> Option<SchedulingPolicy> {
        self.scheduling_policy
    }

    /// The threads kept while the pool idles; `None` means `num_threads` (none retires).
    pub fn min_threads(&self) -> Option<usize> {
        self.min_threads
    }

    /// The most threads the pool may run, stand-ins included; `None` means
    /// [`Config::DEFAULT_MAX_THREADS_FACTOR`] times `num_threads`.
    pub fn max_threads(&self) -> Option<usize> {
        self.max_threads
    }

    /// How long an idle thread that may retire sleeps before it does; `None` means
    /// [`Config::DEFAULT_KEEP_ALIVE`].
    pub fn keep_alive(&self) -> Option<Duration> {
        self.keep_alive
    }

    /// The retry policy of every new [`Task`](crate::fault::Task); `None` (the default)
    /// lets failures propagate unless a task asks for retries.
    pub fn fault_retry(&self) -> Option<RetryPolicy> {
        self.fault_retry
    }

    /// The thresholds of circuit breakers created on first use of their key; `None` means
    /// [`BreakerConfig::default`].
    pub fn circuit_breaker(&self) -> Option<BreakerConfig> {
        self.circuit_breaker
    }

    /// The fault-isolation defaults this configuration sets.
    pub(crate) fn fault_defaults(&self) -> FaultDefaults {
        FaultDefaults {
            retry: self.fault_retry,
            breaker: self.circuit_breaker.unwrap_or_default(),
        }
    }

    /// The level of work that names none; `None` means [`Priority::Normal`].
    pub fn default_priority(&self) -> Option<Priority> {
        self.default_priority
    }

    /// How long queued work may wait before it is served ahead of more urgent work; `None`
    /// means [`Config::DEFAULT_AGING_BOUND`].
    pub fn aging_bound(&self) -> Option<Duration> {
        self.aging_bound
    }

    /// The share of each GPU's memory that veda's device memory pool may hold (used by
    /// `veda::gpu`, feature `gpu`); `None` lets `VEDA_GPU_MEMORY_FRACTION` decide, else
    /// [`Config::DEFAULT_GPU_MEMORY_FRACTION`].
    pub fn gpu_memory_fraction(&self) -> Option<f64> {
        self.gpu_memory_fraction
    }

    /// Checks the environment variables that this configuration would read.
    pub(crate) fn check_environment(&self) -> Result<(), ConfigError> {
        if self.num_threads.is_none() {
            for name in ENV_NUM_THREADS_VARS {
                if let Ok(value) = std::env::var(name) {
                    if value.trim().parse::<usize>().is_err() {
                        return Err(ConfigError::InvalidEnvVar { name, value });
                    }
                }
            }
        }
        if self.scheduling_policy.is_none() {
            if let Err(unknown) = SchedulingPolicy::from_env() {
                return Err(ConfigError::InvalidEnvVar {
                    name: ENV_SCHEDULING_POLICY,
                    value: unknown.name,
                });
            }
        }
        Ok(())
    }

    pub(crate) fn to_pool_builder(&self) -> ThreadPoolBuilder {
        let mut builder = ThreadPoolBuilder::new().num_threads(self.num_threads.unwrap_or(0));
        if let Some(prefix) = self.thread_name_prefix.clone() {
            builder = builder.thread_name(move |index| format!("{prefix}-{index}"));
        }
        if let Some(size) = self.stack_size {
            builder = builder.stack_size(size);
        }
        if let Some(policy) = self.scheduling_policy {
            builder = builder.scheduling_policy(policy);
        }
        if let Some(min_threads) = self.min_threads {
            builder = builder.min_threads(min_threads);
        }
        if let Some(max_threads) = self.max_threads {
            builder = builder.max_threads(max_threads);
        }
        if let Some(keep_alive) = self.keep_alive {
            builder = builder.keep_alive(keep_alive);
        }
        if let Some(priority) = self.default_priority {
            builder = builder.default_priority(priority);
        }
        if let Some(bound) = self.aging_bound {
            builder = builder.aging_bound(bound);
        }
        builder
    }
}

/// Checks a pool's thread limits and fills in the defaults. `can_start_threads` tells
/// whether the pool can start threads after it was built; without that, nothing scales.
pub(crate) fn resolve_scaling(
    num_threads: usize,
    min_threads: Option<usize>,
    max_threads: Option<usize>,
    keep_alive: Option<Duration>,
    can_start_threads: bool,
) -> Result<Scaling, ConfigError> {
    let min_threads = min_threads.unwrap_or(num_threads);
    if min_threads > num_threads {
        return Err(ConfigError::MinThreadsAboveNumThreads {
            min_threads,
            num_threads,
        });
    }
    let max_threads = match max_threads {
        Some(max_threads) if max_threads < num_threads => {
            return Err(ConfigError::MaxThreadsBelowNumThreads {
                max_threads,
                num_threads,
            })
        }
        Some(max_threads) => max_threads,
        None if can_start_threads => num_threads
            .saturating_mul(Config::DEFAULT_MAX_THREADS_FACTOR)
            .min(MAX_THREADS),
        None => num_threads,
    };
    let keep_alive = keep_alive.unwrap_or(Config::DEFAULT_KEEP_ALIVE);
    if keep_alive.is_zero() {
        return Err(ConfigError::ZeroKeepAlive);
    }
    Ok(Scaling {
        num_threads,
        min_threads,
        max_threads,
        keep_alive,
    })
}

/// Checks an aging bound and fills in the default.
pub(crate) fn resolve_aging_bound(bound: Option<Duration>) -> Result<Duration, ConfigError> {
    match bound {
        Some(bound) if bound.is_zero() => Err(ConfigError::ZeroAgingBound),
        Some(bound) => Ok(bound),
        None => Ok(Config::DEFAULT_AGING_BOUND),
    }
}

/// Checks a share of GPU memory: a number above 0 and at most 1.
pub(crate) fn check_gpu_memory_fraction(fraction: f64) -> Result<f64, ConfigError> {
    if fraction > 0.0 && fraction <= 1.0 {
        Ok(fraction)
    } else {
        Err(ConfigError::InvalidGpuMemoryFraction {
            value: fraction.to_string(),
        })
    }
}

/// Builds a [`Config`], checking every value.
#[derive(Debug, Default)]
pub struct ConfigBuilder {
    num_threads: usize,
    thread_name_prefix: Option<String>,
    stack_size: Option<usize>,
    scheduling_policy: Option<SchedulingPolicy>,
    min_threads: Option<usize>,
    max_threads: Option<usize>,
    keep_alive: Option<Duration>,
    fault_retry: Option<RetryPolicy>,
    circuit_breaker: Option<BreakerConfig>,
    default_priority: Option<Priority>,
    aging_bound: Option<Duration>,
    gpu_memory_fraction: Option<f64>,
}

impl ConfigBuilder {
    /// The number of worker threads; 0 (the default) means the environment variables or
    /// the number of CPUs decide.
    pub fn num_threads(mut self, num_threads: usize) -> Self {
        self.num_threads = num_threads;
        self
    }

    /// Names worker threads `{prefix}-{index}`.
    pub fn thread_name(mut self, prefix: impl Into<String>) -> Self {
        self.thread_name_prefix = Some(prefix.into());
        self
    }

    /// The stack size of each worker thread, in bytes (at least
    /// [`Config::MIN_STACK_SIZE`]).
    pub fn stack_size(mut self, bytes: usize) -> Self {
        self.stack_size = Some(bytes);
        self
    }

    /// How the pool decides when work becomes parallel (see [`SchedulingPolicy`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::SchedulingPolicy;
    ///
    /// let config = veda::Config::builder()
    ///     .scheduling_policy(SchedulingPolicy::WorkStealing)
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(config.scheduling_policy(), Some(SchedulingPolicy::WorkStealing));
    /// ```
    pub fn scheduling_policy(mut self, policy: SchedulingPolicy) -> Self {
        self.scheduling_policy = Some(policy);
        self
    }

    /// The threads kept while the pool idles; the others retire after the keep-alive and
    /// start again when work needs them (see [`ThreadPoolBuilder::min_threads`]). The
    /// default, `num_threads`, keeps every thread.
    ///
    /// # Examples
    ///
    /// ```
    /// let config = veda::Config::builder().num_threads(8).min_threads(2).build().unwrap();
    /// assert_eq!(config.min_threads(), Some(2));
    /// ```
    pub fn min_threads(mut self, min_threads: usize) -> Self {
        self.min_threads = Some(min_threads);
        self
    }

    /// The most threads the pool may run, counting stand-ins for workers blocked in
    /// [`block_in_place`](crate::block_in_place) (see [`ThreadPoolBuilder::max_threads`]).
    ///
    /// # Examples
    ///
    /// ```
    /// let error = veda::Config::builder().num_threads(4).max_threads(2).build().unwrap_err();
    /// assert!(matches!(error, veda::ConfigError::MaxThreadsBelowNumThreads { .. }));
    /// ```
    pub fn max_threads(mut self, max_threads: usize) -> Self {
        self.max_threads = Some(max_threads);
        self
    }

    /// How long an idle thread that may retire sleeps before it does (see
    /// [`ThreadPoolBuilder::keep_alive`]); must not be zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let config = veda::Config::builder()
    ///     .keep_alive(Duration::from_secs(30))
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(config.keep_alive(), Some(Duration::from_secs(30)));
    /// ```
    pub fn keep_alive(mut self, keep_alive: Duration) -> Self {
        self.keep_alive = Some(keep_alive);
        self
    }

    /// The retry policy every new isolated [`Task`](crate::fault::Task) starts with (a
    /// task may still choose its own strategy).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::fault::RetryPolicy;
    ///
    /// let config = veda::Config::builder().fault_retry(RetryPolicy::new(4)).build().unwrap();
    /// assert_eq!(config.fault_retry().map(|policy| policy.max_attempts()), Some(4));
    ///
    /// let error = veda::Config::builder().fault_retry(RetryPolicy::new(0)).build().unwrap_err();
    /// assert_eq!(error, veda::ConfigError::ZeroRetryAttempts);
    /// ```
    pub fn fault_retry(mut self, policy: RetryPolicy) -> Self {
        self.fault_retry = Some(policy);
        self
    }

    /// The thresholds of circuit breakers created on first use of their key (see
    /// [`fault::configure_circuit`](crate::fault::configure_circuit) for one key).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use veda::fault::BreakerConfig;
    ///
    /// let breaker = BreakerConfig::new(3, Duration::ZERO, Duration::from_secs(1));
    /// let error = veda::Config::builder().circuit_breaker(breaker).build().unwrap_err();
    /// assert_eq!(error, veda::ConfigError::ZeroBreakerWindow);
    /// ```
    pub fn circuit_breaker(mut self, config: BreakerConfig) -> Self {
        self.circuit_breaker = Some(config);
        self
    }

    /// The level of work that names none (see [`ThreadPoolBuilder::default_priority`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::Priority;
    ///
    /// let config = veda::Config::builder().default_priority(Priority::Low).build().unwrap();
    /// assert_eq!(config.default_priority(), Some(Priority::Low));
    /// ```
    pub fn default_priority(mut self, priority: Priority) -> Self {
        self.default_priority = Some(priority);
        self
    }

    /// How long queued work may wait before it is served ahead of more urgent work (see
    /// [`ThreadPoolBuilder::aging_bound`]); must not be zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let error = veda::Config::builder().aging_bound(Duration::ZERO).build().unwrap_err();
    /// assert_eq!(error, veda::ConfigError::ZeroAgingBound);
    /// ```
    pub fn aging_bound(mut self, bound: Duration) -> Self {
        self.aging_bound = Some(bound);
        self
    }

    /// The share of each GPU's memory, above 0 and at most 1, that veda's device memory
    /// pool may hold (used by `veda::gpu`, feature `gpu`; see
    /// [`Config::DEFAULT_GPU_MEMORY_FRACTION`]).
    ///
    /// # Examples
    ///
    /// ```
    /// let config = veda::Config::builder().gpu_memory_fraction(0.5).build().unwrap();
    /// assert_eq!(config.gpu_memory_fraction(), Some(0.5));
    ///
    /// let error = veda::Config::builder().gpu_memory_fraction(1.5).build().unwrap_err();
    /// assert!(matches!(error, veda::ConfigError::InvalidGpuMemoryFraction { .. }));
    /// ```
    pub fn gpu_memory_fraction(mut self, fraction: f64) -> Self {
        self.gpu_memory_fraction = Some(fraction);
        self
    }

    /// Checks the values and returns the configuration.
    ///
    /// # Examples
    ///
    /// ```
    /// let error = veda::Config::builder().stack_size(1024).build().unwrap_err();
    /// assert!(matches!(error, veda::ConfigError::StackSizeTooSmall { requested: 1024, .. }));
    /// ```
    pub fn build(self) -> Result<Config, ConfigError> {
        if self.num_threads > MAX_THREADS {
            return Err(ConfigError::TooManyThreads {
                requested: self.num_threads,
                maximum: MAX_THREADS,
            });
        }
        if let Some(requested) = self.stack_size {
            if requested < Config::MIN_STACK_SIZE {
                return Err(ConfigError::StackSizeTooSmall {
                    requested,
                    minimum: Config::MIN_STACK_SIZE,
                });
            }
        }
        if let Some(name) = &self.thread_name_prefix {
            if name.contains('\0') {
                return Err(ConfigError::InvalidThreadName { name: name.clone() });
            }
        }
        if let Some(requested) = self.max_threads.filter(|&max| max > MAX_THREADS) {
            return Err(ConfigError::MaxThreadsAboveLimit {
                requested,
                maximum: MAX_THREADS,
            });
        }
        if self.num_threads > 0 {
            // Otherwise the thread count is known, and checked, when the pool starts.
            resolve_scaling(
                self.num_threads,
                self.min_threads,
                self.max_threads,
                self.keep_alive,
                true,
            )?;
        } else if self
            .keep_alive
            .is_some_and(|keep_alive| keep_alive.is_zero())
        {
            return Err(ConfigError::ZeroKeepAlive);
        }
        if let Some(policy) = &self.fault_retry {
            policy.validate()?;
        }
        if let Some(breaker) = &self.circuit_breaker {
            breaker.validate()?;
        }
        resolve_aging_bound(self.aging_bound)?;
        if let Some(fraction) = self.gpu_memory_fraction {
            check_gpu_memory_fraction(fraction)?;
        }
        Ok(Config {
            gpu_memory_fraction: self.gpu_memory_fraction,
            fault_retry: self.fault_retry,
            circuit_breaker: self.circuit_breaker,
            num_threads: (self.num_threads > 0).then_some(self.num_threads),
            thread_name_prefix: self.thread_name_prefix,
            stack_size: self.stack_size,
            scheduling_policy: self.scheduling_policy,
            min_threads: self.min_threads,
            max_threads: self.max_threads,
            keep_alive: self.keep_alive,
            default_priority: self.default_priority,
            aging_bound: self.aging_bound,
        })
    }
}

/// A configuration value veda cannot use.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The stack size is too small for a worker thread.
    #[error(
        "a stack size of {requested} bytes is below the minimum of {minimum} bytes: pass at \
         least {minimum} to ConfigBuilder::stack_size, or leave it unset for the platform default"
    )]
    StackSizeTooSmall {
        /// The size asked for.
        requested: usize,
        /// The smallest size accepted.
        minimum: usize,
    },
    /// More threads than a pool can hold.
    #[error(
        "{requested} threads were requested but a pool holds at most {maximum}: lower \
         ConfigBuilder::num_threads (0 picks one thread per CPU)"
    )]
    TooManyThreads {
        /// The count asked for.
        requested: usize,
        /// The largest count accepted ([`crate::max_num_threads`]).
        maximum: usize,
    },
    /// The thread-name prefix cannot be a thread name.
    #[error("the thread name prefix {name:?} contains a NUL byte, which thread names cannot hold: remove it")]
    InvalidThreadName {
        /// The prefix given.
        name: String,
    },
    /// `min_threads` is larger than `num_threads`.
    #[error(
        "min_threads ({min_threads}) exceeds num_threads ({num_threads}): a pool keeps at most \
         num_threads threads while idle, so lower min_threads or raise num_threads"
    )]
    MinThreadsAboveNumThreads {
        /// The `min_threads` asked for.
        min_threads: usize,
        /// The pool's thread count.
        num_threads: usize,
    },
    /// `max_threads` is smaller than `num_threads`.
    #[error(
        "max_threads ({max_threads}) is below num_threads ({num_threads}): a pool needs room \
         for all of its workers, so raise max_threads (or leave it unset) or lower num_threads"
    )]
    MaxThreadsBelowNumThreads {
        /// The `max_threads` asked for.
        max_threads: usize,
        /// The pool's thread count.
        num_threads: usize,
    },
    /// `max_threads` is more than a pool can hold.
    #[error(
        "max_threads ({requested}) exceeds the most threads a pool can hold ({maximum}): \
         lower ConfigBuilder::max_threads or leave it unset"
    )]
    MaxThreadsAboveLimit {
        /// The count asked for.
        requested: usize,
        /// The largest count accepted ([`crate::max_num_threads`]).
        maximum: usize,
    },
    /// The keep-alive is zero.
    #[error(
        "a keep-alive of zero would retire idle threads the moment they sleep: pass a \
         positive duration to keep_alive, or leave it unset for the default of 10 s"
    )]
    ZeroKeepAlive,
    /// The aging bound is zero.
    #[error(
        "an aging bound of zero would serve every queued task ahead of more urgent ones, \
         leaving priorities without effect: pass a positive duration to aging_bound, or \
         leave it unset for the default of 100 ms"
    )]
    ZeroAgingBound,
    /// A thread-count environment variable holds something other than a number.
    #[error(
        "the environment variable {name}={value:?} is not a thread count: set it to a \
         non-negative integer (0 means one thread per CPU) or unset it"
    )]
    InvalidEnvVar {
        /// The variable's name.
        name: &'static str,
        /// Its value.
        value: String,
    },
    /// A retry policy allows no attempt at all.
    #[error(
        "a retry policy of 0 attempts would never run the task: pass at least 1 to \
         RetryPolicy::new (1 means no retry)"
    )]
    ZeroRetryAttempts,
    /// A retry policy's backoff multiplier is below 1 or not a number.
    #[error(
        "a backoff multiplier of {multiplier} would shrink the waits between retries: pass a \
         finite value of at least 1.0 to RetryPolicy::multiplier"
    )]
    InvalidRetryMultiplier {
        /// The multiplier given.
        multiplier: f64,
    },
    /// A retry policy's jitter is outside 0..=1.
    #[error(
        "a jitter of {jitter} is not a fraction: pass a value from 0.0 (no jitter) to 1.0 to \
         RetryPolicy::jitter"
    )]
    InvalidRetryJitter {
        /// The jitter given.
        jitter: f64,
    },
    /// A retry policy's first wait is longer than its longest.
    #[error(
        "the initial backoff ({initial:?}) exceeds the maximum backoff ({max:?}): lower \
         RetryPolicy::initial_backoff or raise RetryPolicy::max_backoff"
    )]
    InitialBackoffAboveMax {
        /// The initial backoff given.
        initial: Duration,
        /// The maximum backoff given.
        max: Duration,
    },
    /// A circuit breaker would open before any failure.
    #[error(
        "a circuit breaker with a failure threshold of 0 would open without any failure: pass \
         at least 1 to BreakerConfig::new"
    )]
    ZeroFailureThreshold,
    /// A circuit breaker counts failures over an empty window.
    #[error(
        "a circuit breaker with a zero window would never see two failures together: pass a \
         positive window to BreakerConfig::new"
    )]
    ZeroBreakerWindow,
    /// A share of GPU memory that is not a number above 0 and at most 1.
    #[error(
        "a GPU memory fraction of {value:?} is not a share of device memory: pass a number \
         above 0 and at most 1 (e.g. 0.8) to ConfigBuilder::gpu_memory_fraction or \
         VEDA_GPU_MEMORY_FRACTION, or leave both unset for the default of 0.8"
    )]
    InvalidGpuMemoryFraction {
        /// The value given, as text.
        value: String,
    },
}
