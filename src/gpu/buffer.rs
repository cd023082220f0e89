//! `DeviceBuffer`: an array of scalars in device memory, borrowed from the device's pool
//! and given back to it on drop.

use super::driver::map_error;
use super::pool::{Allocator, Pool};
use super::{DeviceScalar, GpuError};
use crate::sync::Arc;
use cudarc::driver::{CudaSlice, CudaStream, CudaView, CudaViewMut};
use std::fmt;
use std::marker::PhantomData;

/// Allocates device memory on one stream of its device.
#[derive(Debug)]
pub(crate) struct CudaAllocator {
    pub(crate) stream: Arc<CudaStream>,
}

impl Allocator for CudaAllocator {
    type Block = CudaSlice<u8>;

    fn allocate(&self, bytes: usize) -> Result<CudaSlice<u8>, GpuError> {
        // Every constructor of a `DeviceBuffer` that exposes contents writes them first
        // (zeros or an upload); kernels are responsible for what they read.
        // SAFETY: the block's bytes are unset, and every element type a block is used as
        // (`DeviceScalar`) accepts any bit pattern.
        let block = unsafe { self.stream.alloc::<u8>(bytes) }
            .map_err(|error| map_error("cuMemAlloc", error))?;
        // The allocation is ordered on this stream only, and cudarc records no event for
        // it: wait for it before another stream may use the block. Only pool misses pay.
        self.stream
            .synchronize()
            .map_err(|error| map_error("cuStreamSynchronize", error))?;
        Ok(block)
    }
}

/// A device's pool.
pub(crate) type DevicePool = Pool<CudaAllocator>;

/// `len` elements of `T` in the memory of one device.
///
/// Made by a [`Launcher`](super::Launcher) (`zeros`, `upload`, `upload_pinned`); its memory
/// comes from the device's pool and returns there when the buffer is dropped.
pub struct DeviceBuffer<T: DeviceScalar> {
    block: Option<CudaSlice<u8>>,
    class: usize,
    len: usize,
    ordinal: usize,
    pool: Arc<DevicePool>,
    marker: PhantomData<T>,
}

impl<T: DeviceScalar> DeviceBuffer<T> {
    /// A buffer of `len` elements whose contents are unset.
    pub(crate) fn uninit(
        pool: &Arc<DevicePool>,
        ordinal: usize,
        len: usize,
    ) -> Result<Self, GpuError> {
        let bytes =
            len.checked_mul(std::mem::size_of::<T>())
                .ok_or_else(|| GpuError::InvalidArgument {
                    reason: format!("a buffer of {len} elements overflows the address space"),
                })?;
        let (block, class) = pool.acquire(bytes.max(1))?;
        Ok(DeviceBuffer {
            block: Some(block),
            class,
            len,
            ordinal,
            pool: pool.clone(),
            marker: PhantomData,
        })
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the buffer has no element.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The size in bytes of its elements.
    pub fn num_bytes(&self) -> usize {
        self.len * std::mem::size_of::<T>()
    }

    /// The device it lives on.
    pub fn ordinal(&self) -> usize {
        self.ordinal
    }

    pub(crate) fn raw(&self) -> &CudaSlice<u8> {
        self.block.as_ref().expect("a live buffer holds its block")
    }

    pub(crate) fn raw_mut(&mut self) -> &mut CudaSlice<u8> {
        self.block.as_mut().expect("a live buffer holds its block")
    }

    /// Its elements, typed, for copies.
    pub(crate) fn view(&self) -> CudaView<'_, T> {
        let len = self.len;
        // SAFETY: the block holds at least `len * size_of::<T>()` bytes (its class was
        // chosen for that), device allocations are aligned to 256 bytes, and `T` is a plain
        // scalar for which any bytes are a value.
        unsafe { self.raw().transmute::<T>(len) }
            .expect("the block is large enough for its elements")
    }

    /// Its elements, typed and writable, for copies.
    pub(crate) fn view_mut(&mut self) -> CudaViewMut<'_, T> {
        let len = self.len;
        // SAFETY: as in `view`; the exclusive borrow of `self` makes the view the only
        // access to the block.
        unsafe { self.raw_mut().transmute_mut::<T>(len) }
            .expect("the block is large enough for its elements")
    }
}

impl<T: DeviceScalar> Drop for DeviceBuffer<T> {
    fn drop(&mut self) {
        if let Some(block) = self.block.take() {
            self.pool.release(block, self.class);
        }
    }
}

impl<T: DeviceScalar> fmt::Debug for DeviceBuffer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceBuffer")
            .field("type", &T::CUDA_TYPE)
            .field("len", &self.len)
            .field("ordinal", &self.ordinal)
            .finish()
    }
}
