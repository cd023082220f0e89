//! `WorkItem`: one call the router places, with an implementation for each side.

use crate::gpu::GpuError;
use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

type CpuFn<'a, T> = dyn Fn(Range<usize>, &mut [T]) + Send + Sync + 'a;
type GpuFn<'a, T> = dyn Fn(Range<usize>, &mut [T]) -> Result<(), GpuError> + Send + Sync + 'a;

/// A call of `len` elements that either side can compute.
///
/// Both implementations receive a range of element indices and the matching slice of the
/// output (`out[i - range.start]` is element `i`), and must write every element of it: the
/// router may hand a side any sub-range, and after a GPU failure it hands the same range
/// to the CPU.
///
/// # Examples
///
/// ```
/// use veda::gpu::WorkItem;
///
/// let x = vec![1.0f32; 1000];
/// let item = WorkItem::new(
///     "double",
///     x.len(),
///     |range, out: &mut [f32]| {
///         for (o, i) in out.iter_mut().zip(range) {
///             *o = 2.0 * x[i];
///         }
///     },
///     |range, out: &mut [f32]| {
///         // A real item would launch a kernel here (see `veda::gpu::execute`).
///         for (o, i) in out.iter_mut().zip(range) {
///             *o = 2.0 * x[i];
///         }
///         Ok(())
///     },
/// )
/// .bytes_per_element(8);
/// assert_eq!(item.len(), 1000);
/// ```
pub struct WorkItem<'a, T> {
    kernel: Cow<'a, str>,
    len: usize,
    bytes_per_element: usize,
    cpu: Box<CpuFn<'a, T>>,
    gpu: Box<GpuFn<'a, T>>,
}

impl<'a, T> WorkItem<'a, T> {
    /// An item named `kernel` (the key of its cost history) of `len` elements. It moves
    /// no bytes over the link unless [`bytes_per_element`](Self::bytes_per_element) says so.
    pub fn new<C, G>(kernel: impl Into<Cow<'a, str>>, len: usize, cpu: C, gpu: G) -> Self
    where
        C: Fn(Range<usize>, &mut [T]) + Send + Sync + 'a,
        G: Fn(Range<usize>, &mut [T]) -> Result<(), GpuError> + Send + Sync + 'a,
    {
        WorkItem {
            kernel: kernel.into(),
            len,
            bytes_per_element: 0,
            cpu: Box::new(cpu),
            gpu: Box::new(gpu),
        }
    }

    /// Bytes each element moves between host and device, both directions together (e.g.
    /// 12 for saxpy on `f32`: two inputs in, one output back).
    pub fn bytes_per_element(mut self, bytes: usize) -> Self {
        self.bytes_per_element = bytes;
        self
    }

    /// The kernel's name.
    pub fn kernel(&self) -> &str {
        &self.kernel
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the item has no element.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes each element moves over the link.
    pub fn transfer_bytes_per_element(&self) -> usize {
        self.bytes_per_element
    }

    pub(crate) fn run_cpu(&self, range: Range<usize>, out: &mut [T]) {
        (self.cpu)(range, out)
    }

    pub(crate) fn run_gpu(&self, range: Range<usize>, out: &mut [T]) -> Result<(), GpuError> {
        (self.gpu)(range, out)
    }
}

impl<T> fmt::Debug for WorkItem<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkItem")
            .field("kernel", &self.kernel)
            .field("len", &self.len)
            .field("bytes_per_element", &self.bytes_per_element)
            .finish_non_exhaustive()
    }
}
