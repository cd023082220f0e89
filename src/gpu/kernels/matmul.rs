//! Dense matrix product `C = A B` (row-major), in 16 × 16 tiles staged in shared memory.

use crate::gpu::{
    DeviceBuffer, DeviceFloat, GpuError, GpuKernel, KernelArgs, LaunchDims, Launcher,
};

const TILE: u32 = 16;

fn source<T: DeviceFloat>() -> String {
    let t = T::CUDA_TYPE;
    format!(
        "#define TILE {TILE}\n\
         extern \"C\" __global__ void veda_matmul(const {t}* A, const {t}* B, {t}* C, \
           unsigned int M, unsigned int K, unsigned int N) {{\n\
           __shared__ {t} As[TILE][TILE];\n\
           __shared__ {t} Bs[TILE][TILE];\n\
           unsigned int row = blockIdx.y * TILE + threadIdx.y;\n\
           unsigned int col = blockIdx.x * TILE + threadIdx.x;\n\
           {t} acc = 0;\n\
           for (unsigned int t0 = 0; t0 < K; t0 += TILE) {{\n\
             unsigned int ak = t0 + threadIdx.x, bk = t0 + threadIdx.y;\n\
             As[threadIdx.y][threadIdx.x] = (row < M && ak < K) ? A[(unsigned long long)row * K + ak] : ({t})0;\n\
             Bs[threadIdx.y][threadIdx.x] = (bk < K && col < N) ? B[(unsigned long long)bk * N + col] : ({t})0;\n\
             __syncthreads();\n\
             for (unsigned int i = 0; i < TILE; ++i) acc += As[threadIdx.y][i] * Bs[i][threadIdx.x];\n\
             __syncthreads();\n\
           }}\n\
           if (row < M && col < N) C[(unsigned long long)row * N + col] = acc;\n\
         }}"
    )
}

fn check_shape(m: usize, k: usize, n: usize, lens: (usize, usize, usize)) -> Result<(), GpuError> {
    let fits = |x: usize| u32::try_from(x).is_ok();
    let rows_fit = m.div_ceil(TILE as usize) <= 65_535;
    let expected = (m.checked_mul(k), k.checked_mul(n), m.checked_mul(n));
    if !(fits(m) && fits(k) && fits(n) && rows_fit)
        || expected != (Some(lens.0), Some(lens.1), Some(lens.2))
    {
        return Err(GpuError::InvalidArgument {
            reason: format!(
                "matmul of {m}×{k} by {k}×{n} got buffers of {} , {} and {} elements (or is \
                 too large: at most 1 048 560 rows): pass row-major matrices of those shapes",
                lens.0, lens.1, lens.2
            ),
        });
    }
    Ok(())
}

/// Queues `c = a b` for row-major `a` (m × k), `b` (k × n) and `c` (m × n).
pub fn matmul<T: DeviceFloat>(
    launcher: &Launcher<'_>,
    a: &DeviceBuffer<T>,
    b: &DeviceBuffer<T>,
    c: &mut DeviceBuffer<T>,
    (m, k, n): (usize, usize, usize),
) -> Result<(), GpuError> {
    check_shape(m, k, n, (a.len(), b.len(), c.len()))?;
    let function = launcher.runtime.function(
        &format!("veda-matmul-{}", T::CUDA_TYPE),
        "veda_matmul",
        source::<T>,
    )?;
    let grid = (
        (n as u32).div_ceil(TILE).max(1),
        (m as u32).div_ceil(TILE).max(1),
        1,
    );
    let dims = LaunchDims::new(grid, (TILE, TILE, 1), 0);
    let args = KernelArgs::new()
        .buffer(a)
        .buffer(b)
        .buffer_mut(c)
        .scalar(m as u32)
        .scalar(k as u32)
        .scalar(n as u32);
    // SAFETY: the arguments match `veda_matmul`; it reads A below m·k, B below k·n and
    // writes C below m·n, the buffers' lengths (checked above), with static shared memory.
    unsafe { launcher.launch(&function, dims, args) }
}

/// The product of two row-major host matrices, on the GPU.
///
/// # Examples
///
/// ```
/// use veda::gpu::{execute_blocking, MatmulKernel};
///
/// // [1 2] [5 6]   [19 22]
/// // [3 4] [7 8] = [43 50]
/// let job = MatmulKernel::new(vec![1.0f32, 2.0, 3.0, 4.0], vec![5.0, 6.0, 7.0, 8.0], (2, 2, 2));
/// match execute_blocking(job) {
///     Ok(c) => assert_eq!(c, [19.0, 22.0, 43.0, 50.0]),
///     Err(reason) => println!("no GPU: {reason}"),
/// }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct MatmulKernel<T: DeviceFloat> {
    a: Vec<T>,
    b: Vec<T>,
    shape: (usize, usize, usize),
}

impl<T: DeviceFloat> MatmulKernel<T> {
    /// `a` (m × k) times `b` (k × n), for `shape = (m, k, n)`.
    pub fn new(a: Vec<T>, b: Vec<T>, shape: (usize, usize, usize)) -> Self {
        MatmulKernel { a, b, shape }
    }
}

impl<T: DeviceFloat> GpuKernel for MatmulKernel<T> {
    type Output = Vec<T>;

    fn name(&self) -> &str {
        "matmul"
    }

    fn run(self, launcher: &mut Launcher<'_>) -> Result<Vec<T>, GpuError> {
        let (m, _, n) = self.shape;
        let a = launcher.upload(&self.a)?;
        let b = launcher.upload(&self.b)?;
        let mut c = launcher.zeros::<T>(m.saturating_mul(n))?;
        matmul(launcher, &a, &b, &mut c, self.shape)?;
        launcher.download(&c)
    }
}
