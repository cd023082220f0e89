//! Sleep and wake-up of idle workers, and the life cycle of the threads behind them (the
//! protocol is explained in `README.md` beside this file).
//!
//! A worker that finds no work spins briefly, then announces that it is *sleepy*, searches
//! once more, and only then blocks on its own condition variable. Whoever publishes work
//! checks, after publishing, whether any worker is sleepy or asleep: the jobs-event counter
//! tells sleepy workers that something changed, and sleeping ones are woken one per job.
//! When every worker is busy, publishing costs one fence and one shared read.
//!
//! How long a worker spins adapts: every worker halves its spin budget when spinning ended in
//! sleep anyway, or when a yield showed that other threads wanted the CPU (the machine is
//! oversubscribed), and doubles it again when spinning found work.
//!
//! Threads come and go with the load (`slot.rs`): a worker that slept for the pool's
//! keep-alive may retire, and a thread is started again when work needs it.

mod slot;

pub(crate) use slot::{Scaling, StartThread};

use crate::latch::CoreLatch;
use crate::sync::{fence, yield_now, AtomicU64, AtomicUsize, Condvar, Mutex, Ordering};
use crossbeam_utils::CachePadded;
use slot::{Slot, SlotState};
use std::fmt;
use std::time::{Duration, Instant};

/// The most rounds of yielding before a worker gets sleepy (one under loom, to keep the
/// models small).
const SPIN_ROUNDS: usize = if cfg!(loom) { 1 } else { 32 };

/// The fewest rounds of yielding a worker's adaptive spin budget goes down to.
const MIN_SPIN_ROUNDS: usize = if cfg!(loom) { 1 } else { 4 };

/// A yield that returns later than this gave the CPU to someone else for real.
const YIELD_STALL: Duration = Duration::from_micros(100);

/// A worker woken sooner than this after it fell asleep would have found its work by
/// spinning a little longer, without the round trip through the kernel (tens of
/// microseconds on a virtual machine, on the waker's side and on its own).
const SHORT_SLEEP: Duration = Duration::from_micros(200);

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

/// Where a searching worker stands on its way to sleep. Dropping it (the search ended)
/// tells the worker's spin budget whether spinning paid off.
#[derive(Debug)]
pub(crate) struct IdleState<'a> {
    sleep: &'a Sleep,
    worker_index: usize,
    rounds: usize,
    /// The spin budget for this search: rounds of yielding before getting sleepy.
    spin_rounds: usize,
    /// The jobs-event counter seen when this worker got sleepy.
    jobs_counter: u32,
    /// Set once spinning stopped paying off during this search (the worker slept, or a
    /// yield stalled): finding work afterwards does not raise the budget.
    spin_failed: bool,
    /// How often the worker blocked on its condition variable during this search.
    sleeps: u32,
    /// The idle part of this search, for telemetry and to time sleeps; `None` until the
    /// first yield.
    span: Option<IdleSpan>,
}

/// The part of a search that telemetry counts as idle, read off the clock readings the spin
/// loop takes anyway to see whether its yields stall: from the start of the search's first
/// yield to the end of its last yield, or to the moment its last sleep ended. The failed
/// searches before and between the yields fall inside it; the search that finally found work
/// does not, so telemetry reads no clock of its own on the way to a job.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(any(loom, not(feature = "telemetry")), allow(dead_code))]
pub(crate) struct IdleSpan {
    pub(crate) from: Instant,
    pub(crate) to: Instant,
}

// Telemetry reads the search's figures; without it they are kept but not read.
#[cfg_attr(any(loom, not(feature = "telemetry")), allow(dead_code))]
impl IdleState<'_> {
    /// How often the worker blocked during this search (read by telemetry).
    pub(crate) fn times_slept(&self) -> u32 {
        self.sleeps
    }

    /// The idle part of this search so far (read by telemetry); `None` while the worker has
    /// not yielded yet (never under loom, which has no clock).
    pub(crate) fn idle_span(&self) -> Option<IdleSpan> {
        self.span
    }

    /// The worker was idle from `from` to `to`.
    fn saw_idle(&mut self, from: Instant, to: Instant) {
        match &mut self.span {
            Some(span) => span.to = to,
            None => self.span = Some(IdleSpan { from, to }),
        }
    }

    /// The worker was idle until now (it woke up, or retires); returns how long it was
    /// since the end of its last yield (`None` under loom, which has no clock).
    fn saw_idle_until_now(&mut self) -> Option<Duration> {
        if cfg!(loom) {
            return None;
        }
        let now = Instant::now();
        let since_last_yield = self.span.map(|span| now.saturating_duration_since(span.to));
        self.saw_idle(now, now);
        since_last_yield
    }

    /// Yields the CPU once; returns how long the yield took (zero under loom).
    fn timed_yield(&mut self) -> Duration {
        if cfg!(loom) {
            yield_now();
            return Duration::ZERO;
        }
        let start = Instant::now();
        yield_now();
        let end = Instant::now();
        self.saw_idle(start, end);
        end.saturating_duration_since(start)
    }
}

impl Drop for IdleState<'_> {
    fn drop(&mut self) {
        // Work (or the awaited latch) turned up while the worker was still spinning.
        if !self.spin_failed && self.rounds > 0 && self.rounds <= self.spin_rounds {
            let sleep = self.sleep;
            sleep.raise_spin_budget(self);
        }
    }
}

/// One worker slot's sleep state.
#[derive(Debug)]
struct WorkerSleepState {
    slot: Mutex<Slot>,
    condvar: Condvar,
    /// The worker's spin budget; read and written only by the thread in the slot.
    spin_rounds: AtomicUsize,
}

/// The sleep state of one pool, and the life cycle of its threads.
pub(crate) struct Sleep {
    counters: AtomicU64,
    /// One per slot: `max_threads` of them.
    workers: Vec<CachePadded<WorkerSleepState>>,
    limits: Scaling,
    /// Starts a thread for a slot; `None` when the pool cannot start threads after it was
    /// built (its threads came from a custom spawn handler), and then nothing retires.
    start_thread: Option<Box<StartThread>>,
    /// Slots that have a thread.
    live_threads: AtomicUsize,
    /// One past the highest slot that ever had a thread: searches and wake-ups look no
    /// further.
    slot_bound: AtomicUsize,
}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sleep")
            .field("counters", &self.load())
            .field("limits", &self.limits)
            .field("live_threads", &self.live_threads())
            .finish_non_exhaustive()
    }
}

impl Sleep {
    /// The sleep state of a pool of `num_workers` threads that never retire.
    #[cfg(test)]
    pub(crate) fn new(num_workers: usize) -> Self {
        Sleep::with_scaling(Scaling::fixed(num_workers), None)
    }

    /// The sleep state of a pool with these limits. Slots below `min_threads` start with a
    /// thread (their starter calls [`Sleep::worker_starting`]), the other slots below
    /// `num_threads` start vacant, and the stand-in slots above start unused.
    pub(crate) fn with_scaling(limits: Scaling, start_thread: Option<Box<StartThread>>) -> Self {
        assert!(limits.max_threads <= MAX_THREADS);
        assert!(limits.min_threads <= limits.num_threads);
        assert!(limits.num_threads <= limits.max_threads);
        assert!(
            start_thread.is_some() || limits.is_fixed(),
            "a pool that cannot start threads cannot scale"
        );
        let vacant = (limits.num_threads - limits.min_threads) as u64;
        Sleep {
            counters: AtomicU64::new(vacant * (ONE_SLEEPING + ONE_IDLE)),
            workers: (0..limits.max_threads)
                .map(|index| {
                    CachePadded::new(WorkerSleepState {
                        slot: Mutex::new(Slot::initial(index, &limits)),
                        condvar: Condvar::new(),
                        spin_rounds: AtomicUsize::new(SPIN_ROUNDS),
                    })
                })
                .collect(),
            live_threads: AtomicUsize::new(limits.min_threads),
            slot_bound: AtomicUsize::new(limits.num_threads),
            limits,
            start_thread,
        }
    }

    #[inline]
    fn load(&self) -> Counters {
        Counters(self.counters.load(Ordering::SeqCst))
    }

    /// The pool's thread limits.
    pub(crate) fn limits(&self) -> &Scaling {
        &self.limits
    }

    /// A worker thread is being started: until it runs (and calls [`Sleep::work_found`]),
    /// it counts as idle, since it will look for work before anything else.
    pub(crate) fn worker_starting(&self) {
        self.counters.fetch_add(ONE_IDLE, Ordering::SeqCst);
    }

    /// True when some worker is idle (looking for work, asleep, about to start, or retired
    /// and ready to be started again): work made stealable now would be taken. A heuristic
    /// read, with no ordering.
    #[inline]
    pub(crate) fn has_idle_workers(&self) -> bool {
        Counters(self.counters.load(Ordering::Relaxed)).idle() > 0
    }

    /// A worker starts looking for work.
    #[inline]
    pub(crate) fn start_looking(&self, worker_index: usize) -> IdleState<'_> {
        self.counters.fetch_add(ONE_IDLE, Ordering::SeqCst);
        IdleState {
            sleep: self,
            worker_index,
            rounds: 0,
            spin_rounds: self.workers[worker_index]
                .spin_rounds
                .load(Ordering::Relaxed),
            jobs_counter: 0,
            spin_failed: false,
            sleeps: 0,
            span: None,
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
    pub(crate) fn no_work_found(&self, idle: &mut IdleState<'_>, latch: &CoreLatch) {
        self.idle_step(idle, latch, false);
    }

    /// [`Sleep::no_work_found`] for a worker in its main loop (`latch` is its termination
    /// latch), which may retire: returns true when the worker slept for the pool's
    /// keep-alive and its slot let it go. Its thread must then exit without calling
    /// [`Sleep::work_found`]; the counters already account for it.
    pub(crate) fn no_work_found_or_retire(
        &self,
        idle: &mut IdleState<'_>,
        latch: &CoreLatch,
    ) -> bool {
        self.idle_step(idle, latch, true)
    }

    fn idle_step(&self, idle: &mut IdleState<'_>, latch: &CoreLatch, may_retire: bool) -> bool {
        if idle.rounds < idle.spin_rounds {
            if idle.timed_yield() >= YIELD_STALL {
                // Other threads wanted this CPU: stop spinning and let them have it.
                self.lower_spin_budget(idle);
                idle.rounds = idle.spin_rounds;
            } else {
                idle.rounds += 1;
            }
            false
        } else if idle.rounds == idle.spin_rounds {
            idle.jobs_counter = self.announce_sleepy();
            // Pairs with the publisher's fence: either this worker's next search sees the
            // new job, or the publisher sees the announcement (see README.md).
            fence(Ordering::SeqCst);
            idle.rounds += 1;
            idle.timed_yield();
            false
        } else {
            self.sleep(idle, latch, may_retire)
        }
    }

    /// A sleep of `slept` (`None` where there is no clock) ended with a wake-up: a short
    /// one means the work came just after spinning gave up, so the worker spins longer
    /// next time; after a long one it spins less. Without the first half a worker whose
    /// budget had reached the floor during a quiet spell would stay there through a burst
    /// of short gaps (back-to-back `install`s of small jobs), paying two wake-ups per job.
    fn adapt_spin_budget_after_sleep(&self, idle: &mut IdleState<'_>, slept: Option<Duration>) {
        match slept {
            Some(slept) if slept < SHORT_SLEEP => self.raise_spin_budget(idle),
            _ => self.lower_spin_budget(idle),
        }
    }

    /// Spinning would have paid off for this worker: double its budget.
    fn raise_spin_budget(&self, idle: &mut IdleState<'_>) {
        let doubled = (idle.spin_rounds * 2).min(SPIN_ROUNDS);
        if doubled != idle.spin_rounds {
            idle.spin_rounds = doubled;
            self.workers[idle.worker_index]
                .spin_rounds
                .store(doubled, Ordering::Relaxed);
        }
    }

    /// Spinning did not pay off for this worker: halve its budget.
    fn lower_spin_budget(&self, idle: &mut IdleState<'_>) {
        idle.spin_failed = true;
        let halved = (idle.spin_rounds / 2).max(MIN_SPIN_ROUNDS);
        if halved != idle.spin_rounds {
            idle.spin_rounds = halved;
            self.workers[idle.worker_index]
                .spin_rounds
                .store(halved, Ordering::Relaxed);
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

    /// Blocks the worker until it is woken; returns true if it retired instead.
    fn sleep(&self, idle: &mut IdleState<'_>, latch: &CoreLatch, may_retire: bool) -> bool {
        if !latch.get_sleepy() {
            return false;
        }
        let state = &self.workers[idle.worker_index];
        let mut slot = state.slot.lock();
        if !latch.fall_asleep() {
            idle.rounds = 0;
            return false;
        }
        // Become a sleeper only if no job was published since this worker got sleepy (and
        // searched once more): a publisher that came later sees the sleeper count and wakes
        // someone; one that came earlier changed the counter, so this worker searches again.
        let mut current = self.load();
        loop {
            if current.jobs_counter() != idle.jobs_counter {
                drop(slot);
                latch.wake_up();
                idle.rounds = idle.spin_rounds / 2;
                return false;
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
        slot.state = SlotState::Blocked;
        idle.sleeps += 1;
        let retirement = if may_retire {
            self.retirement(idle.worker_index)
        } else {
            None
        };
        while slot.state == SlotState::Blocked {
            match retirement {
                None => slot = state.condvar.wait(slot),
                Some(retirement) => {
                    let (guard, timed_out) =
                        state.condvar.wait_timeout(slot, self.limits.keep_alive);
                    slot = guard;
                    if timed_out && self.try_retire(&mut slot, retirement) {
                        idle.saw_idle_until_now();
                        return true;
                    }
                }
            }
        }
        drop(slot);
        let slept = idle.saw_idle_until_now();
        self.adapt_spin_budget_after_sleep(idle, slept);
        idle.rounds = 0;
        latch.wake_up();
        false
    }

    /// Threads blocked on their condition variable now (a gauge for telemetry: it takes
    /// every slot's lock in turn, so it is for occasional reads only).
    #[cfg(feature = "telemetry")]
    pub(crate) fn blocked_threads(&self) -> usize {
        self.workers
            .iter()
            .filter(|state| state.slot.lock().state == SlotState::Blocked)
            .count()
    }

    /// Wakes `worker_index`, which sleeps on a latch that was just set.
    pub(crate) fn notify_worker_latch_is_set(&self, worker_index: usize) {
        self.wake_specific_thread(worker_index, false);
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
    /// come back to (the second half of a `join`) or one pushed behind an older job still in
    /// the deque (see `WorkerThread::push`): a stale read of the counters may then cost
    /// parallelism (a sleeper not woken for it), but never progress, and the common case —
    /// every worker busy — costs one shared read.
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

    /// One job was pushed onto the broadcast queue of every slot below `num_threads`:
    /// everyone must wake, and vacant slots get a thread again.
    pub(crate) fn new_broadcast_jobs(&self) {
        fence(Ordering::SeqCst);
        self.tell_sleepy_workers();
        for index in 0..self.limits.num_threads {
            self.wake_specific_thread(index, true);
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

    /// Wakes up to `count` sleepers: blocked threads first, then vacant slots, which get a
    /// thread again.
    fn wake_any_threads(&self, mut count: u64) {
        if count == 0 {
            return;
        }
        for restart in [false, true] {
            let slots = if restart {
                self.limits.min_threads..self.limits.num_threads
            } else {
                0..self.slot_bound()
            };
            for index in slots {
                if self.wake_specific_thread(index, restart) {
                    count -= 1;
                    if count == 0 {
                        return;
                    }
                }
            }
        }
    }

    /// Wakes the thread of slot `index` if it is blocked, or, with `restart`, starts one if
    /// the slot is vacant. Returns whether a thread was woken or started.
    fn wake_specific_thread(&self, index: usize, restart: bool) -> bool {
        let state = &self.workers[index];
        let mut slot = state.slot.lock();
        match slot.state {
            SlotState::Blocked => {
                slot.state = SlotState::Running;
                self.counters.fetch_sub(ONE_SLEEPING, Ordering::SeqCst);
                state.condvar.notify_one();
                true
            }
            SlotState::Vacant if restart => {
                // The slot stays counted as idle: its new thread searches first.
                slot.state = SlotState::Running;
                self.live_threads.fetch_add(1, Ordering::SeqCst);
                self.counters.fetch_sub(ONE_SLEEPING, Ordering::SeqCst);
                drop(slot);
                self.start(index)
            }
            SlotState::Running | SlotState::Vacant | SlotState::Unused => false,
        }
    }
}

#[cfg(all(test, loom))]
mod loom;

#[cfg(all(test, not(loom)))]
mod test;
