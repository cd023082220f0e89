//! `out = a + b`, element by element.

use super::{check_lengths, element_count, grid_stride, GRID_STRIDE_LOOP};
use crate::gpu::{DeviceBuffer, DeviceFloat, GpuError, GpuKernel, KernelArgs, Launcher};

fn source<T: DeviceFloat>() -> String {
    let t = T::CUDA_TYPE;
    format!(
        "extern \"C\" __global__ void veda_vector_add(const {t}* a, const {t}* b, {t}* out, \
         unsigned long long n) {{ {GRID_STRIDE_LOOP} {{ out[i] = a[i] + b[i]; }} }}"
    )
}

/// Queues `out = a + b` on the launcher's stream (all three of one length).
pub fn vector_add<T: DeviceFloat>(
    launcher: &Launcher<'_>,
    a: &DeviceBuffer<T>,
    b: &DeviceBuffer<T>,
    out: &mut DeviceBuffer<T>,
) -> Result<(), GpuError> {
    check_lengths("vector_add", a.len(), &[("b", b.len()), ("out", out.len())])?;
    let function = launcher.runtime.function(
        &format!("veda-vector-add-{}", T::CUDA_TYPE),
        "veda_vector_add",
        source::<T>,
    )?;
    let dims = grid_stride(launcher, a.len());
    let n = element_count(a);
    let args = KernelArgs::new()
        .buffer(a)
        .buffer(b)
        .buffer_mut(out)
        .scalar(n);
    // SAFETY: the arguments match `veda_vector_add`'s parameters; it touches indices below
    // `n`, the length of all three buffers (checked above), and writes only `out`.
    unsafe { launcher.launch(&function, dims, args) }
}

/// Adds two host vectors on the GPU.
///
/// # Examples
///
/// ```
/// use veda::gpu::{execute_blocking, VectorAddKernel};
///
/// match execute_blocking(VectorAddKernel::new(vec![1.0f32, 2.0], vec![3.0, 4.0])) {
///     Ok(sum) => assert_eq!(sum, [4.0, 6.0]),
///     Err(reason) => println!("no GPU: {reason}"),
/// }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct VectorAddKernel<T: DeviceFloat> {
    a: Vec<T>,
    b: Vec<T>,
}

impl<T: DeviceFloat> VectorAddKernel<T> {
    /// `a + b` (of equal lengths, else the job fails with
    /// [`GpuError::InvalidArgument`]).
    pub fn new(a: Vec<T>, b: Vec<T>) -> Self {
        VectorAddKernel { a, b }
    }
}

impl<T: DeviceFloat> GpuKernel for VectorAddKernel<T> {
    type Output = Vec<T>;

    fn name(&self) -> &str {
        "vector_add"
    }

    fn run(self, launcher: &mut Launcher<'_>) -> Result<Vec<T>, GpuError> {
        check_lengths("vector_add", self.a.len(), &[("b", self.b.len())])?;
        let a = launcher.upload(&self.a)?;
        let b = launcher.upload(&self.b)?;
        let mut out = launcher.zeros::<T>(self.a.len())?;
        vector_add(launcher, &a, &b, &mut out)?;
        launcher.download(&out)
    }
}
