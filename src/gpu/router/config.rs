//! `RouterConfig` and `Policy`: how the router decides, and what it assumes before it has
//! measured anything.

use crate::fault::BreakerConfig;
use crate::gpu::GpuError;
use std::time::Duration;

/// Where the router may send work.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Policy {
    /// Per call, the placement with the earliest expected finish (CPU, GPU or a split).
    #[default]
    Auto,
    /// Always the CPU.
    CpuOnly,
    /// The GPU whenever it is usable; the CPU when it is not, or after a GPU failure.
    GpuOnly,
    /// Always a split of the range, balanced by the cost model (the CPU alone when no GPU
    /// is usable).
    Split,
}

/// The router's settings.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use veda::gpu::{Policy, RouterConfig};
///
/// let config = RouterConfig::default()
///     .policy(Policy::Auto)
///     .smoothing(0.3)
///     .prior_bandwidth(25e9)
///     .prior_launch_latency(Duration::from_micros(8));
/// assert!(config.validate().is_ok());
/// assert!(RouterConfig::default().smoothing(0.0).validate().is_err());
/// ```
#[derive(Clone, Debug)]
pub struct RouterConfig {
    pub(crate) policy: Policy,
    pub(crate) smoothing: f64,
    pub(crate) cpu_overhead: Duration,
    pub(crate) prior_cpu_ns_per_element: f64,
    pub(crate) prior_gpu_speedup: f64,
    pub(crate) prior_bandwidth_bytes_per_s: f64,
    pub(crate) prior_launch_latency: Duration,
    pub(crate) min_split_elements: usize,
    pub(crate) split_gain: f64,
    pub(crate) explore: bool,
    pub(crate) breaker: BreakerConfig,
}

impl Default for RouterConfig {
    /// `Auto`; smoothing 0.25; 5 µs of CPU overhead per call; priors of 1 ns per element on
    /// the CPU, a GPU 10 times faster, 12 GB/s and 10 µs per launch; splits of at least
    /// 4 096 elements that beat the best single side by 5 %; exploration on; a circuit that
    /// opens after 3 GPU failures within 10 s and probes again after 5 s.
    fn default() -> Self {
        RouterConfig {
            policy: Policy::Auto,
            smoothing: 0.25,
            cpu_overhead: Duration::from_micros(5),
            prior_cpu_ns_per_element: 1.0,
            prior_gpu_speedup: 10.0,
            prior_bandwidth_bytes_per_s: 12e9,
            prior_launch_latency: Duration::from_micros(10),
            min_split_elements: 4096,
            split_gain: 0.05,
            explore: true,
            breaker: BreakerConfig::new(3, Duration::from_secs(10), Duration::from_secs(5)),
        }
    }
}

impl RouterConfig {
    /// Where work may go.
    pub fn policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// The weight of each new measurement in the moving averages, above 0 and at most 1.
    pub fn smoothing(mut self, alpha: f64) -> Self {
        self.smoothing = alpha;
        self
    }

    /// The fixed cost of a parallel CPU call (dispatch to the workers, joining them).
    pub fn cpu_overhead(mut self, overhead: Duration) -> Self {
        self.cpu_overhead = overhead;
        self
    }

    /// CPU nanoseconds per element assumed for a kernel never measured.
    pub fn prior_cpu_ns_per_element(mut self, nanos: f64) -> Self {
        self.prior_cpu_ns_per_element = nanos;
        self
    }

    /// How many times faster than the CPU the GPU's compute is assumed to be for a kernel
    /// never measured on it.
    pub fn prior_gpu_speedup(mut self, speedup: f64) -> Self {
        self.prior_gpu_speedup = speedup;
        self
    }

    /// Host–device bandwidth assumed until a transfer is measured, in bytes per second.
    pub fn prior_bandwidth(mut self, bytes_per_s: f64) -> Self {
        self.prior_bandwidth_bytes_per_s = bytes_per_s;
        self
    }

    /// Launch latency assumed until one is measured.
    pub fn prior_launch_latency(mut self, latency: Duration) -> Self {
        self.prior_launch_latency = latency;
        self
    }

    /// The fewest elements either side of a split may get under `Auto` (a `Split` policy
    /// splits whatever it is given, down to one element a side).
    pub fn min_split_elements(mut self, elements: usize) -> Self {
        self.min_split_elements = elements;
        self
    }

    /// How much earlier (as a fraction, from 0 to 1) a split must be expected to finish
    /// than the best single side before `Auto` picks it.
    pub fn split_gain(mut self, gain: f64) -> Self {
        self.split_gain = gain;
        self
    }

    /// Whether `Auto` may try a side it has never measured for a kernel when its prior is
    /// within a factor of two of the best choice (off: priors decide until measured).
    pub fn explore(mut self, explore: bool) -> Self {
        self.explore = explore;
        self
    }

    /// When GPU failures open the circuit, and how long it stays open.
    pub fn circuit_breaker(mut self, breaker: BreakerConfig) -> Self {
        self.breaker = breaker;
        self
    }

    /// The policy.
    pub fn current_policy(&self) -> Policy {
        self.policy
    }

    /// Checks every value.
    pub fn validate(&self) -> Result<(), GpuError> {
        let invalid = |reason: String| Err(GpuError::InvalidArgument { reason });
        if !(self.smoothing > 0.0 && self.smoothing <= 1.0) {
            return invalid(format!(
                "RouterConfig::smoothing is {}: pass a weight above 0 and at most 1",
                self.smoothing
            ));
        }
        if !(self.prior_cpu_ns_per_element.is_finite() && self.prior_cpu_ns_per_element > 0.0) {
            return invalid(format!(
                "RouterConfig::prior_cpu_ns_per_element is {}: pass a positive number",
                self.prior_cpu_ns_per_element
            ));
        }
        if !(self.prior_gpu_speedup.is_finite() && self.prior_gpu_speedup > 0.0) {
            return invalid(format!(
                "RouterConfig::prior_gpu_speedup is {}: pass a positive number",
                self.prior_gpu_speedup
            ));
        }
        if !(self.prior_bandwidth_bytes_per_s.is_finite() && self.prior_bandwidth_bytes_per_s > 0.0)
        {
            return invalid(format!(
                "RouterConfig::prior_bandwidth is {}: pass a positive number of bytes per second",
                self.prior_bandwidth_bytes_per_s
            ));
        }
        if !(0.0..=1.0).contains(&self.split_gain) {
            return invalid(format!(
                "RouterConfig::split_gain is {}: pass a fraction from 0 to 1",
                self.split_gain
            ));
        }
        self.breaker.validate()?;
        Ok(())
    }
}
