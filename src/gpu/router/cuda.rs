//! `CudaBackend`: the router's backend on the real machine: wall-clock timing, the veda
//! pool's queues, and the CUDA devices found by [`devices`](crate::gpu::devices).

use super::backend::{Backend, GpuTiming, JobShape, LinkCosts, QueueLengths};
use crate::gpu::GpuError;
use crate::gpu::{execute_blocking, KernelFn};
use crate::registry;
use crate::sync::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The real machine: the CPU side runs on the calling thread (the body is expected to use
/// the veda pool), the GPU side on the devices present. Without a usable GPU,
/// [`gpu_status`](Backend::gpu_status) reports why and the router keeps everything on the
/// CPU.
#[derive(Debug)]
pub struct CudaBackend {
    status: Result<(), GpuError>,
    link: Option<LinkCosts>,
    in_flight: AtomicUsize,
}

impl Default for CudaBackend {
    fn default() -> Self {
        CudaBackend::new()
    }
}

impl CudaBackend {
    /// Looks for devices once (the answer stands for the backend's life) and, when there is
    /// one, measures the link of device 0: the round trip of an empty job through its queue,
    /// and the bandwidth of pageable copies of 32 MiB each way.
    pub fn new() -> Self {
        let status = crate::gpu::devices().map(|_| ());
        let link = status.as_ref().ok().and_then(|()| probe_link().ok());
        CudaBackend {
            status,
            link,
            in_flight: AtomicUsize::new(0),
        }
    }
}

/// Measures device 0's link: the median of a few empty-job round trips, and one round trip
/// of 32 MiB.
fn probe_link() -> Result<LinkCosts, GpuError> {
    let mut trips: Vec<Duration> = (0..9)
        .map(|_| {
            let started = Instant::now();
            execute_blocking(KernelFn::new("link probe", |_| Ok(())))?;
            Ok(started.elapsed())
        })
        .collect::<Result<_, GpuError>>()?;
    trips.sort();
    const BYTES: usize = 32 << 20;
    let copies = execute_blocking(KernelFn::new("bandwidth probe", |launcher| {
        let host = vec![0u8; BYTES];
        launcher.synchronize()?;
        let started = Instant::now();
        let buffer = launcher.upload(&host)?;
        let back = launcher.download(&buffer)?;
        let took = started.elapsed();
        drop(back);
        Ok(took)
    }))?;
    Ok(LinkCosts::new(
        (2 * BYTES) as f64 / copies.as_secs_f64().max(1e-9),
        trips[trips.len() / 2],
    ))
}

/// Counts a GPU part as in flight while it lives.
struct InFlight<'a>(&'a AtomicUsize);

impl<'a> InFlight<'a> {
    fn new(counter: &'a AtomicUsize) -> Self {
        counter.fetch_add(1, Ordering::Relaxed);
        InFlight(counter)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Backend for CudaBackend {
    fn gpu_status(&self) -> Result<(), GpuError> {
        self.status.clone()
    }

    fn now(&self) -> Instant {
        Instant::now()
    }

    fn queue_lengths(&self) -> QueueLengths {
        let cpu = registry::with_current_registry(|registry| {
            registry.injector_depth()
                + (0..registry.num_threads())
                    .map(|index| registry.deque_depth(index))
                    .sum::<usize>()
        });
        QueueLengths {
            cpu,
            gpu: self.in_flight.load(Ordering::Relaxed) + crate::gpu::queued_jobs(),
        }
    }

    fn link_costs(&self) -> Option<LinkCosts> {
        self.link
    }

    fn run_cpu(&self, _job: JobShape<'_>, body: &mut dyn FnMut()) -> Duration {
        let started = Instant::now();
        body();
        started.elapsed()
    }

    fn run_gpu(
        &self,
        _job: JobShape<'_>,
        body: &mut dyn FnMut() -> Result<(), GpuError>,
    ) -> Result<GpuTiming, GpuError> {
        self.status.clone()?;
        let _in_flight = InFlight::new(&self.in_flight);
        let started = Instant::now();
        // The body waits for the device: on a pool worker, a stand-in thread takes its share
        // of the CPU work meanwhile.
        crate::block_in_place(body)?;
        Ok(GpuTiming {
            total: started.elapsed(),
            transfer: None,
            launch: None,
        })
    }
}
