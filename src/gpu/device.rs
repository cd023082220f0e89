//! Device discovery and health checks.

use super::driver::{self, map_error};
use super::GpuError;
use cudarc::driver::sys::CUdevice_attribute as Attribute;
use std::time::{Duration, Instant};

/// What veda knows about one CUDA device.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeviceInfo {
    /// The device's ordinal (its index for the driver).
    pub ordinal: usize,
    /// The marketing name, e.g. "NVIDIA H100 80GB HBM3".
    pub name: String,
    /// Device memory, in bytes.
    pub total_memory: usize,
    /// Compute capability (major, minor), e.g. (9, 0).
    pub compute_capability: (u32, u32),
    /// Streaming multiprocessors.
    pub multiprocessors: u32,
}

/// The outcome of a [`health_check`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Health {
    /// The device checked.
    pub ordinal: usize,
    /// Free device memory, in bytes.
    pub free_memory: usize,
    /// Device memory, in bytes.
    pub total_memory: usize,
    /// How long a small round trip (host to device and back) took.
    pub round_trip: Duration,
}

/// The CUDA devices usable here, or why there are none: [`GpuError::NoDriver`],
/// [`GpuError::NoDevice`], [`GpuError::DriverTooOld`], [`GpuError::InitFailed`].
///
/// # Examples
///
/// ```
/// match veda::gpu::devices() {
///     Ok(devices) => {
///         for device in devices {
///             println!("{}: {} ({} SMs)", device.ordinal, device.name, device.multiprocessors);
///         }
///     }
///     Err(reason) => println!("no GPU: {reason}"),
/// }
/// ```
pub fn devices() -> Result<Vec<DeviceInfo>, GpuError> {
    let count = driver::device_count()?;
    if count == 0 {
        return Err(GpuError::NoDevice);
    }
    (0..count).map(device).collect()
}

/// Whether at least one device is usable.
pub fn is_available() -> bool {
    devices().is_ok()
}

/// Information on device `ordinal`.
pub fn device(ordinal: usize) -> Result<DeviceInfo, GpuError> {
    let context = driver::context(ordinal)?;
    let attribute = |which| {
        context
            .attribute(which)
            .map_err(|error| map_error("cuDeviceGetAttribute", error))
    };
    let major = attribute(Attribute::CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)?;
    let minor = attribute(Attribute::CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR)?;
    let multiprocessors = attribute(Attribute::CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT)?;
    Ok(DeviceInfo {
        ordinal,
        name: context
            .name()
            .map_err(|error| map_error("cuDeviceGetName", error))?,
        total_memory: context
            .total_mem()
            .map_err(|error| map_error("cuDeviceTotalMem", error))?,
        compute_capability: (major.max(0) as u32, minor.max(0) as u32),
        multiprocessors: multiprocessors.max(0) as u32,
    })
}

/// Checks that device `ordinal` answers: reads its free memory and copies a few bytes to it
/// and back, comparing them. A device that fails this should get no work.
pub fn health_check(ordinal: usize) -> Result<Health, GpuError> {
    let context = driver::context(ordinal)?;
    let (free_memory, total_memory) = context
        .mem_get_info()
        .map_err(|error| map_error("cuMemGetInfo", error))?;
    let stream = context.default_stream();
    let probe: [u32; 4] = [0xC0FF_EE00, 1, 2, 3];
    let started = Instant::now();
    let on_device = stream
        .clone_htod(&probe)
        .map_err(|error| map_error("cuMemcpyHtoD", error))?;
    let back = stream
        .clone_dtoh(&on_device)
        .map_err(|error| map_error("cuMemcpyDtoH", error))?;
    stream
        .synchronize()
        .map_err(|error| map_error("cuStreamSynchronize", error))?;
    let round_trip = started.elapsed();
    if back != probe {
        return Err(GpuError::DeviceLost {
            reason: format!("a round trip of {probe:?} came back as {back:?}"),
        });
    }
    Ok(Health {
        ordinal,
        free_memory,
        total_memory,
        round_trip,
    })
}
