//! GPU offload through CUDA (feature `gpu`), and a router that places work on the CPU, the
//! GPU or both.
//!
//! - [`devices`], [`device`], [`health_check`]: discovery, with a typed [`GpuError`] when
//!   there is no driver, no device, or a driver too old;
//! - [`Router`], [`WorkItem`], [`Policy`]: per-call placement from an online cost model,
//!   with fallback to the CPU when the GPU fails; [`SimulatedBackend`] drives it without a
//!   GPU.
//!
//! The driver and NVRTC are loaded at run time: this module builds without a CUDA toolkit,
//! and on a machine without an NVIDIA driver every entry point reports
//! [`GpuError::NoDriver`] instead of failing harder. See `src/gpu/README.md`.

mod device;
mod driver;
mod error;
mod router;

pub use device::{device, devices, health_check, is_available, DeviceInfo, Health};
pub use error::{FailureKind, GpuError};
pub use router::{
    Backend, CudaBackend, Decision, Estimates, GpuTiming, JobShape, Placement, Policy,
    QueueLengths, Reason, Router, RouterConfig, RunReport, SimCosts, SimulatedBackend, WorkItem,
};

/// Jobs waiting in veda's GPU queues.
pub(crate) fn queued_jobs() -> usize {
    0
}
