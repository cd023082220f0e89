//! The registry: everything one pool's workers share, how work enters the pool, and how the
//! pool ends.
//!
//! A pool stays alive while its *terminate count* is positive. The count starts at one (held
//! by the `ThreadPool` handle, or by the global slot), and every job that nobody waits for
//! holds a count of its own until it has run (`spawn`, `spawn_broadcast`, and submissions to
//! the global pool from outside threads). When the count drops to zero, every worker's
//! terminate latch opens and the workers leave their main loop, so queued work always
//! finishes before the threads end.
//!
//! A pool has `max_threads` slots, each with its deque, queues and termination latch; the
//! first `num_threads` are its workers, the rest hold stand-ins for workers that block
//! (`scaling.rs`). A slot's thread may retire and be started again: the slot keeps the
//! deque (and so its stealer) in between.

mod global;
mod latent;
#[cfg(any(feature = "telemetry", feature = "gpu"))]
mod observe;
mod scaling;
#[cfg(all(test, not(loom)))]
mod test;
mod worker;

pub(crate) use global::{
    global_keepalive, global_num_threads, global_scheduling_policy, init_global_registry,
    shutdown_global,
};
pub(crate) use latent::LatentJob;
pub(crate) use scaling::{main_loop, StandIn};
pub(crate) use worker::WorkerThread;

use crate::job::{JobFifo, JobRef, StackJob};
use crate::latch::{LatchRef, LockLatch, OnceLatch, SpinLatch};
use crate::priority::{self, Priority, PriorityQueues};
use crate::scheduling_policy::SchedulingPolicy;
use crate::sleep::{Scaling, Sleep, StartThread};
use crate::sync::{Arc, AtomicUsize, Condvar, Mutex, Ordering, Weak};
use crate::telemetry::{run_stamped, FaultEvent, PoolTelemetry};
use crate::thread_pool::{
    ErrorKind, ThreadBuilder, ThreadPoolBuildError, ThreadPoolBuilder, ThreadSpawn,
};
use crate::unwind::{self, PanicPayload};
use crossbeam_deque::{Injector, Steal, Stealer, Worker};
use scaling::Spawner;
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
    /// One per slot: `max_threads` of them.
    thread_infos: Vec<ThreadInfo>,
    num_threads: usize,
    pub(crate) sleep: Sleep,
    injected_jobs: Injector<JobRef>,
    terminate_count: AtomicUsize,
    panic_handler: Option<Box<PanicHandler>>,
    start_handler: Option<Box<StartHandler>>,
    exit_handler: Option<Box<ExitHandler>>,
    /// Starts threads after the pool was built; `None` when a custom spawn handler started
    /// them.
    spawner: Option<Spawner>,
    /// Threads started and not yet through their exit handler.
    running_threads: Mutex<usize>,
    /// Signalled when `running_threads` drops to zero.
    all_stopped: Condvar,
    scheduling_policy: SchedulingPolicy,
    /// Queued work of every level but the default path's (`priority/`).
    pub(crate) priorities: PriorityQueues<JobRef>,
    /// The level of work that names none and is not spawned from a task that has one.
    default_priority: Priority,
    /// What the workers record for telemetry (nothing without the feature).
    telemetry: PoolTelemetry,
}

/// The registry's view of one slot.
struct ThreadInfo {
    /// Opens when the pool's terminate count reaches zero.
    terminate: OnceLatch,
    /// Steals from the slot's deque.
    stealer: Stealer<JobRef>,
    /// Jobs broadcast to this worker in particular.
    broadcasts: Injector<JobRef>,
    /// The slot's deque while no thread owns it (before its first thread starts, and
    /// between a retired thread and the next).
    parked_deque: Mutex<Option<Worker<JobRef>>>,
    /// The join handle of the slot's latest thread started by the default spawner.
    handle: Mutex<Option<JoinHandle<()>>>,
    /// Backs `spawn_fifo` from the slot's worker; it outlives the slot's threads, since a
    /// thread may retire while a thief still holds a reference to it.
    fifo: JobFifo,
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
    /// itself is leaked on purpose: its deque may still be referenced by queued jobs'
    /// thieves.
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
        let can_start_threads = builder.spawn_handler.can_start_threads_later();
        let limits = builder.resolved_scaling(can_start_threads)?;
        let scheduling_policy = builder.resolved_scheduling_policy()?;
        let aging_bound = builder.resolved_aging_bound()?;
        let default_priority = builder.default_priority.unwrap_or_default();
        priority::note_level(default_priority);
        let adopt_current = builder.use_current_thread;
        if adopt_current && !WorkerThread::current().is_null() {
            return Err(ThreadPoolBuildError::new(
                ErrorKind::CurrentThreadAlreadyInPool,
            ));
        }
        let mut workers: Vec<Worker<JobRef>> = (0..limits.max_threads)
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
                terminate: OnceLatch::new(),
                stealer: worker.stealer(),
                broadcasts: Injector::new(),
                parked_deque: Mutex::new(None),
                handle: Mutex::new(None),
                fifo: JobFifo::new(),
            })
            .collect();
        let spawner = can_start_threads.then(|| Spawner::new(&mut builder, limits.max_threads));
        let registry = Arc::new_cyclic(|registry: &Weak<Registry>| {
            let start_thread = spawner.is_some().then(|| {
                let registry = Weak::clone(registry);
                Box::new(move |index| {
                    registry
                        .upgrade()
                        .is_some_and(|registry| registry.start_thread(index))
                }) as Box<StartThread>
            });
            Registry {
                thread_infos,
                num_threads: limits.num_threads,
                sleep: Sleep::with_scaling(limits, start_thread),
                injected_jobs: Injector::new(),
                terminate_count: AtomicUsize::new(1),
                panic_handler: builder.panic_handler.take(),
                start_handler: builder.start_handler.take(),
                exit_handler: builder.exit_handler.take(),
                spawner,
                running_threads: Mutex::new(0),
                all_stopped: Condvar::new(),
                scheduling_policy,
                priorities: PriorityQueues::new(aging_bound),
                default_priority,
                telemetry: PoolTelemetry::new(limits.max_threads),
            }
        });

        // If a spawn fails or a callback panics, the threads started so far must end.
        let terminate_on_failure = TerminateOnDrop(&registry);
        let mut adopted = None;
        // The other slots start when work needs them, which a start handler may already
        // publish: their deques must be in place first.
        let parked = workers.drain(limits.min_threads..);
        for (info, worker) in registry.thread_infos[limits.min_threads..]
            .iter()
            .zip(parked)
        {
            *info.parked_deque.lock() = Some(worker);
        }
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
            registry.thread_starting();
            let name = match &registry.spawner {
                Some(spawner) => spawner.name(index),
                None => builder.thread_name_for(index),
            };
            let thread = ThreadBuilder {
                name,
                stack_size: builder.stack_size,
                worker,
                index,
                registry: Arc::clone(&registry),
            };
            if let Err(error) = builder.spawn_handler.spawn(thread) {
                registry.thread_ended();
                if let Some(adopted) = adopted.take() {
                    adopted.release();
                }
                return Err(ThreadPoolBuildError::new(ErrorKind::IOError(error)));
            }
        }
        std::mem::forget(terminate_on_failure);
        Ok((registry, adopted))
    }

    /// The pool's parallelism: its workers are slots `0..num_threads`.
    #[inline]
    pub(crate) fn num_threads(&self) -> usize {
        self.num_threads
    }

    /// The pool's thread limits.
    pub(crate) fn limits(&self) -> &Scaling {
        self.sleep.limits()
    }

    #[inline]
    pub(crate) fn scheduling_policy(&self) -> SchedulingPolicy {
        self.scheduling_policy
    }

    /// The level of work that names none (see [`Priority`]).
    #[inline]
    pub(crate) fn default_priority(&self) -> Priority {
        self.default_priority
    }

    /// The pool's telemetry recorder (a no-op twin without the `telemetry` feature).
    #[inline]
    pub(crate) fn telemetry(&self) -> &PoolTelemetry {
        &self.telemetry
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
        for (info, job) in self.thread_infos[..self.num_threads].iter().zip(jobs) {
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

        // The work runs at the caller's level (or this pool's default), and is queued at it.
        let level = self.spawn_level();
        LOCK_LATCH.with(|latch| {
            let stamp = self.telemetry.sample_job();
            let job = StackJob::new(
                |injected| {
                    let worker = WorkerThread::current_ref()
                        .expect("an injected job runs on a worker thread");
                    run_stamped(stamp, || priority::run_at(level, || op(worker, injected)))
                },
                LatchRef::new(latch),
            );
            // SAFETY: `job` stays on this frame until its latch is set, awaited just below.
            self.inject_at(level, unsafe { job.as_job_ref() });
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
        // As in `in_worker_cold`: the caller's level travels with the work.
        let level = self.spawn_level();
        let stamp = self.telemetry.sample_job();
        let job = StackJob::new(
            |injected| {
                let worker =
                    WorkerThread::current_ref().expect("an injected job runs on a worker thread");
                run_stamped(stamp, || priority::run_at(level, || op(worker, injected)))
            },
            SpinLatch::cross(current),
        );
        // SAFETY: `job` stays on this frame until its latch is set, awaited just below.
        self.inject_at(level, unsafe { job.as_job_ref() });
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

    /// Drops one count; the last one tells every thread to finish. Slots without a thread
    /// stay empty.
    pub(crate) fn terminate(&self) {
        if self.terminate_count.fetch_sub(1, Ordering::AcqRel) == 1 {
            for (index, info) in self.thread_infos.iter().enumerate() {
                // SAFETY: the latch lives in the registry, which `self` keeps alive.
                unsafe { OnceLatch::set_and_tickle_one(&info.terminate, self, index) };
            }
        }
    }

    /// Counts a thread about to be started.
    fn thread_starting(&self) {
        *self.running_threads.lock() += 1;
    }

    /// Uncounts a thread that ended (or could not be started).
    fn thread_ended(&self) {
        let mut running = self.running_threads.lock();
        *running -= 1;
        if *running == 0 {
            self.all_stopped.notify_all();
        }
    }

    /// Blocks until every thread started for this registry has run its exit handler, then
    /// joins the threads the default spawner started.
    pub(crate) fn wait_until_stopped(&self) {
        let mut running = self.running_threads.lock();
        while *running > 0 {
            running = self.all_stopped.wait(running);
        }
        drop(running);
        for info in &self.thread_infos {
            let handle = info.handle.lock().take();
            if let Some(handle) = handle {
                // Worker bodies catch their panics, so a join error cannot carry one of ours.
                let _ = handle.join();
            }
        }
    }

    /// Runs `func`, handing a panic to the panic handler (or aborting without one).
    pub(crate) fn catch_unwind(&self, func: impl FnOnce()) {
        if let Err(payload) = unwind::halt_unwinding(func) {
            self.handle_panic(payload);
        }
    }

    fn handle_panic(&self, payload: PanicPayload) {
        self.telemetry.record_fault(FaultEvent::Panic);
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
