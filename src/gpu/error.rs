//! `GpuError`: every way the GPU side can fail, and the class of failure the router acts on.

use crate::config::ConfigError;

/// A reason the GPU side could not do what was asked.
///
/// Absence (no driver library, no device, a driver too old) is an ordinary outcome on
/// machines without an NVIDIA GPU: every entry point returns one of these instead of
/// panicking, and the [router](super::Router) runs the work on the CPU.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GpuError {
    /// The CUDA driver library (`libcuda`) could not be loaded.
    #[error(
        "the CUDA driver library (libcuda.so / nvcuda.dll) was not found: install the NVIDIA \
         driver, or add the directory holding it to LD_LIBRARY_PATH; work runs on the CPU \
         meanwhile"
    )]
    NoDriver,
    /// The NVRTC library (`libnvrtc`), needed to compile kernels, could not be loaded.
    #[error(
        "the NVRTC library (libnvrtc.so) was not found, so kernels cannot be compiled: install \
         the CUDA toolkit's runtime compiler, or add its directory to LD_LIBRARY_PATH"
    )]
    NoCompiler,
    /// The driver loaded but reports no CUDA device.
    #[error(
        "the CUDA driver reports no device: check that a GPU is installed and visible \
         (nvidia-smi, CUDA_VISIBLE_DEVICES)"
    )]
    NoDevice,
    /// The driver is older than the CUDA version veda is built against.
    #[error(
        "the CUDA driver supports CUDA {found_major}.{found_minor} but veda needs \
         {required_major}.{required_minor}: update the NVIDIA driver"
    )]
    DriverTooOld {
        /// Major CUDA version the driver supports.
        found_major: i32,
        /// Minor CUDA version the driver supports.
        found_minor: i32,
        /// Major CUDA version required.
        required_major: i32,
        /// Minor CUDA version required.
        required_minor: i32,
    },
    /// `cuInit` or context creation failed.
    #[error("the CUDA driver failed to initialise ({reason}): check nvidia-smi and dmesg for driver faults")]
    InitFailed {
        /// The driver's own description.
        reason: String,
    },
    /// A device ordinal beyond the devices present.
    #[error("there is no CUDA device {ordinal} (found {count}): pick an ordinal below {count}")]
    InvalidDevice {
        /// The ordinal asked for.
        ordinal: usize,
        /// How many devices there are.
        count: usize,
    },
    /// The device ran out of memory.
    #[error("the GPU ran out of memory allocating {requested} bytes ({reason}): use smaller batches or lower other users of the device")]
    OutOfMemory {
        /// Bytes asked for (0 where the driver did not say).
        requested: usize,
        /// The driver's description.
        reason: String,
    },
    /// A memory pool would exceed its cap.
    #[error(
        "the GPU memory pool of device {ordinal} would exceed its cap of {cap} bytes \
         ({in_use} in use, {requested} requested): raise VEDA_GPU_MEMORY_FRACTION or \
         ConfigBuilder::gpu_memory_fraction, or use smaller batches"
    )]
    PoolExhausted {
        /// The device.
        ordinal: usize,
        /// Bytes asked for.
        requested: usize,
        /// Bytes already handed out.
        in_use: usize,
        /// The cap.
        cap: usize,
    },
    /// A kernel failed to launch or faulted while running.
    #[error("kernel {kernel} failed ({reason}): check its arguments and launch configuration")]
    LaunchFailed {
        /// The kernel's name.
        kernel: String,
        /// The driver's description.
        reason: String,
    },
    /// The device stopped answering (fallen off the bus, uncorrectable ECC error, reset).
    #[error("the GPU was lost ({reason}): the device needs a reset; work runs on the CPU")]
    DeviceLost {
        /// The driver's description.
        reason: String,
    },
    /// NVRTC rejected a kernel's source.
    #[error("kernel {kernel} did not compile: {log}")]
    Compile {
        /// The kernel's name.
        kernel: String,
        /// NVRTC's log.
        log: String,
    },
    /// Any other driver call that failed.
    #[error("the CUDA call {call} failed: {reason}")]
    Driver {
        /// What veda was doing.
        call: &'static str,
        /// The driver's description.
        reason: String,
    },
    /// Arguments that do not fit together (lengths, shapes).
    #[error("invalid GPU arguments: {reason}")]
    InvalidArgument {
        /// What is wrong, and what was expected.
        reason: String,
    },
    /// A configuration value the GPU side cannot use.
    #[error(transparent)]
    Config(#[from] ConfigError),
}

/// The class of a [`GpuError`], which decides how the router reacts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FailureKind {
    /// No usable GPU here at all: route everything to the CPU, do not count it as a fault.
    Unavailable,
    /// Device memory ran out (or the pool's cap was reached): counts towards the circuit.
    OutOfMemory,
    /// A kernel failed: counts towards the circuit.
    Launch,
    /// The device is gone: the GPU side stays off until the router is rebuilt.
    DeviceLost,
    /// A bad argument or a kernel that does not compile: the caller's mistake.
    Usage,
    /// Any other driver failure: counts towards the circuit.
    Other,
}

impl GpuError {
    /// The class of this failure.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::gpu::{FailureKind, GpuError};
    ///
    /// assert_eq!(GpuError::NoDriver.kind(), FailureKind::Unavailable);
    /// let lost = GpuError::DeviceLost { reason: "fell off the bus".into() };
    /// assert_eq!(lost.kind(), FailureKind::DeviceLost);
    /// ```
    pub fn kind(&self) -> FailureKind {
        match self {
            GpuError::NoDriver
            | GpuError::NoCompiler
            | GpuError::NoDevice
            | GpuError::DriverTooOld { .. }
            | GpuError::InitFailed { .. }
            | GpuError::InvalidDevice { .. } => FailureKind::Unavailable,
            GpuError::OutOfMemory { .. } | GpuError::PoolExhausted { .. } => {
                FailureKind::OutOfMemory
            }
            GpuError::LaunchFailed { .. } => FailureKind::Launch,
            GpuError::DeviceLost { .. } => FailureKind::DeviceLost,
            GpuError::Compile { .. } | GpuError::InvalidArgument { .. } | GpuError::Config(_) => {
                FailureKind::Usage
            }
            GpuError::Driver { .. } => FailureKind::Other,
        }
    }
}
