//! `spawn` and `spawn_fifo`: fire-and-forget jobs with a `'static` lifetime.
//!
//! A spawned job holds a count on its pool's terminate count until it has run, so the pool
//! (even a dropped `ThreadPool`, or the global pool being shut down) finishes it before its
//! threads exit. Its panic goes to the pool's panic handler; without one, the process aborts.

use crate::deterministic::{self, SpawnOrder};
use crate::job::{HeapJob, JobRef};
use crate::priority::{self, Priority};
use crate::registry::{self, Registry};
use crate::sync::Arc;

/// Runs `func` asynchronously on the current pool (the global pool outside every pool).
///
/// From a worker, the job goes onto that worker's deque (so jobs spawned by one worker
/// start in LIFO order unless stolen); from outside, onto the pool's shared queue. If `func`
/// panics, the pool's [`panic_handler`](crate::ThreadPoolBuilder::panic_handler) receives
/// the panic; without a handler, the process aborts.
///
/// The job runs at the [level](crate::Priority) of the task that spawns it, or at the pool's
/// default level (`Normal` unless set); at a level other than `Normal` it waits in the
/// pool's priority queues instead of a deque.
///
/// # Examples
///
/// ```
/// let (sender, receiver) = std::sync::mpsc::channel();
/// veda::spawn(move || sender.send(6 * 7).unwrap());
/// assert_eq!(receiver.recv().unwrap(), 42);
/// ```
pub fn spawn<F>(func: F)
where
    F: FnOnce() + Send + 'static,
{
    registry::with_current_registry(|registry| spawn_in(func, registry));
}

/// Like [`spawn`], but jobs spawned by one worker start in FIFO order (unless stolen).
///
/// # Examples
///
/// ```
/// let (sender, receiver) = std::sync::mpsc::channel();
/// veda::spawn_fifo(move || sender.send("done").unwrap());
/// assert_eq!(receiver.recv().unwrap(), "done");
/// ```
pub fn spawn_fifo<F>(func: F)
where
    F: FnOnce() + Send + 'static,
{
    registry::with_current_registry(|registry| spawn_fifo_in(func, registry));
}

/// `spawn` onto `registry`.
pub(crate) fn spawn_in<F>(func: F, registry: &Arc<Registry>)
where
    F: FnOnce() + Send + 'static,
{
    spawn_at(func, registry, registry.spawn_level());
}

/// `spawn` onto `registry` at `level`.
pub(crate) fn spawn_at<F>(func: F, registry: &Arc<Registry>, level: Priority)
where
    F: FnOnce() + Send + 'static,
{
    if level != Priority::Normal {
        return priority::spawn_prioritized(registry, level, func);
    }
    match deterministic::ticket(registry) {
        None => registry.inject_or_push(spawn_job(func, registry)),
        Some(ticket) => {
            let (task, dispatcher) = ticket.split();
            let job = spawn_job(move || task.run(func), registry);
            dispatcher.dispatch(job, registry, SpawnOrder::Lifo);
        }
    }
}

/// `spawn_fifo` onto `registry`.
pub(crate) fn spawn_fifo_in<F>(func: F, registry: &Arc<Registry>)
where
    F: FnOnce() + Send + 'static,
{
    let level = registry.spawn_level();
    if level != Priority::Normal {
        // Each level is first in, first out already.
        return priority::spawn_prioritized(registry, level, func);
    }
    if let Some(ticket) = deterministic::ticket(registry) {
        let (task, dispatcher) = ticket.split();
        let job = spawn_job(move || task.run(func), registry);
        return dispatcher.dispatch(job, registry, SpawnOrder::Fifo);
    }
    let job = spawn_job(func, registry);
    match registry.current_thread() {
        Some(worker) => worker.push_fifo(job),
        None => registry.inject(job),
    }
}

fn spawn_job<F>(func: F, registry: &Arc<Registry>) -> JobRef
where
    F: FnOnce() + Send + 'static,
{
    // The job's own count keeps the pool running until it is done.
    registry.increment_terminate_count();
    let registry = Arc::clone(registry);
    match registry.telemetry().sample_job() {
        None => counted_job(registry, move |registry| registry.catch_unwind(func)),
        // A sampled job is a job of another type, so that the others carry no stamp.
        Some(stamp) => counted_job(registry, move |registry| {
            stamp.run(|| registry.catch_unwind(func));
        }),
    }
}

/// The job that runs `body` and then releases the pool's count of it.
fn counted_job<B>(registry: Arc<Registry>, body: B) -> JobRef
where
    B: FnOnce(&Registry) + Send + 'static,
{
    HeapJob::new(move || {
        body(&registry);
        registry.terminate();
    })
    .into_static_job_ref()
}
