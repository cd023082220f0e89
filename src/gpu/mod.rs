//! GPU offload through CUDA (feature `gpu`), and a router that places work on the CPU, the
//! GPU or both.
//!
//! - discovery: [`devices`], [`device`], [`health_check`], with a typed [`GpuError`] when
//!   there is no driver, no device, or a driver too old;
//! - jobs: the [`GpuKernel`] trait, run by a per-device queue with [`execute`] (a
//!   [`GpuFuture`], no async runtime needed) or [`execute_blocking`]; a job works through
//!   a [`Launcher`]: pooled [`DeviceBuffer`]s, pinned [`PinnedBuffer`]s, copies, kernels
//!   from CUDA C ([`KernelSource`]) compiled with NVRTC once per device;
//! - built-in kernels: [`VectorAddKernel`], [`SaxpyKernel`], [`MapKernel`] (a CUDA C
//!   expression), [`ReduceKernel`] (sum, min, max), [`MatmulKernel`] (tiled), and their
//!   device-resident forms ([`vector_add`], [`saxpy`], [`map`], [`reduce`], [`matmul`]);
//! - memory: a per-device pool in size classes under a cap of [`memory_fraction`] of the
//!   device ([`pool_stats`], [`trim_pool`]);
//! - several devices: [`execute_across`] and [`split_by_weight`];
//! - the router: [`Router`], [`WorkItem`], [`Policy`]: per-call placement from an online
//!   cost model, with fallback to the CPU when the GPU fails; [`SimulatedBackend`] drives it
//!   without a GPU.
//!
//! The driver and NVRTC are loaded at run time: this module builds without a CUDA toolkit,
//! and on a machine without an NVIDIA driver every entry point reports
//! [`GpuError::NoDriver`] (the router then runs everything on the CPU). See
//! `src/gpu/README.md` for the design and what has been verified on real hardware.

mod buffer;
mod compile;
mod device;
mod driver;
mod error;
mod fraction;
mod future;
mod kernel;
mod kernels;
mod launch;
mod multi;
mod pool;
mod queue;
mod router;
mod runtime;
mod scalar;
mod staging;
mod stream;
#[cfg(test)]
mod test;

pub use buffer::DeviceBuffer;
pub use compile::{compiler_available, KernelFunction, KernelSource};
pub use device::{device, devices, health_check, is_available, DeviceInfo, Health};
pub use error::{FailureKind, GpuError};
pub use fraction::memory_fraction;
pub use future::GpuFuture;
pub use kernel::{GpuKernel, KernelFn};
pub use kernels::{
    map, matmul, reduce, saxpy, vector_add, MapExpr, MapKernel, MatmulKernel, ReduceKernel,
    ReduceOp, SaxpyKernel, VectorAddKernel,
};
pub use launch::{KernelArgs, LaunchDims, Launcher};
pub use multi::{execute_across, split_by_weight};
pub use pool::PoolStats;
pub use queue::{execute, execute_blocking, execute_on};
pub use router::{
    Backend, CudaBackend, Decision, Estimates, GpuTiming, JobShape, LinkCosts, Placement, Policy,
    QueueLengths, Reason, Router, RouterConfig, RunReport, SimCosts, SimulatedBackend, WorkItem,
};
pub use runtime::{pool_stats, trim_pool};
pub use scalar::{DeviceFloat, DeviceScalar};
pub use staging::PinnedBuffer;

pub(crate) use fraction::set_configured as set_configured_memory_fraction;
pub(crate) use queue::queued_jobs;
