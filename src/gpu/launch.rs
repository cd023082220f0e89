//! `Launcher`: a job's access to its device: buffers, copies, compiled kernels and
//! launches, all on the stream the job was given.

use super::buffer::DeviceBuffer;
use super::compile::{KernelFunction, KernelSource};
use super::device::DeviceInfo;
use super::driver::{map_error, map_launch_error};
use super::runtime::DeviceRuntime;
use super::scalar::sealed::ScalarArg;
use super::staging::PinnedBuffer;
use super::{DeviceScalar, GpuError};
use crate::sync::Arc;
use cudarc::driver::{CudaSlice, CudaStream, LaunchConfig, PushKernelArg};
use std::fmt;

/// Grid and block dimensions of a launch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LaunchDims {
    /// Blocks in the grid (x, y, z).
    pub grid: (u32, u32, u32),
    /// Threads per block (x, y, z).
    pub block: (u32, u32, u32),
    /// Dynamic shared memory per block, in bytes.
    pub shared_mem_bytes: u32,
}

impl LaunchDims {
    /// One thread per element for `elements` elements, `block` threads per block (the
    /// grid is capped at 2^31 - 1 blocks: kernels should loop with a grid stride).
    ///
    /// # Examples
    ///
    /// ```
    /// let dims = veda::gpu::LaunchDims::linear(1000, 256);
    /// assert_eq!(dims.grid, (4, 1, 1));
    /// assert_eq!(dims.block, (256, 1, 1));
    /// ```
    pub fn linear(elements: usize, block: u32) -> Self {
        let block = block.max(1);
        let blocks = elements
            .div_ceil(block as usize)
            .clamp(1, i32::MAX as usize) as u32;
        LaunchDims {
            grid: (blocks, 1, 1),
            block: (block, 1, 1),
            shared_mem_bytes: 0,
        }
    }

    /// Explicit dimensions.
    pub fn new(grid: (u32, u32, u32), block: (u32, u32, u32), shared_mem_bytes: u32) -> Self {
        LaunchDims {
            grid,
            block,
            shared_mem_bytes,
        }
    }
}

enum Arg<'a> {
    Buffer(&'a CudaSlice<u8>),
    BufferMut(&'a mut CudaSlice<u8>),
    Scalar(ScalarArg),
}

/// The arguments of a launch, in the order of the kernel's parameters: buffers become
/// pointers to their first element, scalars are passed by value.
#[derive(Default)]
pub struct KernelArgs<'a> {
    args: Vec<Arg<'a>>,
}

impl<'a> KernelArgs<'a> {
    /// No argument yet.
    pub fn new() -> Self {
        KernelArgs { args: Vec::new() }
    }

    /// A buffer the kernel reads (`const T*`).
    pub fn buffer<T: DeviceScalar>(mut self, buffer: &'a DeviceBuffer<T>) -> Self {
        self.args.push(Arg::Buffer(buffer.raw()));
        self
    }

    /// A buffer the kernel writes (`T*`).
    pub fn buffer_mut<T: DeviceScalar>(mut self, buffer: &'a mut DeviceBuffer<T>) -> Self {
        self.args.push(Arg::BufferMut(buffer.raw_mut()));
        self
    }

    /// A scalar by value.
    pub fn scalar<T: DeviceScalar>(mut self, value: T) -> Self {
        self.args.push(Arg::Scalar(value.into_arg()));
        self
    }
}

impl fmt::Debug for KernelArgs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KernelArgs")
            .field("count", &self.args.len())
            .finish()
    }
}

/// A job's handle on its device and stream (see [`GpuKernel::run`](super::GpuKernel::run)).
///
/// Copies and launches are queued on the job's stream and run in order; a job's future
/// resolves only after its stream has finished, so results a job downloaded are complete
/// by then.
pub struct Launcher<'a> {
    pub(crate) runtime: &'a DeviceRuntime,
    pub(crate) stream: Arc<CudaStream>,
}

impl fmt::Debug for Launcher<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Launcher")
            .field("ordinal", &self.runtime.info.ordinal)
            .finish()
    }
}

impl<'a> Launcher<'a> {
    /// The device this job runs on.
    pub fn device(&self) -> &DeviceInfo {
        &self.runtime.info
    }

    /// A buffer of `len` zeros.
    pub fn zeros<T: DeviceScalar>(&self, len: usize) -> Result<DeviceBuffer<T>, GpuError> {
        let mut buffer = DeviceBuffer::uninit(&self.runtime.pool, self.runtime.info.ordinal, len)?;
        self.stream
            .memset_zeros(buffer.raw_mut())
            .map_err(|error| map_error("cuMemsetD8Async", error))?;
        Ok(buffer)
    }

    /// A buffer holding a copy of `data`.
    pub fn upload<T: DeviceScalar>(&self, data: &[T]) -> Result<DeviceBuffer<T>, GpuError> {
        let mut buffer =
            DeviceBuffer::uninit(&self.runtime.pool, self.runtime.info.ordinal, data.len())?;
        self.stream
            .memcpy_htod(data, &mut buffer.view_mut())
            .map_err(|error| map_error("cuMemcpyHtoDAsync", error))?;
        Ok(buffer)
    }

    /// A pinned host buffer of `len` zeros on this device, for asynchronous copies.
    pub fn pinned<T: DeviceScalar>(&self, len: usize) -> Result<PinnedBuffer<T>, GpuError> {
        PinnedBuffer::new(&self.runtime.staging, len)
    }

    /// A buffer holding a copy of `data`, copied asynchronously from pinned memory (the
    /// copy overlaps work on other streams; `data` waits for it before it can be touched).
    pub fn upload_pinned<T: DeviceScalar>(
        &self,
        data: &PinnedBuffer<T>,
    ) -> Result<DeviceBuffer<T>, GpuError> {
        let mut buffer =
            DeviceBuffer::uninit(&self.runtime.pool, self.runtime.info.ordinal, data.len())?;
        self.copy_to_device(data, &mut buffer)?;
        Ok(buffer)
    }

    /// Copies `src` into `dst` (same length) asynchronously.
    pub fn copy_to_device<T: DeviceScalar>(
        &self,
        src: &PinnedBuffer<T>,
        dst: &mut DeviceBuffer<T>,
    ) -> Result<(), GpuError> {
        same_length(src.len(), dst.len())?;
        self.stream
            .memcpy_htod(src.raw(), dst.raw_mut())
            .map_err(|error| map_error("cuMemcpyHtoDAsync", error))
    }

    /// Copies `src` into `dst` (same length) asynchronously; `dst` waits for the copy
    /// before it can be read.
    pub fn copy_to_pinned<T: DeviceScalar>(
        &self,
        src: &DeviceBuffer<T>,
        dst: &mut PinnedBuffer<T>,
    ) -> Result<(), GpuError> {
        same_length(src.len(), dst.len())?;
        let bytes = dst.raw().len();
        self.stream
            .memcpy_dtoh(&src.raw().slice(0..bytes), dst.raw_mut())
            .map_err(|error| map_error("cuMemcpyDtoHAsync", error))
    }

    /// Copies `src` into `dst` (same length) on the device.
    pub fn copy<T: DeviceScalar>(
        &self,
        src: &DeviceBuffer<T>,
        dst: &mut DeviceBuffer<T>,
    ) -> Result<(), GpuError> {
        same_length(src.len(), dst.len())?;
        self.stream
            .memcpy_dtod(&src.view(), &mut dst.view_mut())
            .map_err(|error| map_error("cuMemcpyDtoDAsync", error))
    }

    /// The contents of `buffer`, once the work queued before on this stream is done.
    pub fn download<T: DeviceScalar>(&self, buffer: &DeviceBuffer<T>) -> Result<Vec<T>, GpuError> {
        let mut host = vec![T::default(); buffer.len()];
        self.stream
            .memcpy_dtoh(&buffer.view(), &mut host)
            .map_err(|error| map_error("cuMemcpyDtoHAsync", error))?;
        self.synchronize()?;
        Ok(host)
    }

    /// Entry point `entry` of `source`, compiled for this device on first use.
    pub fn function(&self, source: &KernelSource, entry: &str) -> Result<KernelFunction, GpuError> {
        self.runtime
            .function(source.name(), entry, || source.code().to_owned())
    }

    /// Queues `function` on this job's stream.
    ///
    /// # Safety
    ///
    /// `args` must match the kernel's parameters in number, order and type, and the kernel
    /// must stay within the buffers it is given (at the lengths they have) and write only
    /// those passed with [`KernelArgs::buffer_mut`]: the device can reach pinned host
    /// memory, so a kernel that strays can corrupt the host process.
    pub unsafe fn launch(
        &self,
        function: &KernelFunction,
        dims: LaunchDims,
        args: KernelArgs<'_>,
    ) -> Result<(), GpuError> {
        let mut args = args;
        let mut builder = self.stream.launch_builder(&function.function);
        for arg in &mut args.args {
            match arg {
                Arg::Buffer(buffer) => builder.arg(*buffer),
                Arg::BufferMut(buffer) => builder.arg(&mut **buffer),
                Arg::Scalar(ScalarArg::F32(value)) => builder.arg(&*value),
                Arg::Scalar(ScalarArg::F64(value)) => builder.arg(&*value),
                Arg::Scalar(ScalarArg::I32(value)) => builder.arg(&*value),
                Arg::Scalar(ScalarArg::U32(value)) => builder.arg(&*value),
                Arg::Scalar(ScalarArg::I64(value)) => builder.arg(&*value),
                Arg::Scalar(ScalarArg::U64(value)) => builder.arg(&*value),
                Arg::Scalar(ScalarArg::U8(value)) => builder.arg(&*value),
            };
        }
        let config = LaunchConfig {
            grid_dim: dims.grid,
            block_dim: dims.block,
            shared_mem_bytes: dims.shared_mem_bytes,
        };
        // The borrowed buffers and scalars live until this function returns, after the
        // launch was queued (cudarc copies argument values at submission).
        // SAFETY: the caller guarantees that the arguments match the kernel and that it
        // stays within its buffers; later accesses are ordered with events.
        unsafe { builder.launch(config) }
            .map(|_| ())
            .map_err(|error| map_launch_error(&function.name, error))
    }

    /// A launcher on another of the device's streams (`index` picks which), so that this
    /// job's copies and kernels can overlap; [`join`](Self::join) it before the job
    /// returns, so that the job's completion covers its work.
    pub fn fork(&self, index: usize) -> Launcher<'a> {
        Launcher {
            runtime: self.runtime,
            stream: self.runtime.streams.get(index),
        }
    }

    /// Makes later work on this launcher's stream wait for everything queued so far on
    /// `other`'s.
    pub fn join(&self, other: &Launcher<'_>) -> Result<(), GpuError> {
        if Arc::ptr_eq(&self.stream, &other.stream) {
            return Ok(());
        }
        self.stream
            .join(&other.stream)
            .map_err(|error| map_error("cuStreamWaitEvent", error))
    }

    /// Waits until everything queued on this job's stream is done.
    pub fn synchronize(&self) -> Result<(), GpuError> {
        self.stream
            .synchronize()
            .map_err(|error| map_error("cuStreamSynchronize", error))
    }
}

fn same_length(src: usize, dst: usize) -> Result<(), GpuError> {
    if src == dst {
        Ok(())
    } else {
        Err(GpuError::InvalidArgument {
            reason: format!("a copy of {src} elements into {dst}: pass buffers of equal length"),
        })
    }
}
