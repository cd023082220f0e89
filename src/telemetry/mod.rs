//! Telemetry: what the pool's workers do, measured at a cost low enough to leave on
//! (feature `telemetry`, on by default).
//!
//! - Collection: every worker keeps its own counters (jobs run, steals and steal attempts,
//!   injector pops, parks and wake-ups, busy and idle time) in a cache-padded block that only
//!   it writes; a sample of the jobs that go through a queue (one in
//!   [`Metrics::sample_every`](metrics::Metrics::sample_every)) records its queue wait and
//!   run time in the worker's HDR histograms; tasks run with a name and fault events are
//!   counted per pool.
//! - Reading: [`metrics::Metrics`] (for the global pool, or
//!   [`ThreadPool::metrics`](crate::ThreadPool::metrics)) takes a [`metrics::Snapshot`]:
//!   counters, gauges (workers alive, active, idle, sleeping; queue depths), percentiles,
//!   and [`delta`](metrics::Snapshot::delta)s between two snapshots.
//! - Exporting: [`export`] renders a snapshot for a console, as JSON, or in Prometheus's
//!   text format.
//! - Diagnosis: [`Snapshot::diagnose`](metrics::Snapshot::diagnose) names likely
//!   bottlenecks and what to do about them.
//!
//! `README.md` beside this file says what is counted where and what it costs. Without the
//! feature this module is absent and every hook in the pool compiles to nothing.
//!
//! # Examples
//!
//! ```
//! use veda::telemetry::export::{MetricsExporter, PrometheusExporter};
//!
//! let pool = veda::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
//! pool.scope(|s| {
//!     for _ in 0..100 {
//!         s.spawn(|_| {});
//!     }
//! });
//! let snapshot = pool.metrics().snapshot();
//! assert!(snapshot.totals.tasks >= 100);
//! let text = PrometheusExporter::new().render(&snapshot);
//! assert!(text.contains("veda_tasks_total"));
//! for finding in snapshot.diagnose() {
//!     println!("{}: {}", finding.summary, finding.remedy);
//! }
//! ```

pub mod diagnose;
pub mod export;
mod latency;
pub mod metrics;
mod recorder;
#[cfg(test)]
mod test;

pub(crate) use recorder::{run_stamped, PoolTelemetry, WorkerRecorder};

/// How a named task's run ended, as fault isolation reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaskOutcome {
    /// It returned a value.
    Completed,
    /// It returned an error.
    Failed,
    /// It panicked.
    Panicked,
    /// Its deadline stopped it.
    TimedOut,
    /// It was cancelled.
    Cancelled,
}

impl TaskOutcome {
    pub(crate) const COUNT: usize = 5;

    pub(crate) fn index(self) -> usize {
        match self {
            TaskOutcome::Completed => 0,
            TaskOutcome::Failed => 1,
            TaskOutcome::Panicked => 2,
            TaskOutcome::TimedOut => 3,
            TaskOutcome::Cancelled => 4,
        }
    }
}

/// A fault event counted in [`metrics::FaultCounts`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FaultEvent {
    /// A job panicked.
    Panic,
    /// A failed task is tried again.
    Retry,
    /// A task's deadline passed.
    Timeout,
    /// A task was cancelled.
    Cancellation,
    /// A circuit breaker changed state.
    BreakerTransition,
}

impl FaultEvent {
    pub(crate) const COUNT: usize = 5;

    pub(crate) fn index(self) -> usize {
        match self {
            FaultEvent::Panic => 0,
            FaultEvent::Retry => 1,
            FaultEvent::Timeout => 2,
            FaultEvent::Cancellation => 3,
            FaultEvent::BreakerTransition => 4,
        }
    }
}
