//! The device queues: one submission thread per device takes jobs in batches, queues each
//! batch's work on one of the device's streams, synchronises that stream once, and resolves
//! the batch's futures. Batching is what lets many small jobs through per second.

use super::driver::map_error;
use super::future::{pair, Completer, GpuFuture};
use super::runtime::{runtime, DeviceRuntime};
use super::{GpuError, GpuKernel, Launcher};
use crate::sync::{Arc, AtomicUsize, Condvar, Mutex, OnceLock, Ordering};
use std::cell::Cell;
use std::collections::{HashMap, VecDeque};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The most jobs one synchronisation covers.
const BATCH: usize = 256;

type Finish = Box<dyn FnOnce(Option<GpuError>) + Send>;
type Job = Box<dyn FnOnce(&mut Launcher<'_>) -> Finish + Send>;

#[derive(Default)]
struct DeviceQueue {
    jobs: Mutex<VecDeque<Job>>,
    ready: Condvar,
    pending: AtomicUsize,
}

fn queues() -> &'static Mutex<HashMap<usize, Arc<DeviceQueue>>> {
    static QUEUES: OnceLock<Mutex<HashMap<usize, Arc<DeviceQueue>>>> = OnceLock::new();
    QUEUES.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The queue of device `ordinal`, with its thread started on first use.
fn queue(ordinal: usize) -> Result<Arc<DeviceQueue>, GpuError> {
    let device = runtime(ordinal)?;
    let mut queues = queues().lock();
    if let Some(queue) = queues.get(&ordinal) {
        return Ok(queue.clone());
    }
    let queue = Arc::new(DeviceQueue::default());
    let worker = queue.clone();
    std::thread::Builder::new()
        .name(format!("veda-gpu-{ordinal}"))
        .spawn(move || serve(&device, &worker))
        .map_err(|error| GpuError::InitFailed {
            reason: format!("could not start the queue thread of GPU {ordinal}: {error}"),
        })?;
    queues.insert(ordinal, queue.clone());
    Ok(queue)
}

/// Jobs waiting or running in every device queue.
pub(crate) fn queued_jobs() -> usize {
    queues()
        .lock()
        .values()
        .map(|queue| queue.pending.load(Ordering::Relaxed))
        .sum()
}

thread_local! {
    /// Set on the queue threads: a job that submitted another and waited for it would wait
    /// for its own thread.
    static ON_QUEUE_THREAD: Cell<bool> = const { Cell::new(false) };
}

fn serve(device: &DeviceRuntime, queue: &DeviceQueue) {
    ON_QUEUE_THREAD.with(|flag| flag.set(true));
    loop {
        let batch: Vec<Job> = {
            let mut jobs = queue.jobs.lock();
            while jobs.is_empty() {
                jobs = queue.ready.wait(jobs);
            }
            let take = jobs.len().min(BATCH);
            jobs.drain(..take).collect()
        };
        let count = batch.len();
        let mut launcher = Launcher {
            runtime: device,
            stream: device.streams.next(),
        };
        let finishes: Vec<Finish> = batch.into_iter().map(|job| job(&mut launcher)).collect();
        let synchronised = launcher
            .stream
            .synchronize()
            .map_err(|error| map_error("cuStreamSynchronize", error))
            .err();
        for finish in finishes {
            finish(synchronised.clone());
        }
        queue.pending.fetch_sub(count, Ordering::Relaxed);
    }
}

/// Runs `kernel` on device 0 through its queue; the future resolves once the device is
/// done, or at once with the reason no device can take it.
///
/// # Examples
///
/// ```
/// use veda::gpu::{execute, VectorAddKernel};
///
/// let future = execute(VectorAddKernel::new(vec![1.0, 2.0], vec![10.0, 20.0]));
/// // Await it in async code, or block:
/// match future.wait() {
///     Ok(sum) => assert_eq!(sum, [11.0, 22.0]),
///     Err(reason) => println!("no GPU here: {reason}"),
/// }
/// ```
pub fn execute<K: GpuKernel>(kernel: K) -> GpuFuture<K::Output> {
    execute_on(0, kernel)
}

/// [`execute`] on device `ordinal`.
///
/// A job cannot submit another (its queue thread would wait for itself): from inside a
/// job, `execute_on` returns a resolved future with [`GpuError::InvalidArgument`]; do the
/// work through the job's own [`Launcher`] instead.
pub fn execute_on<K: GpuKernel>(ordinal: usize, kernel: K) -> GpuFuture<K::Output> {
    if ON_QUEUE_THREAD.with(Cell::get) {
        return GpuFuture::ready(Err(GpuError::InvalidArgument {
            reason: format!(
                "GPU job {} was submitted from inside another GPU job, which would wait for \
                 itself: use the running job's Launcher instead",
                kernel.name()
            ),
        }));
    }
    let queue = match queue(ordinal) {
        Ok(queue) => queue,
        Err(error) => return GpuFuture::ready(Err(error)),
    };
    let (future, completer) = pair();
    let job: Job = Box::new(move |launcher| finish_job(kernel, launcher, completer));
    queue.pending.fetch_add(1, Ordering::Relaxed);
    queue.jobs.lock().push_back(job);
    queue.ready.notify_one();
    future
}

/// Runs a job's queueing phase (a panic becomes a launch failure, so the queue thread
/// survives it) and returns what resolves its future after the synchronisation.
fn finish_job<K: GpuKernel>(
    kernel: K,
    launcher: &mut Launcher<'_>,
    completer: Completer<K::Output>,
) -> Finish {
    let name = kernel.name().to_owned();
    let result = catch_unwind(AssertUnwindSafe(|| kernel.run(launcher))).unwrap_or_else(|_| {
        Err(GpuError::LaunchFailed {
            kernel: name,
            reason: "the job's run method panicked".into(),
        })
    });
    Box::new(move |synchronised| {
        completer.complete(match (result, synchronised) {
            (Err(error), _) | (Ok(_), Some(error)) => Err(error),
            (Ok(value), None) => Ok(value),
        })
    })
}

/// [`execute`], blocking until the result arrives.
pub fn execute_blocking<K: GpuKernel>(kernel: K) -> Result<K::Output, GpuError> {
    execute(kernel).wait()
}
