//! `DeviceRuntime`: what veda keeps per device once it is first used: its context, memory
//! pool, streams, staging buffers and compiled modules.

use super::buffer::{CudaAllocator, DevicePool};
use super::compile::KernelFunction;
use super::device::{device, DeviceInfo};
use super::driver::{self, map_error};
use super::pool::PoolStats;
use super::staging::StagingPool;
use super::stream::{StreamSet, STREAMS_PER_DEVICE};
use super::{fraction, GpuError};
use crate::sync::{Arc, Mutex, OnceLock};
use cudarc::driver::{CudaContext, CudaModule};
use std::collections::HashMap;

#[derive(Debug)]
pub(crate) struct DeviceRuntime {
    pub(crate) info: DeviceInfo,
    pub(crate) context: Arc<CudaContext>,
    pub(crate) pool: Arc<DevicePool>,
    pub(crate) streams: StreamSet,
    pub(crate) staging: Arc<StagingPool>,
    pub(crate) modules: Mutex<HashMap<String, Arc<CudaModule>>>,
    pub(crate) functions: Mutex<HashMap<(String, String), KernelFunction>>,
}

impl DeviceRuntime {
    fn new(ordinal: usize) -> Result<Self, GpuError> {
        let info = device(ordinal)?;
        let context = driver::context(ordinal)?;
        let fraction = fraction::memory_fraction()?;
        let cap = (info.total_memory as f64 * fraction) as usize;
        let allocation_stream = context
            .new_stream()
            .map_err(|error| map_error("cuStreamCreate", error))?;
        Ok(DeviceRuntime {
            pool: Arc::new(DevicePool::new(
                CudaAllocator {
                    stream: allocation_stream,
                },
                ordinal,
                cap,
            )),
            streams: StreamSet::new(&context, STREAMS_PER_DEVICE)?,
            staging: Arc::new(StagingPool::new(context.clone())),
            modules: Mutex::new(HashMap::new()),
            functions: Mutex::new(HashMap::new()),
            context,
            info,
        })
    }
}

/// The runtime of device `ordinal`, set up on first use.
pub(crate) fn runtime(ordinal: usize) -> Result<Arc<DeviceRuntime>, GpuError> {
    static RUNTIMES: OnceLock<Mutex<HashMap<usize, Arc<DeviceRuntime>>>> = OnceLock::new();
    driver::ensure_driver()?;
    let runtimes = RUNTIMES.get_or_init(|| Mutex::new(HashMap::new()));
    let mut runtimes = runtimes.lock();
    if let Some(runtime) = runtimes.get(&ordinal) {
        return Ok(runtime.clone());
    }
    let runtime = Arc::new(DeviceRuntime::new(ordinal)?);
    runtimes.insert(ordinal, runtime.clone());
    Ok(runtime)
}

/// The counters of device `ordinal`'s memory pool.
pub fn pool_stats(ordinal: usize) -> Result<PoolStats, GpuError> {
    Ok(runtime(ordinal)?.pool.stats())
}

/// Frees the blocks device `ordinal`'s pool keeps for reuse.
pub fn trim_pool(ordinal: usize) -> Result<(), GpuError> {
    runtime(ordinal)?.pool.trim();
    Ok(())
}
