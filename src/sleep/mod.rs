//! Sleep and wake-up of idle workers (the protocol is explained in `README.md` beside this
//! file).
//!
//! A worker that finds no work spins briefly, then announces that it is *sleepy*, searches
//! once more, and only then blocks on its own condition variable. Whoever publishes work
//! checks, after publishing, whether any worker is sleepy or asleep: the jobs-event counter
//! tells sleepy workers that something changed, and sleeping ones are woken one per job.
//! When every worker is busy, publishing costs one fence and one shared read.

use crate::latch::CoreLatch;
use crate::sync::{fence, yield_now, AtomicU64, Condvar, Mutex, Ordering};
use crossbeam_utils::CachePadded;

/// Rounds of yielding before a worker gets sleepy (one under loom, to keep the models small).
const SPIN_ROUNDS: u32 = if cfg!(loom) { 1 } else { 32 };

/// The largest number of workers the counters can track.
pub(crate) const MAX_THREADS: usize = 0xFFFF;

const SLEEPING_SHIFT: u32 = 0;
const IDLE_SHIFT: u32 = 16;
const JEC_SHIFT: u32 = 32;
const ONE_SLEEPING: u64 = 1 << SLEEPING_SHIFT;
const ONE_IDLE: u64 = 1 << IDLE_SHIFT;
const ONE_JEC: u64 = 1 << JEC_SHIFT;
const THREADS_MASK: u64 = 0xFFFF;

/// A snapshot of the packed counters: sleeping workers, idle workers (sleeping ones
/// included) and the jobs-event counter (odd while some worker is sleepy).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Counters(u64);

impl Counters {
    #[inline]
    fn sleeping(self) -> u64 {
        (self.0 >> SLEEPING_SHIFT) & THREADS_MASK
    }

    #[inline]
    fn idle(self) -> u64 {
        (self.0 >> IDLE_SHIFT) & THREADS_MASK
    }

    #[inline]
    fn jobs_counter(self) -> u32 {
        (self.0 >> JEC_SHIFT) as u32
    }

    #[inline]
    fn is_sleepy(self) -> bool {
        self.jobs_counter() & 1 == 1
    }
}

/// Where a searching worker stands on its way to sleep.
#[derive(Debug)]
pub(crate) struct IdleState {
    worker_index: usize,
    rounds: u32,
    /// The jobs-event counter seen when this worker got sleepy.
    jobs_counter: u32,
}

#[derive(Debug, Default)]
struct WorkerSleepState {
    is_blocked: Mutex<bool>,
    condvar: Condvar,
}

/// The sleep state of one pool.
#[derive(Debug)]
pub(crate) struct Sleep {
    counters: AtomicU64,
    workers: Vec<CachePadded<WorkerSleepState>>,
}

impl Sleep {
    pub(crate) fn new(num_workers: usize) -> Self {
        assert!(num_workers <= MAX_THREADS);
        Sleep {
            counters: AtomicU64::new(0),
            workers: (0..num_workers)
                .map(|_| CachePadded::new(WorkerSleepState::default()))
                .collect(),
        }
    }

    #[inline]
    fn load(&self) -> Counters {
        Counters(self.counters.load(Ordering::SeqCst))
    }

    /// A worker thread is being started: until it runs (and calls [`Sleep::work_found`]),
    /// it counts as idle, since it will look for work before anything else.
    pub(crate) fn worker_starting(&self) {
        self.counters.fetch_add(ONE_IDLE, Ordering::SeqCst);
    }

    /// True when some worker is idle (looking for work, asleep, or about to start): work
    /// made stealable now would be taken. A heuristic read, with no ordering.
    #[inline]
    pub(crate) fn has_idle_workers(&self) -> bool {
        Counters(self.counters.load(Ordering::Relaxed)).idle() > 0
    }

    /// A worker starts looking for work.
    #[inline]
    pub(crate) fn start_looking(&self, worker_index: usize) -> IdleState {
        self.counters.fetch_add(ONE_IDLE, Ordering::SeqCst);
        IdleState {
            worker_index,
            rounds: 0,
            jobs_counter: 0,
        }
    }

    /// A worker stops looking (it found work, or its latch opened).
    #[inline]
    pub(crate) fn work_found(&self) {
        self.counters.fetch_sub(ONE_IDLE, Ordering::SeqCst);
    }

    /// A search came back empty: spin, get sleepy, or sleep, depending on how long the
    /// worker has been looking. `latch` is what the worker waits for; it wakes the worker
    /// when set.
    pub(crate) fn no_work_found(&self, idle: &mut IdleState, latch: &CoreLatch) {
        if idle.rounds < SPIN_ROUNDS {
            yield_now();
            idle.rounds += 1;
        } else if idle.rounds == SPIN_ROUNDS {
            idle.jobs_counter = self.announce_sleepy();
            // Pairs with the publisher's fence: either this worker's next search sees the
            // new job, or the publisher sees the announcement (see README.md).
            fence(Ordering::SeqCst);
            idle.rounds += 1;
            yield_now();
        } else {
            self.sleep(idle, latch);
        }
    }

    /// Makes the jobs-event counter odd (sleepy) and returns it.
    fn announce_sleepy(&self) -> u32 {
        let mut current = self.load();
        loop {
            if current.is_sleepy() {
                return current.jobs_counter();
            }
            let sleepy = Counters(current.0.wrapping_add(ONE_JEC));
            match self.counters.compare_exchange_weak(
                current.0,
                sleepy.0,
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => return sleepy.jobs_counter(),
                Err(actual) => current = Counters(actual),
            }
        }
    }

    fn sleep(&self, idle: &mut IdleState, latch: &CoreLatch) {
        if !latch.get_sleepy() {
            return;
        }
        let state = &self.workers[idle.worker_index];
        let mut is_blocked = state.is_blocked.lock();
        if !latch.fall_asleep() {
            idle.rounds = 0;
            return;
        }
        // Become a sleeper only if no job was published since this worker got sleepy (and
        // searched once more): a publisher that came later sees the sleeper count and wakes
        // someone; one that came earlier changed the counter, so this worker searches again.
        let mut current = self.load();
        loop {
            if current.jobs_counter() != idle.jobs_counter {
                drop(is_blocked);
                latch.wake_up();
                idle.rounds = SPIN_ROUNDS / 2;
                return;
            }
            match self.counters.compare_exchange_weak(
                current.0,
                current.0 + ONE_SLEEPING,
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => break,
                Err(actual) => current = Counters(actual),
            }
        }
        *is_blocked = true;
        while *is_blocked {
            is_blocked = state.condvar.wait(is_blocked);
        }
        drop(is_blocked);
        idle.rounds = 0;
        latch.wake_up();
    }

    /// Wakes `worker_index`, which sleeps on a latch that was just set.
    pub(crate) fn notify_worker_latch_is_set(&self, worker_index: usize) {
        self.wake_specific_thread(worker_index);
    }

    /// A job was pushed onto a worker's own deque. `queue_was_empty` is asked only when
    /// someone sleeps.
    #[inline]
    pub(crate) fn new_internal_job(&self, queue_was_empty: impl FnOnce() -> bool) {
        // Order the push that came before against the read of the counters below; the
        // sleepy worker orders its announcement against its last search the same way.
        fence(Ordering::SeqCst);
        self.wake_for_new_jobs(1, queue_was_empty);
    }

    /// Like [`Sleep::new_internal_job`] without the fence, for a job its pusher is sure to
    /// come back to (the second half of a `join`): a stale read of the counters may then
    /// cost parallelism (a sleeper not woken for it), but never progress, and the common
    /// case — every worker busy — costs one shared read.
    #[inline]
    pub(crate) fn new_internal_job_unfenced(&self, queue_was_empty: impl FnOnce() -> bool) {
        self.wake_for_new_jobs(1, queue_was_empty);
    }

    /// `num_jobs` jobs were pushed onto the pool's injector.
    #[inline]
    pub(crate) fn new_injected_jobs(&self, num_jobs: u32, queue_was_empty: bool) {
        fence(Ordering::SeqCst);
        self.wake_for_new_jobs(num_jobs, || queue_was_empty);
    }

    /// One job was pushed onto every worker's broadcast queue: everyone must wake.
    pub(crate) fn new_broadcast_jobs(&self) {
        fence(Ordering::SeqCst);
        self.tell_sleepy_workers();
        for index in 0..self.workers.len() {
            self.wake_specific_thread(index);
        }
    }

    #[inline]
    fn wake_for_new_jobs(&self, num_jobs: u32, queue_was_empty: impl FnOnce() -> bool) {
        let counters = self.tell_sleepy_workers();
        let sleeping = counters.sleeping();
        if sleeping == 0 {
            return;
        }
        self.wake_sleepers(num_jobs, counters, queue_was_empty());
    }

    #[cold]
    fn wake_sleepers(&self, num_jobs: u32, counters: Counters, queue_was_empty: bool) {
        let sleeping = counters.sleeping();
        let awake_but_idle = counters.idle() - sleeping;
        let num_jobs = u64::from(num_jobs);
        let to_wake = if queue_was_empty {
            // Idle workers that are awake will find the job; wake only for the rest.
            num_jobs.saturating_sub(awake_but_idle)
        } else {
            // The queue was already backed up: the awake idle workers are not keeping up.
            num_jobs
        };
        self.wake_any_threads(to_wake.min(sleeping));
    }

    /// If some worker is sleepy, bump the jobs-event counter so that it searches again
    /// instead of sleeping. Returns the counters as left.
    #[inline]
    fn tell_sleepy_workers(&self) -> Counters {
        let mut current = self.load();
        while current.is_sleepy() {
            let bumped = Counters(current.0.wrapping_add(ONE_JEC));
            match self.counters.compare_exchange_weak(
                current.0,
                bumped.0,
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => return bumped,
                Err(actual) => current = Counters(actual),
            }
        }
        current
    }

    fn wake_any_threads(&self, mut count: u64) {
        if count == 0 {
            return;
        }
        for index in 0..self.workers.len() {
            if self.wake_specific_thread(index) {
                count -= 1;
                if count == 0 {
                    return;
                }
            }
        }
    }

    fn wake_specific_thread(&self, index: usize) -> bool {
        let state = &self.workers[index];
        let mut is_blocked = state.is_blocked.lock();
        if *is_blocked {
            *is_blocked = false;
            self.counters.fetch_sub(ONE_SLEEPING, Ordering::SeqCst);
            state.condvar.notify_one();
            true
        } else {
            false
        }
    }
}

#[cfg(all(test, loom))]
mod loom;

#[cfg(all(test, not(loom)))]
mod test;
