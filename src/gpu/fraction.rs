//! The share of each device's memory that veda's pool may hold: from
//! [`ConfigBuilder::gpu_memory_fraction`](crate::ConfigBuilder::gpu_memory_fraction) (given
//! to [`init_with_config`](crate::init_with_config)), else `VEDA_GPU_MEMORY_FRACTION`, else
//! [`Config::DEFAULT_GPU_MEMORY_FRACTION`](crate::Config::DEFAULT_GPU_MEMORY_FRACTION).

use crate::config::{check_gpu_memory_fraction, Config, ConfigError};
use crate::sync::Mutex;

/// The environment variable that sets the share.
pub(crate) const ENV_GPU_MEMORY_FRACTION: &str = "VEDA_GPU_MEMORY_FRACTION";

static CONFIGURED: Mutex<Option<f64>> = Mutex::new(None);

/// Records the share a `Config` set (`None`: the environment or the default decides).
pub(crate) fn set_configured(fraction: Option<f64>) {
    *CONFIGURED.lock() = fraction;
}

/// Reads a share from the text of `VEDA_GPU_MEMORY_FRACTION`.
pub(crate) fn parse(text: &str) -> Result<f64, ConfigError> {
    text.trim()
        .parse::<f64>()
        .map_err(|_| ConfigError::InvalidGpuMemoryFraction {
            value: text.to_owned(),
        })
        .and_then(check_gpu_memory_fraction)
}

/// The share of each device's memory that veda's pool may hold, or why the setting is
/// unusable. Pools read it when they are created (on a device's first use).
///
/// # Examples
///
/// ```
/// let fraction = veda::gpu::memory_fraction().unwrap_or(veda::Config::DEFAULT_GPU_MEMORY_FRACTION);
/// assert!(fraction > 0.0 && fraction <= 1.0);
/// ```
pub fn memory_fraction() -> Result<f64, ConfigError> {
    if let Some(fraction) = *CONFIGURED.lock() {
        return Ok(fraction);
    }
    match std::env::var(ENV_GPU_MEMORY_FRACTION) {
        Ok(text) => parse(&text),
        Err(std::env::VarError::NotPresent) => Ok(Config::DEFAULT_GPU_MEMORY_FRACTION),
        Err(std::env::VarError::NotUnicode(text)) => Err(ConfigError::InvalidGpuMemoryFraction {
            value: text.to_string_lossy().into_owned(),
        }),
    }
}
