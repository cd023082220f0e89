//! The per-thread side of a pool: a worker's deques, its thread-local identity, and the loop
//! it runs while it waits.

use super::latent::{LatentLink, LatentStack};
use super::Registry;
use crate::job::JobRef;
use crate::latch::{AsCoreLatch, CoreLatch};
use crate::scheduling_policy::SchedulingPolicy;
use crate::sync::Arc;
use crate::telemetry::WorkerRecorder;
use crate::unwind;
use crossbeam_deque::{Steal, Worker};
use std::cell::Cell;
use std::ptr;

thread_local! {
    /// The worker the current thread is, or null.
    static WORKER_THREAD_STATE: Cell<*const WorkerThread> = const { Cell::new(ptr::null()) };
}

/// A worker thread's own state; lives on its stack (or, for a pool that adopted the building
/// thread, in a box owned by the pool).
#[derive(Debug)]
pub(crate) struct WorkerThread {
    /// LIFO (or FIFO, for `breadth_first` pools) deque; its stealer is in the registry.
    worker: Worker<JobRef>,
    index: usize,
    /// State of the xorshift generator that picks the first victim to steal from.
    rng: Cell<u64>,
    /// The worker whose deque gave this worker its last stolen job, until a steal from it
    /// comes back empty.
    last_victim: Cell<Option<usize>>,
    registry: Arc<Registry>,
    /// Whether `join` keeps its second half private until someone could steal it
    /// ([`SchedulingPolicy::Adaptive`]).
    lazy_joins: bool,
    /// The second halves of this worker's pending lazy joins.
    latent: LatentStack,
    /// This worker's telemetry counters, inside `registry` (kept here so that a hook is one
    /// load away).
    recorder: *const WorkerRecorder,
}

impl WorkerThread {
    pub(crate) fn new(worker: Worker<JobRef>, index: usize, registry: Arc<Registry>) -> Self {
        WorkerThread {
            worker,
            index,
            // Any nonzero seed will do; spread the workers apart.
            rng: Cell::new((index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1),
            last_victim: Cell::new(None),
            lazy_joins: registry.scheduling_policy() == SchedulingPolicy::Adaptive,
            latent: LatentStack::new(),
            recorder: registry.telemetry().worker(index),
            registry,
        }
    }

    /// Gives up the deque, for the slot's next thread.
    pub(crate) fn into_deque(self) -> Worker<JobRef> {
        self.worker
    }

    /// The worker the current thread is, or null.
    #[inline]
    pub(crate) fn current() -> *const WorkerThread {
        WORKER_THREAD_STATE.with(Cell::get)
    }

    /// The worker the current thread is, if it belongs to any pool.
    #[inline]
    pub(crate) fn current_ref<'a>() -> Option<&'a WorkerThread> {
        // SAFETY: the pointer is set only while the worker it points to is alive (its owner
        // clears it before the worker is dropped), and only for the current thread.
        unsafe { Self::current().as_ref() }
    }

    /// Makes `thread` the current thread's worker.
    ///
    /// # Safety
    /// `thread` must stay alive until [`WorkerThread::clear_current`] is called on this
    /// thread, and the current thread must not already be a worker.
    pub(crate) unsafe fn set_current(thread: *const WorkerThread) {
        WORKER_THREAD_STATE.with(|state| {
            assert!(state.get().is_null(), "this thread is already a worker");
            state.set(thread);
        });
    }

    /// Forgets the current thread's worker.
    pub(crate) fn clear_current() {
        WORKER_THREAD_STATE.with(|state| state.set(ptr::null()));
    }

    #[inline]
    pub(crate) fn index(&self) -> usize {
        self.index
    }

    #[inline]
    pub(crate) fn registry(&self) -> &Arc<Registry> {
        &self.registry
    }

    /// This worker's telemetry counters (a no-op twin without the `telemetry` feature).
    #[inline]
    pub(crate) fn recorder(&self) -> &WorkerRecorder {
        // SAFETY: the recorder lives in the registry's telemetry, in a slice that is never
        // resized, and `self.registry` keeps the registry alive as long as `self`.
        unsafe { &*self.recorder }
    }

    /// Whether this worker's joins are lazy.
    #[inline]
    pub(crate) fn lazy_joins(&self) -> bool {
        self.lazy_joins
    }

    /// Records the second half of a lazy join, private to this worker for now.
    ///
    /// If the worker had no pending lazy join (this is the outermost one of the job it
    /// runs), or if some worker is idle while this worker's deque is empty, the oldest
    /// private half is published: pushed onto the deque, where the idle worker finds it.
    /// Publishing the oldest gives thieves the largest piece of work, as in Rayon where
    /// thieves take the oldest job of a deque.
    ///
    /// # Safety
    /// `link` must stay where it is, alive, until [`WorkerThread::pop_latent`] takes it
    /// back, and links are taken back in the reverse order of their pushes.
    #[inline]
    pub(crate) unsafe fn push_latent(&self, link: &LatentLink) {
        // SAFETY: forwarded from this function's contract.
        let was_empty = unsafe { self.latent.push(link) };
        if was_empty || (self.pool_has_idle_workers() && self.worker.is_empty()) {
            self.publish_oldest_latent();
        }
    }

    /// Takes back `link`, the newest lazy join half, and tells whether it was published,
    /// in which case it may have been stolen and the deque must be consulted; otherwise no
    /// other thread ever saw it.
    #[inline]
    pub(crate) fn pop_latent(&self, link: &LatentLink) -> bool {
        self.latent.pop(link)
    }

    /// Publishes the oldest private lazy join half, if there is one; returns whether there
    /// was.
    #[cold]
    fn publish_oldest_latent(&self) -> bool {
        match self
            .latent
            .take_oldest_unpublished(&self.registry, self.index)
        {
            Some(job) => {
                self.push(job);
                true
            }
            None => false,
        }
    }

    /// Publishes every private lazy join half, oldest first: before this worker waits or
    /// yields, its pending join halves must be where Rayon's semantics put them, in the
    /// deque, so that other workers (and this one, while it waits) can run them.
    pub(crate) fn publish_all_latent(&self) {
        while self.publish_oldest_latent() {}
    }

    /// Whether this worker has jobs of its own waiting: in its deque, or lazy join halves.
    /// (In a deterministic pool, the current task's spawns so far are queued first.)
    pub(crate) fn has_pending_tasks(&self) -> bool {
        crate::deterministic::release_spawns();
        self.latent.has_unpublished() || !self.worker.is_empty()
    }

    /// True if this worker's deque is empty: nothing it published still waits for a thief.
    #[inline]
    pub(crate) fn deque_is_empty(&self) -> bool {
        self.worker.is_empty()
    }

    /// True when some worker of this pool is idle and would take work made stealable now.
    #[inline]
    pub(crate) fn pool_has_idle_workers(&self) -> bool {
        self.registry.sleep.has_idle_workers()
    }

    /// Pushes a job onto this worker's deque, where it can be stolen, and makes sure a
    /// sleeping worker learns of it.
    ///
    /// Only a push onto an empty deque pays for the fence of [`Sleep::new_internal_job`].
    /// Behind an older job, a worker about to sleep that misses the new one still sees the
    /// older one (it was visible before the new one) and takes it, or finds it taken: by
    /// this worker, which pops the newer job first, or by a thief, which is awake and looks
    /// for work again once that job is done.
    ///
    /// [`Sleep::new_internal_job`]: crate::sleep::Sleep::new_internal_job
    #[inline]
    pub(crate) fn push(&self, job: JobRef) {
        let behind_older_job = !self.worker.is_empty();
        self.worker.push(job);
        let sleep = &self.registry.sleep;
        let queue_was_empty = || self.worker.len() <= 1;
        if behind_older_job {
            sleep.new_internal_job_unfenced(queue_was_empty);
        } else {
            sleep.new_internal_job(queue_was_empty);
        }
    }

    /// Pushes the second half of a `join`, which this worker takes back itself unless it is
    /// stolen, so a sleeper that misses it costs parallelism, never progress.
    #[inline]
    pub(crate) fn push_join_half(&self, job: JobRef) {
        self.worker.push(job);
        self.registry
            .sleep
            .new_internal_job_unfenced(|| self.worker.len() <= 1);
    }

    /// Queues a job in this worker's FIFO.
    pub(crate) fn push_fifo(&self, job: JobRef) {
        let fifo = &self.registry.thread_infos[self.index].fifo;
        // SAFETY: the FIFO lives in the registry, which every thread that can run the
        // reference (a worker of this pool) keeps alive.
        let fifo_ref = unsafe { fifo.push(job) };
        self.push(fifo_ref);
    }

    /// Pops the newest job of this worker's deque, or one broadcast to it.
    #[inline]
    pub(crate) fn take_local_job(&self) -> Option<JobRef> {
        if let Some(job) = self.worker.pop() {
            return Some(job);
        }
        let broadcasts = &self.registry.thread_infos[self.index].broadcasts;
        // `is_empty` is two loads; an empty `steal` would also issue a fence.
        if broadcasts.is_empty() {
            return None;
        }
        loop {
            match broadcasts.steal() {
                Steal::Success(job) => return Some(job),
                Steal::Empty => return None,
                Steal::Retry => {}
            }
        }
    }

    /// Runs a job taken from a queue. Never inlined: its callers are search loops and the
    /// rare arm of `join` that pops a job other than its own, and keeping its body (with
    /// the telemetry count) out of them leaves `join`'s code the same with and without the
    /// `telemetry` feature.
    #[inline(never)]
    pub(crate) fn execute(&self, job: JobRef) {
        self.recorder().task_run();
        let _detached = crate::deterministic::Detached::new(&self.registry);
        // SAFETY: every job reference in the pool's queues is live and is taken out of its
        // queue by exactly one thread.
        unsafe { job.execute() }
    }

    /// Any job this worker could run: its own, a victim's, an injected one, or one queued
    /// at some priority level.
    pub(crate) fn find_work(&self) -> Option<JobRef> {
        self.take_local_job()
            .or_else(|| self.steal())
            .or_else(|| {
                let job = self.registry.pop_injected_job();
                if job.is_some() {
                    self.recorder().injector_pop();
                }
                job
            })
            .or_else(|| self.registry.priorities.pop_any())
    }

    /// The first look for work after a job ends, made before the worker counts itself idle:
    /// urgent and local jobs, then the deque of the victim that gave this worker its last
    /// job, which likely holds more of the same work. A thief that takes job after job from
    /// one victim thus leaves the pool's sleep counters alone; every push reads them, so a
    /// counter update per steal would slow down the victim's pushes. Other sources wait for
    /// [`WorkerThread::find_work`], after the worker counts itself idle, so that injectors
    /// see it as an idle thread rather than wake a sleeper.
    pub(crate) fn find_work_before_idling(&self) -> Option<JobRef> {
        self.take_urgent_or_local_job()
            .or_else(|| self.steal_from_last_victim())
    }

    /// Steals the oldest job of another worker, starting with a random victim.
    fn steal(&self) -> Option<JobRef> {
        let thread_infos = &self.registry.thread_infos;
        // Slots above this bound never had a thread, so their deques are empty.
        let num_threads = self.registry.sleep.slot_bound();
        if num_threads <= 1 {
            return None;
        }
        self.recorder().steal_attempt();
        loop {
            let mut retry = false;
            let start = self.next_random(num_threads);
            let victims = (start..num_threads)
                .chain(0..start)
                .filter(|&victim| victim != self.index);
            for victim in victims {
                match thread_infos[victim].stealer.steal() {
                    Steal::Success(job) => return Some(self.stolen_from(victim, job)),
                    Steal::Empty => {}
                    Steal::Retry => retry = true,
                }
            }
            if !retry {
                return None;
            }
        }
    }

    /// Steals again from the victim of this worker's last successful steal, if its deque
    /// still has a job; forgets the victim otherwise.
    fn steal_from_last_victim(&self) -> Option<JobRef> {
        let victim = self.last_victim.take()?;
        let stealer = &self.registry.thread_infos[victim].stealer;
        self.recorder().steal_attempt();
        loop {
            match stealer.steal() {
                Steal::Success(job) => return Some(self.stolen_from(victim, job)),
                Steal::Empty => return None,
                Steal::Retry => {}
            }
        }
    }

    /// Counts a job stolen from `victim` and remembers the victim for the next look.
    fn stolen_from(&self, victim: usize, job: JobRef) -> JobRef {
        self.recorder().steal_success();
        self.last_victim.set(Some(victim));
        job
    }

    fn next_random(&self, bound: usize) -> usize {
        let mut x = self.rng.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng.set(x);
        (x % bound as u64) as usize
    }

    /// Runs jobs until `latch` is set.
    #[inline]
    pub(crate) fn wait_until<L: AsCoreLatch + ?Sized>(&self, latch: &L) {
        let latch = latch.as_core_latch();
        if !latch.probe() {
            self.wait_until_cold(latch);
        }
    }

    #[cold]
    fn wait_until_cold(&self, latch: &CoreLatch) {
        self.publish_all_latent();
        // A panic here would leave the jobs this thread owes their waiters unfinished; job
        // bodies catch their own panics, so one reaching this point is a bug in veda.
        let abort_guard = unwind::AbortIfPanic;
        'search: while !latch.probe() {
            if let Some(job) = self.find_work_before_idling() {
                self.execute(job);
                continue;
            }
            let sleep = &self.registry.sleep;
            let mut idle = sleep.start_looking(self.index);
            let mut idle_timer = self.recorder().idle_timer();
            while !latch.probe() {
                if let Some(job) = self.find_work() {
                    sleep.work_found();
                    idle_timer.stop(&idle, false);
                    self.execute(job);
                    continue 'search;
                }
                sleep.no_work_found(&mut idle, latch);
                idle_timer.searched_in_vain(&idle);
            }
            sleep.work_found();
            idle_timer.stop(&idle, false);
            break;
        }
        std::mem::forget(abort_guard);
    }

    /// Runs one job from anywhere (`yield_now`) or from this worker's own queues only
    /// (`yield_local`); returns whether a job ran.
    pub(crate) fn yield_once(&self, local_only: bool) -> bool {
        self.publish_all_latent();
        crate::deterministic::release_spawns();
        let job = if local_only {
            self.take_local_job()
        } else {
            self.find_work()
        };
        match job {
            Some(job) => {
                self.execute(job);
                true
            }
            None => false,
        }
    }
}
