//! Explicit control of the global pool: `init`, `init_with_config` and `shutdown`.
//!
//! None of this is required: the global pool starts on first use, as Rayon's does. These
//! functions exist for programs that want to configure it with checked values, to learn of
//! failures as errors, or to end and restart it (tests, long-lived services).

use crate::config::{Config, ConfigError};
use crate::registry;
use crate::scheduling_policy::ENV_SCHEDULING_POLICY;
use crate::thread_pool::ErrorKind;

/// Why the global pool could not be started.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The global pool is already running.
    #[error(
        "the global veda pool is already running (it also starts on first use): call \
         veda::init_with_config before any parallel work, or veda::shutdown() first to replace it"
    )]
    AlreadyInitialized,
    /// The configuration is invalid.
    #[error("invalid veda configuration: {0}")]
    Config(#[from] ConfigError),
    /// A worker thread could not be started.
    #[error(
        "veda could not start a worker thread ({0}): lower the thread count or the stack size"
    )]
    ThreadSpawn(#[source] std::io::Error),
}

/// Starts the global pool with the default configuration (honouring `VEDA_NUM_THREADS` and
/// `RAYON_NUM_THREADS`).
///
/// # Examples
///
/// ```
/// match veda::init() {
///     Ok(()) | Err(veda::Error::AlreadyInitialized) => {}
///     Err(other) => panic!("{other}"),
/// }
/// assert!(veda::current_num_threads() >= 1);
/// ```
pub fn init() -> Result<(), Error> {
    init_with_config(Config::default())
}

/// Starts the global pool with `config`.
///
/// Fails with [`Error::AlreadyInitialized`] if the global pool is running, whether it was
/// started explicitly or by an earlier parallel call; [`shutdown`] first to replace it.
///
/// # Examples
///
/// ```
/// let config = veda::Config::builder().num_threads(2).build()?;
/// veda::shutdown(); // in case something already started the global pool
/// veda::init_with_config(config)?;
/// assert_eq!(veda::current_num_threads(), 2);
/// veda::shutdown();
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn init_with_config(config: Config) -> Result<(), Error> {
    config.check_environment()?;
    crate::fault::set_defaults(config.fault_defaults());
    #[cfg(feature = "gpu")]
    crate::gpu::set_configured_memory_fraction(config.gpu_memory_fraction());
    config
        .to_pool_builder()
        .build_global()
        .map_err(|error| match error.into_kind() {
            ErrorKind::GlobalPoolAlreadyInitialized => Error::AlreadyInitialized,
            ErrorKind::IOError(io_error) => Error::ThreadSpawn(io_error),
            ErrorKind::InvalidEnvironment(unknown) => Error::Config(ConfigError::InvalidEnvVar {
                name: ENV_SCHEDULING_POLICY,
                value: unknown.name,
            }),
            ErrorKind::InvalidThreadLimits(config_error)
            | ErrorKind::InvalidPrioritySettings(config_error) => Error::Config(config_error),
            ErrorKind::CurrentThreadAlreadyInPool | ErrorKind::ScalingNeedsDefaultSpawn => {
                unreachable!("a Config never adopts the calling thread or sets a spawn handler")
            }
        })
}

/// Ends the global pool: waits until all work queued on it (spawned jobs included) has
/// finished and its threads have exited. The next parallel call, or [`init`], starts a fresh
/// pool. Does nothing if the global pool is not running.
///
/// Called from inside the global pool, it cannot wait for the job it runs in: the pool then
/// ends in the background once its work is done.
///
/// # Examples
///
/// ```
/// veda::shutdown();
/// let (a, b) = veda::join(|| 1, || 2); // starts a fresh global pool
/// assert_eq!(a + b, 3);
/// veda::shutdown();
/// ```
pub fn shutdown() {
    registry::shutdown_global();
}
