//! The backend trait: everything the router needs from the machine, so that its logic can
//! be driven by a real device ([`CudaBackend`](super::CudaBackend)) or a simulated one
//! ([`SimulatedBackend`](super::SimulatedBackend)).

use crate::gpu::GpuError;
use std::time::{Duration, Instant};

/// What one call asks of the machine, as the backend sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct JobShape<'a> {
    /// The kernel's name (the key of its cost history).
    pub kernel: &'a str,
    /// Elements in this part of the call.
    pub elements: usize,
    /// Bytes this part moves between host and device (both directions).
    pub bytes: usize,
}

/// Work waiting on each side when a decision is made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueLengths {
    /// Jobs queued for the CPU workers.
    pub cpu: usize,
    /// Jobs queued or running on the GPU.
    pub gpu: usize,
}

/// What a GPU run measured. `transfer` and `launch` are `None` where the backend cannot
/// tell them apart from the total; the router then attributes them from its estimates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GpuTiming {
    /// From submission to results back on the host.
    pub total: Duration,
    /// Host–device copies, both directions.
    pub transfer: Option<Duration>,
    /// Fixed cost of the launch (submission and synchronisation).
    pub launch: Option<Duration>,
}

/// Link costs a backend measured up front, which replace the router's priors.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct LinkCosts {
    /// Host–device bandwidth, in bytes per second.
    pub bandwidth_bytes_per_s: f64,
    /// The least time a GPU call takes (submission to completion of an empty job).
    pub launch_latency: Duration,
}

impl LinkCosts {
    /// Costs of `bandwidth_bytes_per_s` and `launch_latency`.
    pub fn new(bandwidth_bytes_per_s: f64, launch_latency: Duration) -> Self {
        LinkCosts {
            bandwidth_bytes_per_s,
            launch_latency,
        }
    }
}

/// The machine under the router.
///
/// `run_cpu` and `run_gpu` run the body they are given (which writes the call's results)
/// and say how long it took; a backend may measure that time with a clock or model it.
pub trait Backend: Send + Sync {
    /// `Ok` when a GPU can take work; otherwise why not (the router then uses the CPU).
    fn gpu_status(&self) -> Result<(), GpuError>;

    /// The current time, for the circuit breaker's window and cool-down.
    fn now(&self) -> Instant;

    /// Work waiting on each side now.
    fn queue_lengths(&self) -> QueueLengths;

    /// Link costs measured before any run, if the backend has them (by default none: the
    /// router starts from its configured priors).
    fn link_costs(&self) -> Option<LinkCosts> {
        None
    }

    /// Runs a CPU part and returns how long it took.
    fn run_cpu(&self, job: JobShape<'_>, body: &mut dyn FnMut()) -> Duration;

    /// Runs a GPU part (`body` does the copies and the launch) and returns what it measured,
    /// or the failure; after a failure the router recomputes the part on the CPU.
    fn run_gpu(
        &self,
        job: JobShape<'_>,
        body: &mut dyn FnMut() -> Result<(), GpuError>,
    ) -> Result<GpuTiming, GpuError>;
}
