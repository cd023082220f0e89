//! `y = a * x + y`.

use super::{check_lengths, element_count, grid_stride, GRID_STRIDE_LOOP};
use crate::gpu::{DeviceBuffer, DeviceFloat, GpuError, GpuKernel, KernelArgs, Launcher};

fn source<T: DeviceFloat>() -> String {
    let t = T::CUDA_TYPE;
    format!(
        "extern \"C\" __global__ void veda_saxpy({t} a, const {t}* x, {t}* y, \
         unsigned long long n) {{ {GRID_STRIDE_LOOP} {{ y[i] = a * x[i] + y[i]; }} }}"
    )
}

/// Queues `y = a * x + y` on the launcher's stream (`x` and `y` of one length).
pub fn saxpy<T: DeviceFloat>(
    launcher: &Launcher<'_>,
    a: T,
    x: &DeviceBuffer<T>,
    y: &mut DeviceBuffer<T>,
) -> Result<(), GpuError> {
    check_lengths("saxpy", x.len(), &[("y", y.len())])?;
    let function = launcher.runtime.function(
        &format!("veda-saxpy-{}", T::CUDA_TYPE),
        "veda_saxpy",
        source::<T>,
    )?;
    let dims = grid_stride(launcher, x.len());
    let n = element_count(x);
    let args = KernelArgs::new()
        .scalar(a)
        .buffer(x)
        .buffer_mut(y)
        .scalar(n);
    // SAFETY: the arguments match `veda_saxpy`'s parameters; it touches indices below `n`,
    // the length of both buffers (checked above), and writes only `y`.
    unsafe { launcher.launch(&function, dims, args) }
}

/// `a * x + y` on host vectors, on the GPU.
///
/// # Examples
///
/// ```
/// use veda::gpu::{execute_blocking, SaxpyKernel};
///
/// match execute_blocking(SaxpyKernel::new(2.0f32, vec![1.0, 2.0], vec![10.0, 10.0])) {
///     Ok(y) => assert_eq!(y, [12.0, 14.0]),
///     Err(reason) => println!("no GPU: {reason}"),
/// }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct SaxpyKernel<T: DeviceFloat> {
    a: T,
    x: Vec<T>,
    y: Vec<T>,
}

impl<T: DeviceFloat> SaxpyKernel<T> {
    /// `a * x + y` (`x` and `y` of equal lengths).
    pub fn new(a: T, x: Vec<T>, y: Vec<T>) -> Self {
        SaxpyKernel { a, x, y }
    }
}

impl<T: DeviceFloat> GpuKernel for SaxpyKernel<T> {
    type Output = Vec<T>;

    fn name(&self) -> &str {
        "saxpy"
    }

    fn run(self, launcher: &mut Launcher<'_>) -> Result<Vec<T>, GpuError> {
        check_lengths("saxpy", self.x.len(), &[("y", self.y.len())])?;
        if self.x.len() < 2 * PIPELINE_CHUNK {
            let x = launcher.upload(&self.x)?;
            let mut y = launcher.upload(&self.y)?;
            saxpy(launcher, self.a, &x, &mut y)?;
            return launcher.download(&y);
        }
        pipelined(launcher, self.a, &self.x, &self.y)
    }
}

/// Elements per chunk of the pipelined form.
const PIPELINE_CHUNK: usize = 1 << 22;

/// Large inputs in chunks, round-robin over the device's streams, through pinned staging
/// buffers: one chunk's copies overlap another's kernel.
fn pipelined<T: DeviceFloat>(
    launcher: &Launcher<'_>,
    a: T,
    x: &[T],
    y: &[T],
) -> Result<Vec<T>, GpuError> {
    let mut staged = Vec::new();
    for (index, start) in (0..x.len()).step_by(PIPELINE_CHUNK).enumerate() {
        let end = (start + PIPELINE_CHUNK).min(x.len());
        let lane = launcher.fork(index);
        let mut host_x = lane.pinned::<T>(end - start)?;
        host_x.as_mut_slice()?.copy_from_slice(&x[start..end]);
        let mut host_y = lane.pinned::<T>(end - start)?;
        host_y.as_mut_slice()?.copy_from_slice(&y[start..end]);
        let device_x = lane.upload_pinned(&host_x)?;
        let mut device_y = lane.upload_pinned(&host_y)?;
        saxpy(&lane, a, &device_x, &mut device_y)?;
        lane.copy_to_pinned(&device_y, &mut host_y)?;
        launcher.join(&lane)?;
        staged.push(host_y);
    }
    let mut out = Vec::with_capacity(x.len());
    for chunk in &staged {
        // `as_slice` waits for the chunk's copy back.
        out.extend_from_slice(chunk.as_slice()?);
    }
    Ok(out)
}
