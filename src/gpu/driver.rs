//! Loading the CUDA driver and NVRTC: library presence first (cudarc panics when a library
//! it needs is missing), then `cuInit`, the driver's version, and one context per device.

use super::GpuError;
use crate::sync::{Arc, Mutex, OnceLock};
use cudarc::driver::{result::DriverError, sys, CudaContext};
use std::collections::HashMap;

/// The CUDA version veda's bindings are generated for (the `cuda-13000` feature of cudarc).
pub(crate) const REQUIRED_CUDA: (i32, i32) = (13, 0);

/// Checks, once per process, that the driver library loads, initialises, and is recent
/// enough. Nothing else in `gpu` calls into the driver before this succeeded.
pub(crate) fn ensure_driver() -> Result<(), GpuError> {
    static DRIVER: OnceLock<Result<(), GpuError>> = OnceLock::new();
    DRIVER.get_or_init(load_driver).clone()
}

fn load_driver() -> Result<(), GpuError> {
    // SAFETY: `is_culib_present` only tries to open the driver library (running its
    // initialisers, which the NVIDIA driver's are made for) and closes it again; no symbol
    // of it is called.
    if !unsafe { sys::is_culib_present() } {
        return Err(GpuError::NoDriver);
    }
    cudarc::driver::result::init().map_err(|error| match error.0 {
        sys::CUresult::CUDA_ERROR_NO_DEVICE => GpuError::NoDevice,
        _ => GpuError::InitFailed {
            reason: describe(error),
        },
    })?;
    let mut version = 0;
    // SAFETY: the library is present and initialised (above); `cuDriverGetVersion` writes
    // one `int` through the pointer, which points to a live local.
    let status = unsafe { sys::cuDriverGetVersion(&mut version) };
    status.result().map_err(|error| GpuError::InitFailed {
        reason: describe(error),
    })?;
    let found = (version / 1000, (version % 1000) / 10);
    if found < REQUIRED_CUDA {
        return Err(GpuError::DriverTooOld {
            found_major: found.0,
            found_minor: found.1,
            required_major: REQUIRED_CUDA.0,
            required_minor: REQUIRED_CUDA.1,
        });
    }
    Ok(())
}

/// Checks, once per process, that NVRTC loads.
pub(crate) fn ensure_compiler() -> Result<(), GpuError> {
    static NVRTC: OnceLock<bool> = OnceLock::new();
    // SAFETY: as for the driver: opening and closing the library, no symbol called.
    let present = *NVRTC.get_or_init(|| unsafe { cudarc::nvrtc::sys::is_culib_present() });
    if present {
        Ok(())
    } else {
        Err(GpuError::NoCompiler)
    }
}

/// The number of devices the driver reports.
pub(crate) fn device_count() -> Result<usize, GpuError> {
    ensure_driver()?;
    let count =
        CudaContext::device_count().map_err(|error| map_error("cuDeviceGetCount", error))?;
    Ok(usize::try_from(count).unwrap_or(0))
}

/// The (primary) context of device `ordinal`, created once and shared.
pub(crate) fn context(ordinal: usize) -> Result<Arc<CudaContext>, GpuError> {
    static CONTEXTS: OnceLock<Mutex<HashMap<usize, Arc<CudaContext>>>> = OnceLock::new();
    let count = device_count()?;
    if ordinal >= count {
        return Err(GpuError::InvalidDevice { ordinal, count });
    }
    let contexts = CONTEXTS.get_or_init(|| Mutex::new(HashMap::new()));
    let mut contexts = contexts.lock();
    if let Some(context) = contexts.get(&ordinal) {
        return Ok(context.clone());
    }
    let context = CudaContext::new(ordinal).map_err(|error| GpuError::InitFailed {
        reason: describe(error),
    })?;
    contexts.insert(ordinal, context.clone());
    Ok(context)
}

/// The driver's name for an error, for messages.
pub(crate) fn describe(error: DriverError) -> String {
    match error.error_name() {
        Ok(name) => format!("{} ({:?})", name.to_string_lossy(), error.0),
        Err(_) => format!("{:?}", error.0),
    }
}

/// Turns a driver error into veda's class of failure.
pub(crate) fn map_error(call: &'static str, error: DriverError) -> GpuError {
    use sys::CUresult as R;
    let reason = describe(error);
    match error.0 {
        R::CUDA_ERROR_OUT_OF_MEMORY => GpuError::OutOfMemory {
            requested: 0,
            reason,
        },
        R::CUDA_ERROR_LAUNCH_FAILED
        | R::CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES
        | R::CUDA_ERROR_LAUNCH_TIMEOUT
        | R::CUDA_ERROR_ILLEGAL_ADDRESS
        | R::CUDA_ERROR_ILLEGAL_INSTRUCTION
        | R::CUDA_ERROR_MISALIGNED_ADDRESS
        | R::CUDA_ERROR_INVALID_ADDRESS_SPACE
        | R::CUDA_ERROR_INVALID_PC
        | R::CUDA_ERROR_HARDWARE_STACK_ERROR
        | R::CUDA_ERROR_ASSERT => GpuError::LaunchFailed {
            kernel: call.to_owned(),
            reason,
        },
        R::CUDA_ERROR_ECC_UNCORRECTABLE
        | R::CUDA_ERROR_NVLINK_UNCORRECTABLE
        | R::CUDA_ERROR_DEVICE_UNAVAILABLE
        | R::CUDA_ERROR_NO_DEVICE
        | R::CUDA_ERROR_DEINITIALIZED
        | R::CUDA_ERROR_CONTEXT_IS_DESTROYED
        | R::CUDA_ERROR_SYSTEM_NOT_READY => GpuError::DeviceLost { reason },
        _ => GpuError::Driver { call, reason },
    }
}

/// `map_error` for a kernel launch, naming the kernel.
pub(crate) fn map_launch_error(kernel: &str, error: DriverError) -> GpuError {
    match map_error("cuLaunchKernel", error) {
        GpuError::LaunchFailed { reason, .. } | GpuError::Driver { reason, .. } => {
            GpuError::LaunchFailed {
                kernel: kernel.to_owned(),
                reason,
            }
        }
        other => other,
    }
}
