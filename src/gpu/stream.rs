//! `StreamSet`: the streams of one device, handed out round-robin so that copies and
//! kernels of different jobs overlap (cudarc orders accesses to the same buffer across
//! streams with events).

use super::driver::map_error;
use super::GpuError;
use crate::sync::{Arc, AtomicUsize, Ordering};
use cudarc::driver::{CudaContext, CudaStream};

/// How many streams each device gets.
pub(crate) const STREAMS_PER_DEVICE: usize = 4;

#[derive(Debug)]
pub(crate) struct StreamSet {
    streams: Vec<Arc<CudaStream>>,
    next: AtomicUsize,
}

impl StreamSet {
    pub(crate) fn new(context: &Arc<CudaContext>, count: usize) -> Result<Self, GpuError> {
        let streams = (0..count.max(1))
            .map(|_| {
                context
                    .new_stream()
                    .map_err(|error| map_error("cuStreamCreate", error))
            })
            .collect::<Result<_, _>>()?;
        Ok(StreamSet {
            streams,
            next: AtomicUsize::new(0),
        })
    }

    /// The next stream in turn.
    pub(crate) fn next(&self) -> Arc<CudaStream> {
        let index = self.next.fetch_add(1, Ordering::Relaxed) % self.streams.len();
        self.streams[index].clone()
    }

    /// Stream `index` (modulo the count).
    pub(crate) fn get(&self, index: usize) -> Arc<CudaStream> {
        self.streams[index % self.streams.len()].clone()
    }
}
