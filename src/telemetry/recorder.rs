//! The collecting side: one cache-padded block of counters per worker slot, written only by
//! the slot's thread, and the pool-wide parts that are written rarely (named tasks, faults).
//!
//! A worker bumps its own counters with a relaxed load and a relaxed store — no
//! read-modify-write, no fence — into a block no other thread writes, so the cache line
//! stays with its owner until a snapshot reads it. Latency samples go into the worker's own
//! histograms behind a mutex that only its owner and the rare snapshot take.

use super::latency::Latency;
use super::metrics::{NamedTaskSnapshot, WorkerCounters};
use super::{FaultEvent, TaskOutcome};
use crate::registry::WorkerThread;
use crate::sleep::{IdleSpan, IdleState};
use crate::sync::{AtomicU64, AtomicUsize, Mutex, Ordering};
use crossbeam_utils::CachePadded;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// By default one job in this many (per submitting thread) is timed for the latency
/// histograms.
pub(crate) const DEFAULT_SAMPLE_EVERY: u32 = 128;

/// Distinguishes pools in exported labels.
static NEXT_POOL_ID: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Jobs this thread still submits untimed before it times the next one.
    static UNTIMED_LEFT: Cell<u32> = const { Cell::new(0) };
}

/// Adds `by` to a counter that only the calling thread writes: a relaxed load and store.
#[inline]
fn bump(counter: &AtomicU64, by: u64) {
    counter.store(
        counter.load(Ordering::Relaxed).wrapping_add(by),
        Ordering::Relaxed,
    );
}

/// A duration in nanoseconds, saturating.
fn duration_nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

/// Nanoseconds from `epoch` to now.
fn nanos_since(epoch: Instant) -> u64 {
    duration_nanos(epoch.elapsed())
}

/// One pool's telemetry.
pub(crate) struct PoolTelemetry {
    id: usize,
    epoch: Instant,
    /// One per slot, stand-ins included.
    workers: Box<[CachePadded<WorkerRecorder>]>,
    /// Time one job in this many; 0 times none.
    sample_every: AtomicU64,
    named: Mutex<BTreeMap<String, NamedTaskRecord>>,
    /// Indexed by [`FaultEvent::index`].
    faults: [AtomicU64; FaultEvent::COUNT],
}

impl std::fmt::Debug for PoolTelemetry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PoolTelemetry")
            .field("id", &self.id)
            .field("slots", &self.workers.len())
            .finish_non_exhaustive()
    }
}

impl PoolTelemetry {
    /// The telemetry of a new pool with `num_slots` worker slots.
    pub(crate) fn new(num_slots: usize) -> Self {
        let epoch = Instant::now();
        PoolTelemetry {
            id: NEXT_POOL_ID.fetch_add(1, Ordering::Relaxed),
            epoch,
            workers: (0..num_slots)
                .map(|_| CachePadded::new(WorkerRecorder::new(epoch)))
                .collect(),
            sample_every: AtomicU64::new(u64::from(DEFAULT_SAMPLE_EVERY)),
            named: Mutex::new(BTreeMap::new()),
            faults: std::array::from_fn(|_| AtomicU64::new(0)),
        }
    }

    /// A number unique to this pool within the process.
    pub(crate) fn id(&self) -> usize {
        self.id
    }

    /// Time since the pool started.
    pub(crate) fn uptime(&self) -> Duration {
        self.epoch.elapsed()
    }

    pub(crate) fn now_nanos(&self) -> u64 {
        nanos_since(self.epoch)
    }

    /// The recorder of slot `index`.
    #[inline]
    pub(crate) fn worker(&self, index: usize) -> &WorkerRecorder {
        &self.workers[index]
    }

    pub(crate) fn sample_every(&self) -> u32 {
        u32::try_from(self.sample_every.load(Ordering::Relaxed)).unwrap_or(u32::MAX)
    }

    /// Sets the period; the calling thread's countdown starts over, so the period applies
    /// at once to the jobs this thread submits next.
    pub(crate) fn set_sample_every(&self, every: u32) {
        self.sample_every.store(u64::from(every), Ordering::Relaxed);
        UNTIMED_LEFT.set(0);
    }

    /// Decides whether the job about to be queued is one of the timed ones, and if so notes
    /// when it was queued; an untimed job carries nothing. Each submitting thread counts
    /// down its own budget of untimed jobs and reads the pool's period only when the budget
    /// runs out, so a change of the period takes effect on a thread after at most one
    /// period of the old value.
    #[inline]
    pub(crate) fn sample_job(&self) -> Option<JobStamp> {
        let untimed = UNTIMED_LEFT.get();
        if untimed > 0 {
            UNTIMED_LEFT.set(untimed - 1);
            return None;
        }
        self.sample_job_cold()
    }

    #[cold]
    fn sample_job_cold(&self) -> Option<JobStamp> {
        match self.sample_every() {
            0 => {
                // Sampling is off: look again after a default period.
                UNTIMED_LEFT.set(DEFAULT_SAMPLE_EVERY - 1);
                None
            }
            every => {
                UNTIMED_LEFT.set(every - 1);
                Some(JobStamp(Instant::now()))
            }
        }
    }

    /// Records one run of a named task: how long it waited in a queue (if known), how long
    /// it ran, and how it ended; the fault-isolation tasks (`src/fault/report.rs`) call it
    /// after every attempt of a named task.
    pub(crate) fn record_named_task(
        &self,
        name: &str,
        queue_wait: Option<Duration>,
        run_time: Duration,
        outcome: TaskOutcome,
    ) {
        let mut named = self.named.lock();
        let record = match named.get_mut(name) {
            Some(record) => record,
            None => named.entry(name.to_owned()).or_default(),
        };
        record.outcomes[outcome.index()] += 1;
        if let Some(wait) = queue_wait {
            record.queue_wait.record(wait);
        }
        record.run_time.record(run_time);
    }

    /// Counts a fault event (a panic no caller waited for, a retry, a timeout, ...).
    pub(crate) fn record_fault(&self, event: FaultEvent) {
        self.faults[event.index()].fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn fault_count(&self, event: FaultEvent) -> u64 {
        self.faults[event.index()].load(Ordering::Relaxed)
    }

    /// The named-task table, sorted by name.
    pub(crate) fn named_tasks(&self) -> Vec<NamedTaskSnapshot> {
        self.named
            .lock()
            .iter()
            .map(|(name, record)| NamedTaskSnapshot {
                name: name.clone(),
                completed: record.outcomes[TaskOutcome::Completed.index()],
                failed: record.outcomes[TaskOutcome::Failed.index()],
                panicked: record.outcomes[TaskOutcome::Panicked.index()],
                timed_out: record.outcomes[TaskOutcome::TimedOut.index()],
                cancelled: record.outcomes[TaskOutcome::Cancelled.index()],
                queue_wait: record.queue_wait.clone(),
                run_time: record.run_time.clone(),
            })
            .collect()
    }
}

/// What the table keeps per task name.
#[derive(Default)]
struct NamedTaskRecord {
    /// Indexed by [`TaskOutcome::index`].
    outcomes: [u64; TaskOutcome::COUNT],
    queue_wait: Latency,
    run_time: Latency,
}

/// One slot's counters; every field is written only by the slot's current thread.
///
/// `repr(C)`: the counters a worker writes between finding a job and running it (a task
/// run, an injector pop or steal, the end of an idle spell) fill the first cache line, so
/// the wake-up path touches one line of telemetry.
#[derive(Debug)]
#[repr(C)]
pub(crate) struct WorkerRecorder {
    tasks: AtomicU64,
    steals: AtomicU64,
    steal_attempts: AtomicU64,
    injector_pops: AtomicU64,
    parks: AtomicU64,
    wakeups: AtomicU64,
    idle_nanos: AtomicU64,
    /// One plus the start of the idle spell under way (nanoseconds since the epoch), or 0.
    idle_since: AtomicU64,
    /// Lifetime of the slot's threads that have ended.
    alive_nanos: AtomicU64,
    /// One plus the start of the slot's running thread, or 0.
    alive_since: AtomicU64,
    epoch: Instant,
    latency: Mutex<LatencyPair>,
}

// The wake-up path's counters share the first cache line (see `WorkerRecorder`).
const _: () = assert!(std::mem::offset_of!(WorkerRecorder, idle_since) + 8 <= 64);

/// A worker's latency histograms.
#[derive(Clone, Debug, Default)]
pub(crate) struct LatencyPair {
    pub(crate) queue_wait: Latency,
    pub(crate) run_time: Latency,
}

/// What a snapshot reads from one slot.
pub(crate) struct WorkerReading {
    pub(crate) counters: WorkerCounters,
    pub(crate) alive: bool,
    pub(crate) idle: bool,
    pub(crate) latency: LatencyPair,
}

impl WorkerRecorder {
    fn new(epoch: Instant) -> Self {
        WorkerRecorder {
            epoch,
            tasks: AtomicU64::new(0),
            steals: AtomicU64::new(0),
            steal_attempts: AtomicU64::new(0),
            injector_pops: AtomicU64::new(0),
            parks: AtomicU64::new(0),
            wakeups: AtomicU64::new(0),
            idle_nanos: AtomicU64::new(0),
            idle_since: AtomicU64::new(0),
            alive_nanos: AtomicU64::new(0),
            alive_since: AtomicU64::new(0),
            latency: Mutex::new(LatencyPair::default()),
        }
    }

    /// A job taken from a queue (deque, FIFO, broadcast queue, injector, or a victim's
    /// deque) is about to run.
    #[inline]
    pub(crate) fn task_run(&self) {
        bump(&self.tasks, 1);
    }

    /// The worker looks through the other workers' deques.
    #[inline]
    pub(crate) fn steal_attempt(&self) {
        bump(&self.steal_attempts, 1);
    }

    /// The search took a job from another worker's deque.
    #[inline]
    pub(crate) fn steal_success(&self) {
        bump(&self.steals, 1);
    }

    /// The search took a job from the pool's injector.
    #[inline]
    pub(crate) fn injector_pop(&self) {
        bump(&self.injector_pops, 1);
    }

    /// The slot's thread starts.
    pub(crate) fn thread_started(&self) {
        self.alive_since
            .store(nanos_since(self.epoch) + 1, Ordering::Relaxed);
    }

    /// The slot's thread ends (or retires).
    pub(crate) fn thread_stopped(&self) {
        let since = self.alive_since.load(Ordering::Relaxed);
        if since != 0 {
            bump(
                &self.alive_nanos,
                nanos_since(self.epoch).saturating_sub(since - 1),
            );
            self.alive_since.store(0, Ordering::Relaxed);
        }
    }

    /// The idle accounting of one search for work.
    #[inline]
    pub(crate) fn idle_timer(&self) -> IdleTimer<'_> {
        IdleTimer {
            recorder: self,
            shown: false,
        }
    }

    /// `instant` in nanoseconds since the pool's epoch.
    fn nanos_at(&self, instant: Instant) -> u64 {
        duration_nanos(instant.saturating_duration_since(self.epoch))
    }

    fn record_latency(&self, queue_wait: Duration, run_time: Duration) {
        let mut latency = self.latency.lock();
        latency.queue_wait.record(queue_wait);
        latency.run_time.record(run_time);
    }

    /// Reads the slot at `now` (nanoseconds since the epoch).
    pub(crate) fn read(&self, now: u64) -> WorkerReading {
        let load = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        let idle_since = load(&self.idle_since);
        let alive_since = load(&self.alive_since);
        let idle_now = match idle_since {
            0 => 0,
            since => now.saturating_sub(since - 1),
        };
        let alive_now = match alive_since {
            0 => 0,
            since => now.saturating_sub(since - 1),
        };
        let idle = load(&self.idle_nanos) + idle_now;
        let alive = load(&self.alive_nanos) + alive_now;
        WorkerReading {
            counters: WorkerCounters {
                tasks: load(&self.tasks),
                steals: load(&self.steals),
                steal_attempts: load(&self.steal_attempts),
                injector_pops: load(&self.injector_pops),
                parks: load(&self.parks),
                wakeups: load(&self.wakeups),
                busy: Duration::from_nanos(alive.saturating_sub(idle)),
                idle: Duration::from_nanos(idle),
            },
            alive: alive_since != 0,
            idle: idle_since != 0,
            latency: self.latency.lock().clone(),
        }
    }
}

/// Accounts one search for work of a worker as idle time. The times come from the sleep
/// protocol's [`IdleSpan`], which the spin loop fills from the clock readings it takes anyway:
/// the timer itself reads no clock, and a search that succeeds at once costs it nothing.
#[derive(Debug)]
pub(crate) struct IdleTimer<'a> {
    recorder: &'a WorkerRecorder,
    /// Whether the slot shows as idle (its `idle_since` is set).
    shown: bool,
}

impl IdleTimer<'_> {
    /// A search came back empty and the worker spun or slept: from now on the slot shows as
    /// idle, since the start of its idle span.
    #[inline]
    pub(crate) fn searched_in_vain(&mut self, idle: &IdleState<'_>) {
        if !self.shown {
            self.show_idle(idle);
        }
    }

    #[cold]
    fn show_idle(&mut self, idle: &IdleState<'_>) {
        if let Some(span) = idle.idle_span() {
            let since = self.recorder.nanos_at(span.from);
            self.recorder.idle_since.store(since + 1, Ordering::Relaxed);
            self.shown = true;
        }
    }

    /// The search ended; `retired` tells whether it ended by retiring the thread rather
    /// than with work or the awaited latch.
    #[inline]
    pub(crate) fn stop(self, idle: &IdleState<'_>, retired: bool) {
        if let Some(span) = idle.idle_span() {
            self.record(span, idle.times_slept(), retired);
        }
    }

    #[inline]
    fn record(&self, span: IdleSpan, parks: u32, retired: bool) {
        let recorder = self.recorder;
        bump(
            &recorder.idle_nanos,
            duration_nanos(span.to.saturating_duration_since(span.from)),
        );
        recorder.idle_since.store(0, Ordering::Relaxed);
        let parks = u64::from(parks);
        bump(&recorder.parks, parks);
        bump(&recorder.wakeups, parks.saturating_sub(u64::from(retired)));
    }
}

/// When a sampled job was queued.
#[derive(Debug)]
pub(crate) struct JobStamp(Instant);

impl JobStamp {
    /// Runs the body of a sampled job and records its queue wait and run time on the
    /// worker that runs it.
    #[inline]
    pub(crate) fn run<R>(self, body: impl FnOnce() -> R) -> R {
        run_stamped(Some(self), body)
    }

    /// The job's body starts now.
    #[cold]
    fn start(self) -> RunningJob {
        RunningJob {
            queued: self.0,
            started: Instant::now(),
        }
    }
}

/// A sampled job whose body is running.
struct RunningJob {
    queued: Instant,
    started: Instant,
}

impl RunningJob {
    /// The body returned: records the job's queue wait and run time on the worker that ran it.
    #[cold]
    #[inline(never)]
    fn finish(self) {
        let run_time = self.started.elapsed();
        if let Some(worker) = WorkerThread::current_ref() {
            worker.recorder().record_latency(
                self.started.saturating_duration_since(self.queued),
                run_time,
            );
        }
    }
}

/// Runs a job's `body`, timed if the job is one of the sampled ones. The body is inlined
/// once, not once per case: a job whose body is a whole parallel call must not carry two
/// copies of it (the second copy changed the compiler's inlining inside the call).
#[inline]
pub(crate) fn run_stamped<R>(stamp: Option<JobStamp>, body: impl FnOnce() -> R) -> R {
    let running = stamp.map(JobStamp::start);
    let result = body();
    if let Some(running) = running {
        running.finish();
    }
    result
}
