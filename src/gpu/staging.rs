//! Pinned (page-locked) host staging buffers: the host end of fast, asynchronous copies.
//! Released buffers are kept per byte size and reused.

use super::driver::map_error;
use super::{DeviceScalar, GpuError};
use crate::sync::{Arc, Mutex};
use cudarc::driver::{sys, CudaContext, PinnedHostSlice};
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

/// Cached pinned buffers of one device, by size in bytes.
#[derive(Debug)]
pub(crate) struct StagingPool {
    context: Arc<CudaContext>,
    free: Mutex<HashMap<usize, Vec<PinnedHostSlice<u8>>>>,
}

impl StagingPool {
    pub(crate) fn new(context: Arc<CudaContext>) -> Self {
        StagingPool {
            context,
            free: Mutex::new(HashMap::new()),
        }
    }

    fn acquire(&self, bytes: usize) -> Result<PinnedHostSlice<u8>, GpuError> {
        if let Some(block) = self.free.lock().get_mut(&bytes).and_then(Vec::pop) {
            return Ok(block);
        }
        // SAFETY: the bytes are unset after this call; they are zeroed below before any
        // read, through the slice cudarc hands out after synchronising.
        let mut block = unsafe {
            self.context
                .alloc_pinned_with_flags::<u8>(bytes, sys::CU_MEMHOSTALLOC_PORTABLE)
        }
        .map_err(|error| map_error("cuMemHostAlloc", error))?;
        block
            .as_mut_slice()
            .map_err(|error| map_error("cuEventSynchronize", error))?
            .fill(0);
        Ok(block)
    }

    fn release(&self, block: PinnedHostSlice<u8>) {
        self.free.lock().entry(block.len()).or_default().push(block);
    }
}

/// `len` elements of `T` in pinned host memory, for copies that overlap other work (see
/// [`Launcher::pinned`](super::Launcher::pinned)). Reading or writing it waits for copies
/// in flight to finish first.
pub struct PinnedBuffer<T: DeviceScalar> {
    block: Option<PinnedHostSlice<u8>>,
    len: usize,
    pool: Arc<StagingPool>,
    marker: PhantomData<T>,
}

impl<T: DeviceScalar> PinnedBuffer<T> {
    pub(crate) fn new(pool: &Arc<StagingPool>, len: usize) -> Result<Self, GpuError> {
        let bytes = len
            .checked_mul(std::mem::size_of::<T>())
            .filter(|&bytes| bytes <= isize::MAX as usize)
            .ok_or_else(|| GpuError::InvalidArgument {
                reason: format!("a pinned buffer of {len} elements is too large"),
            })?;
        Ok(PinnedBuffer {
            block: Some(pool.acquire(bytes.max(1))?),
            len,
            pool: pool.clone(),
            marker: PhantomData,
        })
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it has no element.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub(crate) fn raw(&self) -> &PinnedHostSlice<u8> {
        self.block.as_ref().expect("a live buffer holds its block")
    }

    pub(crate) fn raw_mut(&mut self) -> &mut PinnedHostSlice<u8> {
        self.block.as_mut().expect("a live buffer holds its block")
    }

    /// The elements, once copies in flight are done.
    pub fn as_slice(&self) -> Result<&[T], GpuError> {
        let bytes = self
            .raw()
            .as_slice()
            .map_err(|error| map_error("cuEventSynchronize", error))?;
        // The block holds at least `len * size_of::<T>()` initialised bytes (zeroed when
        // allocated, then written whole by copies that `as_slice` synchronised with).
        // SAFETY: pinned blocks are page-aligned, any bytes are a value of the scalar `T`,
        // and the borrow of `self` keeps the block alive and unchanged for the slice's life.
        Ok(unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<T>(), self.len) })
    }

    /// The elements, writable, once copies in flight are done.
    pub fn as_mut_slice(&mut self) -> Result<&mut [T], GpuError> {
        let len = self.len;
        let bytes = self
            .raw_mut()
            .as_mut_slice()
            .map_err(|error| map_error("cuEventSynchronize", error))?;
        // SAFETY: as in `as_slice`; the exclusive borrow of `self` makes this the only
        // access to the block.
        Ok(unsafe { std::slice::from_raw_parts_mut(bytes.as_mut_ptr().cast::<T>(), len) })
    }
}

impl<T: DeviceScalar> Drop for PinnedBuffer<T> {
    fn drop(&mut self) {
        if let Some(block) = self.block.take() {
            self.pool.release(block);
        }
    }
}

impl<T: DeviceScalar> fmt::Debug for PinnedBuffer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PinnedBuffer")
            .field("type", &T::CUDA_TYPE)
            .field("len", &self.len)
            .finish()
    }
}
