//! The reading side: [`Metrics`], a handle on one pool's telemetry, and [`Snapshot`], what
//! it reads at one moment.

pub use super::latency::{Latency, Percentiles};
use super::recorder::LatencyPair;
use super::FaultEvent;
use crate::registry::{self, Registry};
use crate::sync::Arc;
use std::fmt;
use std::time::Duration;

/// A handle on the telemetry of one pool: the global pool ([`Metrics::global`]) or a
/// [`ThreadPool`](crate::ThreadPool) ([`ThreadPool::metrics`](crate::ThreadPool::metrics)).
///
/// Reading costs the workers nothing until [`Metrics::snapshot`] is called; a snapshot reads
/// every worker's counters and merges their histograms.
///
/// # Examples
///
/// ```
/// use veda::telemetry::metrics::Metrics;
///
/// let pool = veda::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
/// pool.scope(|s| {
///     for _ in 0..10 {
///         s.spawn(|_| {});
///     }
/// });
/// let snapshot: veda::telemetry::metrics::Snapshot = pool.metrics().snapshot();
/// assert!(snapshot.totals.tasks >= 10);
/// let global = Metrics::global().snapshot();
/// assert_eq!(global.pool, "global");
/// ```
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    label: String,
}

impl fmt::Debug for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Metrics")
            .field("pool", &self.label)
            .finish_non_exhaustive()
    }
}

impl Metrics {
    /// The global pool's metrics; starts the global pool if it is not running. After
    /// [`shutdown`](crate::shutdown), the handle still reads the pool that ended: call
    /// `global()` again for the next one.
    pub fn global() -> Metrics {
        Metrics {
            registry: Arc::clone(&registry::global_keepalive()),
            label: "global".to_owned(),
        }
    }

    /// The metrics of the pool behind `registry`, labelled `pool-<id>`.
    pub(crate) fn of_pool(registry: &Arc<Registry>) -> Metrics {
        Metrics {
            label: format!("pool-{}", registry.telemetry().id()),
            registry: Arc::clone(registry),
        }
    }

    /// The pool's label in snapshots and exports: `global`, or `pool-<n>` with a number
    /// unique within the process.
    pub fn pool_label(&self) -> &str {
        &self.label
    }

    /// How often jobs are timed for the latency histograms: one job in this many, counted
    /// per submitting thread (0: none).
    pub fn sample_every(&self) -> u32 {
        self.registry.telemetry().sample_every()
    }

    /// Times one job in `every` for the latency histograms (1: every job; 0: none). Only
    /// jobs that go through a queue are timed (spawns, scope spawns, `install` from outside
    /// the pool), never the halves of a `join`. The default, 128, keeps the cost of timing
    /// below the noise of spawn-heavy workloads. Each submitting thread counts down its
    /// own budget of untimed jobs: a change applies at once to the calling thread, and to
    /// another thread after at most one period of the previous value.
    pub fn set_sample_every(&self, every: u32) {
        self.registry.telemetry().set_sample_every(every);
    }

    /// Reads the pool's counters, gauges and histograms now.
    pub fn snapshot(&self) -> Snapshot {
        let registry = &*self.registry;
        let telemetry = registry.telemetry();
        let now = telemetry.now_nanos();
        let num_threads = registry.num_threads();
        let mut totals = WorkerCounters::default();
        let mut latency = LatencyPair::default();
        let mut workers = Vec::new();
        let mut idle_workers = 0;
        for index in 0..registry.limits().max_threads {
            let reading = telemetry.worker(index).read(now);
            latency.queue_wait.merge(&reading.latency.queue_wait);
            latency.run_time.merge(&reading.latency.run_time);
            totals = totals.plus(&reading.counters);
            idle_workers += usize::from(reading.alive && reading.idle);
            // Stand-in slots appear once they were used.
            if index < num_threads || reading.alive || reading.counters.tasks > 0 {
                workers.push(WorkerSnapshot {
                    index,
                    stand_in: index >= num_threads,
                    alive: reading.alive,
                    idle: reading.idle,
                    queue_depth: registry.deque_depth(index),
                    counters: reading.counters,
                });
            }
        }
        let alive = registry.live_threads();
        let (on_time, ran_late, dropped) = registry.priorities.deadline_counts();
        let deque_depth = workers.iter().map(|worker| worker.queue_depth).sum();
        Snapshot {
            pool: self.label.clone(),
            uptime: telemetry.uptime(),
            sample_every: telemetry.sample_every(),
            totals,
            workers,
            gauges: Gauges {
                workers_alive: alive,
                workers_active: alive.saturating_sub(idle_workers),
                workers_idle: idle_workers,
                workers_sleeping: registry.sleep.blocked_threads(),
                injector_depth: registry.injector_depth(),
                deque_depth,
            },
            queue_wait: latency.queue_wait,
            run_time: latency.run_time,
            named_tasks: telemetry.named_tasks(),
            faults: FaultCounts {
                panics: telemetry.fault_count(FaultEvent::Panic),
                retries: telemetry.fault_count(FaultEvent::Retry),
                timeouts: telemetry.fault_count(FaultEvent::Timeout),
                cancellations: telemetry.fault_count(FaultEvent::Cancellation),
                breaker_transitions: telemetry.fault_count(FaultEvent::BreakerTransition),
            },
            deadlines: DeadlineCounts {
                on_time,
                ran_late,
                dropped,
            },
        }
    }
}

impl crate::ThreadPool {
    /// This pool's metrics.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = veda::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    /// pool.install(|| veda::join(|| 1, || 2));
    /// let snapshot = pool.metrics().snapshot();
    /// assert_eq!(snapshot.workers.len(), 2);
    /// ```
    pub fn metrics(&self) -> Metrics {
        Metrics::of_pool(self.registry())
    }
}

/// What one pool did and how it stands, read at one moment by [`Metrics::snapshot`].
///
/// Counters count since the pool started; [`Snapshot::delta`] gives those of an interval.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Snapshot {
    /// The pool's label: `global` or `pool-<n>`.
    pub pool: String,
    /// Time since the pool started (for a delta: the interval's length).
    pub uptime: Duration,
    /// One job in this many was timed for `queue_wait` and `run_time`.
    pub sample_every: u32,
    /// The sum of every worker's counters.
    pub totals: WorkerCounters,
    /// Per worker slot: the pool's workers, then stand-ins that ever ran.
    pub workers: Vec<WorkerSnapshot>,
    /// The pool's state now.
    pub gauges: Gauges,
    /// How long sampled jobs waited in a queue before a worker started them.
    pub queue_wait: Latency,
    /// How long sampled jobs ran.
    pub run_time: Latency,
    /// Tasks run with a name, sorted by name.
    pub named_tasks: Vec<NamedTaskSnapshot>,
    /// Fault events.
    pub faults: FaultCounts,
    /// Tasks with a deadline, by whether they started by it.
    pub deadlines: DeadlineCounts,
}

/// One worker's counters.
///
/// `tasks` counts the jobs a worker took from a queue and ran: from its own deque (or
/// FIFO, or broadcast queue), stolen from another worker's deque, or popped from the pool's
/// injector. The halves of a `join` that its caller ran itself never were in a queue and
/// are not counted; they show up as busy time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorkerCounters {
    /// Jobs taken from a queue and run.
    pub tasks: u64,
    /// Jobs taken from another worker's deque.
    pub steals: u64,
    /// Sweeps through the other workers' deques (successful or not).
    pub steal_attempts: u64,
    /// Jobs taken from the pool's injector (submitted from outside the pool).
    pub injector_pops: u64,
    /// Times the worker blocked for lack of work.
    pub parks: u64,
    /// Times it was woken from blocking (parks that ended in retirement are not).
    pub wakeups: u64,
    /// Time alive and not idle.
    pub busy: Duration,
    /// Time searching for work or blocked, from the first search that came back empty.
    pub idle: Duration,
}

impl WorkerCounters {
    fn plus(&self, other: &WorkerCounters) -> WorkerCounters {
        WorkerCounters {
            tasks: self.tasks + other.tasks,
            steals: self.steals + other.steals,
            steal_attempts: self.steal_attempts + other.steal_attempts,
            injector_pops: self.injector_pops + other.injector_pops,
            parks: self.parks + other.parks,
            wakeups: self.wakeups + other.wakeups,
            busy: self.busy + other.busy,
            idle: self.idle + other.idle,
        }
    }

    fn since(&self, earlier: &WorkerCounters) -> WorkerCounters {
        WorkerCounters {
            tasks: self.tasks.saturating_sub(earlier.tasks),
            steals: self.steals.saturating_sub(earlier.steals),
            steal_attempts: self.steal_attempts.saturating_sub(earlier.steal_attempts),
            injector_pops: self.injector_pops.saturating_sub(earlier.injector_pops),
            parks: self.parks.saturating_sub(earlier.parks),
            wakeups: self.wakeups.saturating_sub(earlier.wakeups),
            busy: self.busy.saturating_sub(earlier.busy),
            idle: self.idle.saturating_sub(earlier.idle),
        }
    }
}

/// One worker slot in a [`Snapshot`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorkerSnapshot {
    /// The slot's index (what [`current_thread_index`](crate::current_thread_index) says on
    /// its thread).
    pub index: usize,
    /// True for a stand-in slot (threads started while workers block in
    /// [`block_in_place`](crate::block_in_place)).
    pub stand_in: bool,
    /// Whether the slot has a running thread (false once it retired).
    pub alive: bool,
    /// Whether the thread is searching for work or blocked.
    pub idle: bool,
    /// Jobs waiting in the slot's deque.
    pub queue_depth: usize,
    /// What the slot's threads did.
    pub counters: WorkerCounters,
}

/// A pool's state at the moment of the snapshot.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Gauges {
    /// Threads working for the pool (stand-ins included, retired threads not).
    pub workers_alive: usize,
    /// Alive threads that are not idle.
    pub workers_active: usize,
    /// Alive threads searching for work or blocked.
    pub workers_idle: usize,
    /// Threads blocked until work arrives.
    pub workers_sleeping: usize,
    /// Jobs waiting in the pool's injector.
    pub injector_depth: usize,
    /// Jobs waiting in the workers' deques, all together.
    pub deque_depth: usize,
}

/// What the pool knows of one task name.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct NamedTaskSnapshot {
    /// The task's name.
    pub name: String,
    /// Runs that returned a value.
    pub completed: u64,
    /// Runs that returned an error.
    pub failed: u64,
    /// Runs that panicked.
    pub panicked: u64,
    /// Runs stopped by their deadline.
    pub timed_out: u64,
    /// Runs cancelled before or while they ran.
    pub cancelled: u64,
    /// How long runs waited in a queue (when the runner knew).
    pub queue_wait: Latency,
    /// How long runs took.
    pub run_time: Latency,
}

impl NamedTaskSnapshot {
    /// All runs, whatever their outcome.
    pub fn runs(&self) -> u64 {
        self.outcomes().iter().map(|(_, count)| count).sum()
    }

    /// The run counts by outcome, each with the label exporters give it: `completed`,
    /// `failed`, `panicked`, `timed_out` and `cancelled`.
    pub fn outcomes(&self) -> [(&'static str, u64); 5] {
        [
            ("completed", self.completed),
            ("failed", self.failed),
            ("panicked", self.panicked),
            ("timed_out", self.timed_out),
            ("cancelled", self.cancelled),
        ]
    }

    fn since(&self, earlier: &NamedTaskSnapshot) -> NamedTaskSnapshot {
        NamedTaskSnapshot {
            name: self.name.clone(),
            completed: self.completed.saturating_sub(earlier.completed),
            failed: self.failed.saturating_sub(earlier.failed),
            panicked: self.panicked.saturating_sub(earlier.panicked),
            timed_out: self.timed_out.saturating_sub(earlier.timed_out),
            cancelled: self.cancelled.saturating_sub(earlier.cancelled),
            queue_wait: self.queue_wait.since(&earlier.queue_wait),
            run_time: self.run_time.since(&earlier.run_time),
        }
    }
}

/// Fault events of a pool. `panics` counts panics of jobs nobody waited for (spawns),
/// which went to the pool's panic handler, and those reported by fault isolation; the
/// others are reported by fault isolation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FaultCounts {
    /// Job panics.
    pub panics: u64,
    /// Retries of failed tasks.
    pub retries: u64,
    /// Tasks stopped by their deadline.
    pub timeouts: u64,
    /// Tasks cancelled.
    pub cancellations: u64,
    /// Circuit-breaker state changes.
    pub breaker_transitions: u64,
}

impl FaultCounts {
    fn since(&self, earlier: &FaultCounts) -> FaultCounts {
        FaultCounts {
            panics: self.panics.saturating_sub(earlier.panics),
            retries: self.retries.saturating_sub(earlier.retries),
            timeouts: self.timeouts.saturating_sub(earlier.timeouts),
            cancellations: self.cancellations.saturating_sub(earlier.cancellations),
            breaker_transitions: self
                .breaker_transitions
                .saturating_sub(earlier.breaker_transitions),
        }
    }
}

/// Tasks that carried a deadline ([`fault::Task::deadline`](crate::fault::Task::deadline)),
/// counted when their turn came: by the deadline, or after it (a *miss*), in which case the
/// task either ran late or was dropped unrun, as its builder chose
/// ([`OnDeadlineMiss`](crate::OnDeadlineMiss)).
///
/// # Examples
///
/// ```
/// use std::time::{Duration, Instant};
/// use veda::fault::Task;
///
/// let pool = veda::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
/// let past = Instant::now() - Duration::from_millis(1);
/// Task::new().deadline(past).spawn_in(&pool, |_| ()).join().unwrap();
/// let deadlines = pool.metrics().snapshot().deadlines;
/// assert_eq!((deadlines.ran_late, deadlines.missed()), (1, 1));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeadlineCounts {
    /// Tasks whose turn came by their deadline.
    pub on_time: u64,
    /// Tasks whose turn came after their deadline, and that ran anyway.
    pub ran_late: u64,
    /// Tasks whose turn came after their deadline, and that were dropped unrun.
    pub dropped: u64,
}

impl DeadlineCounts {
    /// Deadlines missed: tasks run late or dropped.
    pub fn missed(&self) -> u64 {
        self.ran_late + self.dropped
    }

    /// Every task with a deadline whose turn came.
    pub fn total(&self) -> u64 {
        self.on_time + self.missed()
    }

    fn since(&self, earlier: &DeadlineCounts) -> DeadlineCounts {
        DeadlineCounts {
            on_time: self.on_time.saturating_sub(earlier.on_time),
            ran_late: self.ran_late.saturating_sub(earlier.ran_late),
            dropped: self.dropped.saturating_sub(earlier.dropped),
        }
    }
}

impl Snapshot {
    /// What happened between `earlier` (a snapshot of the same pool) and this snapshot:
    /// counters, histograms and named tasks of the interval; gauges as of this snapshot.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = veda::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    /// let metrics = pool.metrics();
    /// let before = metrics.snapshot();
    /// pool.scope(|s| (0..5).for_each(|_| s.spawn(|_| {})));
    /// let interval = metrics.snapshot().delta(&before);
    /// assert_eq!(interval.totals.tasks, 6); // the scope's body, and its five spawns
    /// ```
    pub fn delta(&self, earlier: &Snapshot) -> Snapshot {
        let workers = self
            .workers
            .iter()
            .map(|worker| {
                let before = earlier
                    .workers
                    .iter()
                    .find(|old| old.index == worker.index)
                    .map(|old| old.counters)
                    .unwrap_or_default();
                WorkerSnapshot {
                    counters: worker.counters.since(&before),
                    ..worker.clone()
                }
            })
            .collect();
        let named_tasks = self
            .named_tasks
            .iter()
            .map(
                |task| match earlier.named_tasks.iter().find(|old| old.name == task.name) {
                    Some(old) => task.since(old),
                    None => task.clone(),
                },
            )
            .collect();
        Snapshot {
            pool: self.pool.clone(),
            uptime: self.uptime.saturating_sub(earlier.uptime),
            sample_every: self.sample_every,
            totals: self.totals.since(&earlier.totals),
            workers,
            gauges: self.gauges,
            queue_wait: self.queue_wait.since(&earlier.queue_wait),
            run_time: self.run_time.since(&earlier.run_time),
            named_tasks,
            faults: self.faults.since(&earlier.faults),
            deadlines: self.deadlines.since(&earlier.deadlines),
        }
    }

    /// The fraction of worker time spent busy (0 when nothing was measured).
    pub fn utilization(&self) -> f64 {
        let busy = self.totals.busy.as_secs_f64();
        let total = busy + self.totals.idle.as_secs_f64();
        if total > 0.0 {
            busy / total
        } else {
            0.0
        }
    }
}
