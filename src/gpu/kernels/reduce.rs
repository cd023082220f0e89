//! Sum, minimum and maximum of a vector: a block-level tree in shared memory over a
//! grid-stride loop, then one block over the per-block partial results.

use super::{element_count, GRID_STRIDE_LOOP};
use crate::gpu::{
    DeviceBuffer, DeviceFloat, GpuError, GpuKernel, KernelArgs, LaunchDims, Launcher,
};

/// Threads per block (a power of two, for the tree).
const REDUCE_BLOCK: u32 = 256;
/// The most blocks of the first pass (so the second pass is one block's loop).
const MAX_PARTIALS: usize = 1024;

/// A reduction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReduceOp {
    /// The sum (0 for no element).
    Sum,
    /// The least element, NaNs ignored (+infinity for no element).
    Min,
    /// The greatest element, NaNs ignored (-infinity for no element).
    Max,
}

impl ReduceOp {
    fn parts(self, t: &str) -> (&'static str, String, &'static str) {
        match self {
            ReduceOp::Sum => ("sum", format!("({t})0"), "a + b"),
            ReduceOp::Min => ("min", format!("({t})INFINITY"), "fmin(a, b)"),
            ReduceOp::Max => ("max", format!("-({t})INFINITY"), "fmax(a, b)"),
        }
    }

    fn source<T: DeviceFloat>(self) -> String {
        let t = T::CUDA_TYPE;
        let (_, identity, combine) = self.parts(t);
        format!(
            "__device__ {t} combine({t} a, {t} b) {{ return {combine}; }}\n\
             extern \"C\" __global__ void veda_reduce(const {t}* in, {t}* out, unsigned long long n) {{\n\
               extern __shared__ __align__(16) unsigned char shared_bytes[];\n\
               {t}* shared = ({t}*)shared_bytes;\n\
               {t} acc = {identity};\n\
               {GRID_STRIDE_LOOP} {{ acc = combine(acc, in[i]); }}\n\
               shared[threadIdx.x] = acc;\n\
               __syncthreads();\n\
               for (unsigned int s = blockDim.x / 2; s > 0; s >>= 1) {{\n\
                 if (threadIdx.x < s) shared[threadIdx.x] = combine(shared[threadIdx.x], shared[threadIdx.x + s]);\n\
                 __syncthreads();\n\
               }}\n\
               if (threadIdx.x == 0) out[blockIdx.x] = shared[0];\n\
             }}"
        )
    }
}

/// Queues the reduction of `input` and returns a one-element buffer that will hold the
/// result once the stream gets there.
pub fn reduce<T: DeviceFloat>(
    launcher: &Launcher<'_>,
    op: ReduceOp,
    input: &DeviceBuffer<T>,
) -> Result<DeviceBuffer<T>, GpuError> {
    let (tag, _, _) = op.parts(T::CUDA_TYPE);
    let function = launcher.runtime.function(
        &format!("veda-reduce-{tag}-{}", T::CUDA_TYPE),
        "veda_reduce",
        || op.source::<T>(),
    )?;
    let shared = REDUCE_BLOCK * std::mem::size_of::<T>() as u32;
    let partial_count = input
        .len()
        .div_ceil(REDUCE_BLOCK as usize)
        .clamp(1, MAX_PARTIALS);
    let mut partials = launcher.zeros::<T>(partial_count)?;
    let first = LaunchDims::new((partial_count as u32, 1, 1), (REDUCE_BLOCK, 1, 1), shared);
    let n = element_count(input);
    let args = KernelArgs::new()
        .buffer(input)
        .buffer_mut(&mut partials)
        .scalar(n);
    // `veda_reduce` reads indices below `n` (the input's length) and uses `REDUCE_BLOCK`
    // elements of shared memory, which `shared` provides.
    // SAFETY: the arguments match `veda_reduce`, which writes `out[blockIdx.x]` for
    // `partial_count` blocks into a buffer of `partial_count` elements.
    unsafe { launcher.launch(&function, first, args) }?;
    let mut result = launcher.zeros::<T>(1)?;
    let second = LaunchDims::new((1, 1, 1), (REDUCE_BLOCK, 1, 1), shared);
    let n = element_count(&partials);
    let args = KernelArgs::new()
        .buffer(&partials)
        .buffer_mut(&mut result)
        .scalar(n);
    // SAFETY: as above, with the partials as input and one block writing `out[0]` of a
    // one-element buffer.
    unsafe { launcher.launch(&function, second, args) }?;
    Ok(result)
}

/// The reduction of a host vector, on the GPU.
///
/// # Examples
///
/// ```
/// use veda::gpu::{execute_blocking, ReduceKernel, ReduceOp};
///
/// match execute_blocking(ReduceKernel::new(ReduceOp::Max, vec![3.0f64, 9.0, -1.0])) {
///     Ok(max) => assert_eq!(max, 9.0),
///     Err(reason) => println!("no GPU: {reason}"),
/// }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ReduceKernel<T: DeviceFloat> {
    op: ReduceOp,
    data: Vec<T>,
}

impl<T: DeviceFloat> ReduceKernel<T> {
    /// `op` over `data`.
    pub fn new(op: ReduceOp, data: Vec<T>) -> Self {
        ReduceKernel { op, data }
    }
}

impl<T: DeviceFloat> GpuKernel for ReduceKernel<T> {
    type Output = T;

    fn name(&self) -> &str {
        "reduce"
    }

    fn run(self, launcher: &mut Launcher<'_>) -> Result<T, GpuError> {
        let input = launcher.upload(&self.data)?;
        let result = reduce(launcher, self.op, &input)?;
        Ok(launcher.download(&result)?[0])
    }
}
