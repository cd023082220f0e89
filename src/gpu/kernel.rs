//! `GpuKernel`: a unit of GPU work, run by a device's queue through a [`Launcher`].

use super::{GpuError, Launcher};
use std::fmt;

/// A job for a device: copies and launches queued on the launcher's stream, and the value
/// to hand back once the stream has finished.
///
/// `run` may return before the device is done (a [`DeviceBuffer`](super::DeviceBuffer)
/// still being written, say): the job's [`GpuFuture`](super::GpuFuture) resolves only after
/// the stream was synchronised.
pub trait GpuKernel: Send + 'static {
    /// What the job hands back.
    type Output: Send + 'static;

    /// A name for messages and errors.
    fn name(&self) -> &str;

    /// Queues the job's work on `launcher`.
    fn run(self, launcher: &mut Launcher<'_>) -> Result<Self::Output, GpuError>;
}

/// A closure as a [`GpuKernel`].
///
/// # Examples
///
/// ```
/// use veda::gpu::{execute_blocking, KernelFn};
///
/// let job = KernelFn::new("round trip", |launcher| {
///     let buffer = launcher.upload(&[1.0f32, 2.0, 3.0])?;
///     launcher.download(&buffer)
/// });
/// match execute_blocking(job) {
///     Ok(values) => assert_eq!(values, [1.0, 2.0, 3.0]),
///     Err(reason) => println!("no GPU here: {reason}"),
/// }
/// ```
pub struct KernelFn<F> {
    name: String,
    body: F,
}

impl<F, R> KernelFn<F>
where
    F: FnOnce(&mut Launcher<'_>) -> Result<R, GpuError> + Send + 'static,
    R: Send + 'static,
{
    /// A job named `name` that runs `body`.
    pub fn new(name: impl Into<String>, body: F) -> Self {
        KernelFn {
            name: name.into(),
            body,
        }
    }
}

impl<F, R> GpuKernel for KernelFn<F>
where
    F: FnOnce(&mut Launcher<'_>) -> Result<R, GpuError> + Send + 'static,
    R: Send + 'static,
{
    type Output = R;

    fn name(&self) -> &str {
        &self.name
    }

    fn run(self, launcher: &mut Launcher<'_>) -> Result<R, GpuError> {
        (self.body)(launcher)
    }
}

impl<F> fmt::Debug for KernelFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KernelFn")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}
