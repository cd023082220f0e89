//! The built-in kernels: each as functions over device buffers (for device-resident work)
//! and as a [`GpuKernel`](super::GpuKernel) over host data (upload, launch, download).
//! Their CUDA C is generated per element type and compiled on first use.

mod map;
mod matmul;
mod reduce;
mod saxpy;
mod vector_add;

pub use map::{map, MapExpr, MapKernel};
pub use matmul::{matmul, MatmulKernel};
pub use reduce::{reduce, ReduceKernel, ReduceOp};
pub use saxpy::{saxpy, SaxpyKernel};
pub use vector_add::{vector_add, VectorAddKernel};

use super::{DeviceBuffer, DeviceScalar, GpuError, LaunchDims, Launcher};

/// Threads per block of the element-wise kernels.
const BLOCK: u32 = 256;

/// Dimensions of a grid-stride kernel over `elements`: enough blocks to fill the device a
/// few times over, no more.
fn grid_stride(launcher: &Launcher<'_>, elements: usize) -> LaunchDims {
    let most = (launcher.device().multiprocessors.max(1) as usize) * 32;
    let blocks = elements.div_ceil(BLOCK as usize).clamp(1, most);
    LaunchDims::linear(blocks * BLOCK as usize, BLOCK)
}

/// The loop header of a grid-stride kernel over `n` elements, index `i`.
const GRID_STRIDE_LOOP: &str =
    "for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; \
     i < n; i += (unsigned long long)blockDim.x * gridDim.x)";

fn check_lengths(kernel: &str, expected: usize, buffers: &[(&str, usize)]) -> Result<(), GpuError> {
    for (what, len) in buffers {
        if *len != expected {
            return Err(GpuError::InvalidArgument {
                reason: format!(
                    "{kernel}: {what} has {len} elements where {expected} are needed: pass \
                     buffers of matching lengths"
                ),
            });
        }
    }
    Ok(())
}

fn element_count<T: DeviceScalar>(buffer: &DeviceBuffer<T>) -> u64 {
    buffer.len() as u64
}
