//! `Config`: veda's validated configuration of the global pool, used by
//! [`init_with_config`](crate::init_with_config).

use crate::scheduling_policy::{SchedulingPolicy, ENV_SCHEDULING_POLICY};
use crate::sleep::MAX_THREADS;
use crate::thread_pool::{ThreadPoolBuilder, ENV_NUM_THREADS_VARS};

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
}

impl Config {
    /// The smallest stack size, in bytes, that `ConfigBuilder::stack_size` accepts.
    pub const MIN_STACK_SIZE: usize = 64 * 1024;

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
        builder
    }
}

/// Builds a [`Config`], checking every value.
#[derive(Debug, Default)]
pub struct ConfigBuilder {
    num_threads: usize,
    thread_name_prefix: Option<String>,
    stack_size: Option<usize>,
    scheduling_policy: Option<SchedulingPolicy>,
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
        Ok(Config {
            num_threads: (self.num_threads > 0).then_some(self.num_threads),
            thread_name_prefix: self.thread_name_prefix,
            stack_size: self.stack_size,
            scheduling_policy: self.scheduling_policy,
        })
    }
}

/// A configuration value veda cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
}
