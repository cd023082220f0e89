//! The registry: everything one pool's workers share, how work enters the pool, and how the
//! pool ends.
//!
//! A pool stays alive while its *terminate count* is positive. The count starts at one (held
//! by the `ThreadPool` handle, or by the global slot), and every job that nobody waits for
//! holds a count of its own until it has run (`spawn`, `spawn_broadcast`, and submissions to
//! the global pool from outside threads). When the count drops to zero, every worker's
//! terminate latch opens and the workers leave their main loop, so queued work always
//! finishes before the threads end.

mod global;
mod worker;

pub(crate) use global::{
    global_keepalive, global_num_threads, global_scheduling_policy, init_global_registry,
    shutdown_global,
};
pub(crate) use worker::WorkerThread;

use crate::job::{JobRef, StackJob};
use crate::latch::{LatchRef, LockLatch, OnceLatch, SpinLatch};
use crate::scheduling_policy::SchedulingPolicy;
use crate::sleep::Sleep;
use crate::sync::{Arc, AtomicUsize, Mutex, Ordering};
use crate::thread_pool::{
    ErrorKind, ThreadBuilder, ThreadPoolBuildError, ThreadPoolBuilder, ThreadSpawn,
};
use crate::unwind::{self, PanicPayload};
use crossbeam_deque::{Injector, Steal, Stealer, Worker};
use std::fmt;
use std::ops::Deref;
use std::ptr;
use std::thread::{self, JoinHandle, ThreadId};

/// Called with the payload of a panic that no caller is waiting for.
pub(crate) type PanicHandler = dyn Fn(PanicPayload) + Send + Sync;
/// Called with a worker's index when it starts or exits.
pub(crate) type StartHandler = dyn Fn(usize) + Send + Sync;
/// Called with a worker's index when it exits.
pub(crate) type ExitHandler = dyn Fn(usize) + Send + Sync;

/// What every worker of one pool shares.
pub(crate) struct Registry {
    thread_infos: Vec<ThreadInfo>,
    pub(crate) sleep: Sleep,
    injected_jobs: Injector<JobRef>,
    terminate_count: AtomicUsize,
    panic_handler: Option<Box<PanicHandler>>,
    start_handler: Option<Box<StartHandler>>,
    exit_handler: Option<Box<ExitHandler>>,
    /// Handles of the threads the default spawner started, joined by `shutdown`.
    thread_handles: Mutex<Vec<JoinHandle<()>>>,
    scheduling_policy: SchedulingPolicy,
}

/// The registry's view of one worker.
struct ThreadInfo {
    /// Set when the worker has left its main loop and run its exit handler.
    stopped: LockLatch,
    /// Opens when the pool's terminate count reaches zero.
    terminate: OnceLatch,
    /// Steals from the worker's deque.
    stealer: Stealer<JobRef>,
    /// Jobs broadcast to this worker in particular.
    broadcasts: Injector<JobRef>,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry")
            .field("num_threads", &self.num_threads())
            .field(
                "terminate_count",
                &self.terminate_count.load(Ordering::Relaxed),
            )
            .finish_non_exhaustive()
    }
}

/// The building thread, adopted as worker 0 by `use_current_thread`.
#[derive(Debug)]
pub(crate) struct AdoptedThread {
    worker: *const WorkerThread,
    thread: ThreadId,
}

// SAFETY: the pointer is only compared with the thread-local of the thread it was adopted
// on, and only dereferenced there.
unsafe impl Send for AdoptedThread {}
// SAFETY: as above.
unsafe impl Sync for AdoptedThread {}

impl AdoptedThread {
    /// Releases the adopted thread if this is it: it stops being a worker. The worker state
    /// itself is leaked on purpose: job references to its FIFO may still be queued.
    pub(crate) fn release(self) {
        if thread::current().id() == self.thread && WorkerThread::current() == self.worker {
            WorkerThread::clear_current();
        }
    }
}

/// A count on a registry's terminate count: the pool cannot end while this lives.
#[derive(Debug)]
pub(crate) struct RegistryKeepalive {
    registry: Arc<Registry>,
}

impl RegistryKeepalive {
    /// Takes a count. The registry must not have terminated.
    pub(crate) fn new(registry: &Arc<Registry>) -> Self {
        registry.increment_terminate_count();
        RegistryKeepalive {
            registry: Arc::clone(registry),
        }
    }
}

impl Deref for RegistryKeepalive {
    type Target = Arc<Registry>;

    fn deref(&self) -> &Arc<Registry> {
        &self.registry
    }
}

impl Drop for RegistryKeepalive {
    fn drop(&mut self) {
        self.registry.terminate();
    }
}

impl Registry {
    /// Starts the workers of a new pool.
    pub(crate) fn new<S: ThreadSpawn>(
        mut builder: ThreadPoolBuilder<S>,
    ) -> Result<(Arc<Registry>, Option<AdoptedThread>), ThreadPoolBuildError> {
        let num_threads = builder.resolved_num_threads();
        let scheduling_policy = builder.resolved_scheduling_policy()?;
        let adopt_current = builder.use_current_thread;
        if adopt_current && !WorkerThread::current().is_null() {
            return Err(ThreadPoolBuildError::new(
                ErrorKind::CurrentThreadAlreadyInPool,
            ));
        }
        let workers: Vec<Worker<JobRef>> = (0..num_threads)
            .map(|_| {
                if builder.breadth_first {
                    Worker::new_fifo()
                } else {
                    Worker::new_lifo()
                }
            })
            .collect();
        let thread_infos = workers
            .iter()
            .map(|worker| ThreadInfo {
                stopped: LockLatch::new(),
                terminate: OnceLatch::new(),
                stealer: worker.stealer(),
                broadcasts: Injector::new(),
            })
            .collect();
        let registry = Arc::new(Registry {
            thread_infos,
            sleep: Sleep::new(num_threads),
            injected_jobs: Injector::new(),
            terminate_count: AtomicUsize::new(1),
            panic_handler: builder.panic_handler.take(),
            start_handler: builder.start_handler.take(),
            exit_handler: builder.exit_handler.take(),
            thread_handles: Mutex::new(Vec::new()),
            scheduling_policy,
        });

        // If a spawn fails or a callback panics, the threads started so far must end.
        let terminate_on_failure = TerminateOnDrop(&registry);
        let mut adopted = None;
        for (index, worker) in workers.into_iter().enumerate() {
            if index == 0 && adopt_current {
                let worker_thread = Box::new(WorkerThread::new(worker, 0, Arc::clone(&registry)));
                let worker_ptr: *const WorkerThread = Box::into_raw(worker_thread);
                // SAFETY: the box is leaked, so the worker outlives the thread-local pointer;
                // the thread was checked above not to be a worker already.
                unsafe { WorkerThread::set_current(worker_ptr) };
                adopted = Some(AdoptedThread {
                    worker: worker_ptr,
                    thread: thread::current().id(),
                });
                continue;
            }
            registry.sleep.worker_starting();
            let thread = ThreadBuilder {
                name: builder.thread_name_for(index),
                stack_size: builder.stack_size,
                worker,
                index,
                registry: Arc::clone(&registry),
            };
            if let Err(error) = builder.spawn_handler.spawn(thread) {
                if let Some(adopted) = adopted.take() {
                    adopted.release();
                }
                return Err(ThreadPoolBuildError::new(ErrorKind::IOError(error)));
            }
        }
        std::mem::forget(terminate_on_failure);
        Ok((registry, adopted))
    }

    #[inline]
    pub(crate) fn num_threads(&self) -> usize {
        self.thread_infos.len()
    }

    #[inline]
    pub(crate) fn scheduling_policy(&self) -> SchedulingPolicy {
        self.scheduling_policy
    }

    /// The current thread's worker, if it belongs to this pool.
    #[inline]
    pub(crate) fn current_thread(&self) -> Option<&WorkerThread> {
        WorkerThread::current_ref().filter(|worker| ptr::eq(&**worker.registry(), self))
    }

    /// Queues a job from outside the pool's workers.
    pub(crate) fn inject(&self, job: JobRef) {
        debug_assert!(
            self.terminate_count.load(Ordering::Acquire) > 0,
            "a job was injected into a terminated pool"
        );
        let queue_was_empty = self.injected_jobs.is_empty();
        self.injected_jobs.push(job);
        self.sleep.new_injected_jobs(1, queue_was_empty);
    }

    /// Pushes onto the current worker's deque if it belongs to this pool, else injects.
    #[inline]
    pub(crate) fn inject_or_push(&self, job: JobRef) {
        match self.current_thread() {
            Some(worker) => worker.push(job),
            None => self.inject(job),
        }
    }

    /// Gives one job to every worker (one per worker, in index order).
    pub(crate) fn inject_broadcast(&self, jobs: impl ExactSizeIterator<Item = JobRef>) {
        assert_eq!(
            self.num_threads(),
            jobs.len(),
            "one broadcast job per worker"
        );
        for (info, job) in self.thread_infos.iter().zip(jobs) {
            info.broadcasts.push(job);
        }
        self.sleep.new_broadcast_jobs();
    }

    pub(crate) fn pop_injected_job(&self) -> Option<JobRef> {
        // `is_empty` is two loads; an empty `steal` would also issue a fence.
        if self.injected_jobs.is_empty() {
            return None;
        }
        loop {
            match self.injected_jobs.steal() {
                Steal::Success(job) => return Some(job),
                Steal::Empty => return None,
                Steal::Retry => {}
            }
        }
    }

    /// Runs `op` on a worker of this pool and returns its result, blocking or working
    /// meanwhile as the current thread's kind allows.
    pub(crate) fn in_worker<OP, R>(&self, op: OP) -> R
    where
        OP: FnOnce(&WorkerThread, bool) -> R + Send,
        R: Send,
    {
        match WorkerThread::current_ref() {
            None => self.in_worker_cold(op),
            Some(worker) if ptr::eq(&**worker.registry(), self) => op(worker, false),
            Some(worker) => self.in_worker_cross(worker, op),
        }
    }

    /// From a thread outside every pool: inject and block.
    #[cold]
    pub(crate) fn in_worker_cold<OP, R>(&self, op: OP) -> R
    where
        OP: FnOnce(&WorkerThread, bool) -> R + Send,
        R: Send,
    {
        thread_local!(static LOCK_LATCH: LockLatch = LockLatch::new());

        LOCK_LATCH.with(|latch| {
            let job = StackJob::new(
                |injected| {
                    let worker = WorkerThread::current_ref()
                        .expect("an injected job runs on a worker thread");
                    op(worker, injected)
                },
                LatchRef::new(latch),
            );
            // SAFETY: `job` stays on this frame until its latch is set, awaited just below.
            self.inject(unsafe { job.as_job_ref() });
            job.latch.wait_and_reset();
            job.into_result()
        })
    }

    /// From a worker of another pool: inject, and keep that worker busy with its own pool's
    /// work while waiting.
    #[cold]
    fn in_worker_cross<OP, R>(&self, current: &WorkerThread, op: OP) -> R
    where
        OP: FnOnce(&WorkerThread, bool) -> R + Send,
        R: Send,
    {
        let job = StackJob::new(
            |injected| {
                let worker =
                    WorkerThread::current_ref().expect("an injected job runs on a worker thread");
                op(worker, injected)
            },
            SpinLatch::cross(current),
        );
        // SAFETY: `job` stays on this frame until its latch is set, awaited just below.
        self.inject(unsafe { job.as_job_ref() });
        current.wait_until(&job.latch);
        job.into_result()
    }

    /// Wakes a worker whose latch was just set while it slept.
    pub(crate) fn notify_worker_latch_is_set(&self, target_worker_index: usize) {
        self.sleep.notify_worker_latch_is_set(target_worker_index);
    }

    pub(crate) fn increment_terminate_count(&self) {
        let previous = self.terminate_count.fetch_add(1, Ordering::AcqRel);
        debug_assert!(previous != 0, "a terminated pool was revived");
    }

    /// Drops one count; the last one tells every worker to finish.
    pub(crate) fn terminate(&self) {
        if self.terminate_count.fetch_sub(1, Ordering::AcqRel) == 1 {
            for (index, info) in self.thread_infos.iter().enumerate() {
                // SAFETY: the latch lives in the registry, which `self` keeps alive.
                unsafe { OnceLatch::set_and_tickle_one(&info.terminate, self, index) };
            }
        }
    }

    /// Blocks until every worker started by this registry has stopped, then joins the
    /// threads the default spawner started.
    pub(crate) fn wait_until_stopped(&self, adopted_index: Option<usize>) {
        for (index, info) in self.thread_infos.iter().enumerate() {
            if Some(index) != adopted_index {
                info.stopped.wait();
            }
        }
        let handles = std::mem::take(&mut *self.thread_handles.lock());
        for handle in handles {
            // Worker bodies catch their panics, so a join error cannot carry one of ours.
            let _ = handle.join();
        }
    }

    /// Keeps the handle of a thread the default spawner started.
    pub(crate) fn keep_thread_handle(&self, handle: JoinHandle<()>) {
        self.thread_handles.lock().push(handle);
    }

    /// Runs `func`, handing a panic to the panic handler (or aborting without one).
    pub(crate) fn catch_unwind(&self, func: impl FnOnce()) {
        if let Err(payload) = unwind::halt_unwinding(func) {
            self.handle_panic(payload);
        }
    }

    fn handle_panic(&self, payload: PanicPayload) {
        let abort_guard = unwind::AbortIfPanic;
        if let Some(handler) = &self.panic_handler {
            handler(payload);
            std::mem::forget(abort_guard);
        }
        // Without a handler, the guard aborts the process, as Rayon's contract says.
    }
}

/// Terminates a registry unless forgotten.
struct TerminateOnDrop<'a>(&'a Arc<Registry>);

impl Drop for TerminateOnDrop<'_> {
    fn drop(&mut self) {
        self.0.terminate();
    }
}

/// The body of every worker thread.
pub(crate) fn main_loop(thread: ThreadBuilder) {
    let ThreadBuilder {
        worker,
        index,
        registry,
        ..
    } = thread;
    let worker_thread = WorkerThread::new(worker, index, registry);
    // SAFETY: `worker_thread` lives on this frame until after `clear_current` below, and a
    // thread handed to a spawn handler is not a worker yet.
    unsafe { WorkerThread::set_current(&worker_thread) };
    let registry = worker_thread.registry();
    // Counted idle since `Registry::new`; from here on it counts itself while it searches.
    registry.sleep.work_found();
    if let Some(handler) = &registry.start_handler {
        registry.catch_unwind(|| handler(index));
    }
    worker_thread.wait_until(&registry.thread_infos[index].terminate);
    if let Some(handler) = &registry.exit_handler {
        registry.catch_unwind(|| handler(index));
    }
    WorkerThread::clear_current();
    let stopped: *const LockLatch = &registry.thread_infos[index].stopped;
    // SAFETY: `worker_thread` holds the registry, so the latch is alive.
    unsafe { crate::latch::Latch::set(stopped) };
}

/// Runs `op` on a worker: inline if the current thread is one, else on the global pool.
#[inline]
pub(crate) fn in_worker<OP, R>(op: OP) -> R
where
    OP: FnOnce(&WorkerThread, bool) -> R + Send,
    R: Send,
{
    match WorkerThread::current_ref() {
        Some(worker) => op(worker, false),
        None => in_global_pool(op),
    }
}

/// `in_worker` from a thread outside every pool.
#[cold]
fn in_global_pool<OP, R>(op: OP) -> R
where
    OP: FnOnce(&WorkerThread, bool) -> R + Send,
    R: Send,
{
    global_keepalive().in_worker_cold(op)
}

/// Runs `op` with the pool the current thread works for, or the global pool (kept alive
/// for the duration).
pub(crate) fn with_current_registry<R>(op: impl FnOnce(&Arc<Registry>) -> R) -> R {
    match WorkerThread::current_ref() {
        Some(worker) => op(worker.registry()),
        None => op(&global_keepalive()),
    }
}
