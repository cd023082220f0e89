//! [`MetricsFacadeBridge`]: veda's figures published through the `metrics` facade crate
//! (feature `telemetry-metrics`), for programs that export their metrics with a
//! `metrics-exporter-*` crate.

use super::MetricsExporter;
use crate::sync::Mutex;
use crate::telemetry::metrics::{Latency, Snapshot, WorkerCounters};
use ::metrics::{
    counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram, Unit,
};
use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

/// Publishes snapshots to the [`metrics`](https://docs.rs/metrics) facade: whichever
/// recorder the program installed (a Prometheus exporter, StatsD, ...) receives veda's
/// counters, gauges and histograms, labelled with the pool (`pool`) and, for per-worker
/// figures, the worker (`worker`).
///
/// Give it the successive snapshots of a pool ([`Metrics::snapshot`], whose counters count
/// since the pool started): it remembers the last one published per pool and emits the
/// counters as *increments* (what happened since that snapshot), so a counter in the
/// recorder always equals veda's own; histograms receive the values sampled since that
/// snapshot; gauges are set to the snapshot's values. A snapshot whose uptime is shorter
/// than the last one published under its label is taken for a new pool under the same label
/// (the global pool after [`shutdown`](crate::shutdown)), and is published whole.
///
/// Names follow [`PrometheusExporter`](super::PrometheusExporter)'s, except that times that
/// only grow are counters of nanoseconds (the facade's counters hold integers):
/// - counters: `veda_tasks_total`, `veda_steals_total`, `veda_steal_attempts_total`,
///   `veda_injector_pops_total`, `veda_parks_total`, `veda_wakeups_total`,
///   `veda_busy_nanoseconds_total`, `veda_idle_nanoseconds_total` (per worker);
///   `veda_faults_total` (`kind`); `veda_deadline_tasks_total`;
///   `veda_deadline_misses_total` (`action`: `ran_late` or `dropped`);
///   `veda_named_task_runs_total` (`task`, `outcome`);
/// - gauges: `veda_workers_alive`, `veda_workers_active`, `veda_workers_idle`,
///   `veda_workers_sleeping`, `veda_queue_depth` (`queue="injector"`, or `queue="worker"`
///   and `worker`), `veda_uptime_seconds`;
/// - histograms, in seconds: `veda_job_queue_wait_seconds`, `veda_job_run_seconds` (the
///   sampled jobs, see [`Metrics::sample_every`]), `veda_named_task_run_seconds` (`task`).
///
/// Values reach the recorder the facade finds on the calling thread (the global one, or a
/// local one set with `metrics::with_local_recorder`). As a [`MetricsExporter`], the bridge
/// publishes the snapshot and writes nothing.
///
/// [`Metrics::snapshot`]: crate::telemetry::metrics::Metrics::snapshot
/// [`Metrics::sample_every`]: crate::telemetry::metrics::Metrics::sample_every
///
/// # Examples
///
/// ```
/// use veda::telemetry::export::MetricsFacadeBridge;
///
/// // With a recorder installed (`metrics::set_global_recorder`, or an exporter's
/// // `install`), every `publish` updates its metrics.
/// let pool = veda::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
/// let bridge = MetricsFacadeBridge::new();
/// pool.scope(|s| s.spawn(|_| {}));
/// bridge.publish(&pool.metrics().snapshot());
/// pool.scope(|s| s.spawn(|_| {}));
/// bridge.publish(&pool.metrics().snapshot()); // only what happened since the first
/// ```
#[derive(Default)]
pub struct MetricsFacadeBridge {
    /// The last snapshot published per pool label, and whether the metrics were described.
    state: Mutex<BridgeState>,
}

#[derive(Default)]
struct BridgeState {
    described: bool,
    published: HashMap<String, Snapshot>,
}

impl fmt::Debug for MetricsFacadeBridge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.lock();
        let mut pools: Vec<&String> = state.published.keys().collect();
        pools.sort();
        f.debug_struct("MetricsFacadeBridge")
            .field("pools", &pools)
            .finish()
    }
}

type CounterField = fn(&WorkerCounters) -> u64;

/// Per-worker counters: name, description, unit, value.
const WORKER_COUNTERS: [(&str, &str, Unit, CounterField); 8] = [
    (
        "veda_tasks_total",
        "Jobs a worker took from a queue and ran.",
        Unit::Count,
        |c| c.tasks,
    ),
    (
        "veda_steals_total",
        "Jobs a worker took from another worker's deque.",
        Unit::Count,
        |c| c.steals,
    ),
    (
        "veda_steal_attempts_total",
        "Sweeps a worker made through the other workers' deques.",
        Unit::Count,
        |c| c.steal_attempts,
    ),
    (
        "veda_injector_pops_total",
        "Jobs a worker took from the pool's injector.",
        Unit::Count,
        |c| c.injector_pops,
    ),
    (
        "veda_parks_total",
        "Times a worker blocked for lack of work.",
        Unit::Count,
        |c| c.parks,
    ),
    (
        "veda_wakeups_total",
        "Times a blocked worker was woken.",
        Unit::Count,
        |c| c.wakeups,
    ),
    (
        "veda_busy_nanoseconds_total",
        "Time a worker was alive and not idle.",
        Unit::Nanoseconds,
        |c| nanos(c.busy),
    ),
    (
        "veda_idle_nanoseconds_total",
        "Time a worker searched for work or was blocked.",
        Unit::Nanoseconds,
        |c| nanos(c.idle),
    ),
];

/// Gauges of the pool: name and description (`publish_delta` reads their values).
const GAUGES: [(&str, &str); 4] = [
    ("veda_workers_alive", "Threads working for the pool."),
    ("veda_workers_active", "Alive threads that are not idle."),
    (
        "veda_workers_idle",
        "Alive threads searching for work or blocked.",
    ),
    (
        "veda_workers_sleeping",
        "Threads blocked until work arrives.",
    ),
];

fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

/// Records every value of `latency` into `histogram`, in seconds.
fn record_latency(histogram: &::metrics::Histogram, latency: &Latency) {
    for (value, count) in latency.values() {
        histogram.record_many(
            value.as_secs_f64(),
            usize::try_from(count).unwrap_or(usize::MAX),
        );
    }
}

impl MetricsFacadeBridge {
    /// A bridge that has published nothing yet.
    pub fn new() -> Self {
        MetricsFacadeBridge::default()
    }

    /// Publishes what changed since the last snapshot of the same pool this bridge
    /// published (everything, for the first): counter increments, new histogram values,
    /// and the gauges' current values.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = veda::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    /// let bridge = veda::telemetry::export::MetricsFacadeBridge::new();
    /// bridge.publish(&pool.metrics().snapshot());
    /// ```
    pub fn publish(&self, snapshot: &Snapshot) {
        let mut state = self.state.lock();
        if !state.described {
            describe();
            state.described = true;
        }
        let delta = match state.published.get(&snapshot.pool) {
            Some(previous) if previous.uptime <= snapshot.uptime => snapshot.delta(previous),
            _ => snapshot.clone(),
        };
        publish_delta(&delta, snapshot.uptime);
        state
            .published
            .insert(snapshot.pool.clone(), snapshot.clone());
    }
}

impl MetricsExporter for MetricsFacadeBridge {
    /// Publishes `snapshot` (see [`MetricsFacadeBridge::publish`]); writes nothing to `out`.
    fn export(&self, snapshot: &Snapshot, _out: &mut dyn fmt::Write) -> fmt::Result {
        self.publish(snapshot);
        Ok(())
    }
}

/// Describes every metric to the facade's recorder.
fn describe() {
    for (name, help, unit, _) in WORKER_COUNTERS {
        describe_counter!(name, unit, help);
    }
    describe_counter!("veda_faults_total", Unit::Count, "Fault events by kind.");
    describe_counter!(
        "veda_deadline_tasks_total",
        Unit::Count,
        "Tasks with a deadline whose turn came."
    );
    describe_counter!(
        "veda_deadline_misses_total",
        Unit::Count,
        "Tasks whose turn came after their deadline, by what was done with them."
    );
    describe_counter!(
        "veda_named_task_runs_total",
        Unit::Count,
        "Runs of named tasks by outcome."
    );
    for (name, help) in GAUGES {
        describe_gauge!(name, Unit::Count, help);
    }
    describe_gauge!("veda_queue_depth", Unit::Count, "Jobs waiting in a queue.");
    describe_gauge!(
        "veda_uptime_seconds",
        Unit::Seconds,
        "Time since the pool started."
    );
    describe_histogram!(
        "veda_job_queue_wait_seconds",
        Unit::Seconds,
        "Time sampled jobs waited in a queue before they started."
    );
    describe_histogram!(
        "veda_job_run_seconds",
        Unit::Seconds,
        "Time sampled jobs ran."
    );
    describe_histogram!(
        "veda_named_task_run_seconds",
        Unit::Seconds,
        "Run time of named tasks."
    );
}

/// Emits `delta`: its counters as increments, its histograms' values, and its gauges
/// (which are the latest snapshot's), with the pool's `uptime`.
fn publish_delta(delta: &Snapshot, uptime: Duration) {
    let pool = delta.pool.clone();
    for worker in &delta.workers {
        let index = worker.index.to_string();
        for (name, _, _, field) in WORKER_COUNTERS {
            counter!(name, "pool" => pool.clone(), "worker" => index.clone())
                .increment(field(&worker.counters));
        }
        gauge!(
            "veda_queue_depth",
            "pool" => pool.clone(),
            "queue" => "worker",
            "worker" => index
        )
        .set(worker.queue_depth as f64);
    }

    let g = &delta.gauges;
    let values = [
        g.workers_alive,
        g.workers_active,
        g.workers_idle,
        g.workers_sleeping,
    ];
    for ((name, _), value) in GAUGES.into_iter().zip(values) {
        gauge!(name, "pool" => pool.clone()).set(value as f64);
    }
    gauge!("veda_queue_depth", "pool" => pool.clone(), "queue" => "injector")
        .set(g.injector_depth as f64);
    gauge!("veda_uptime_seconds", "pool" => pool.clone()).set(uptime.as_secs_f64());

    record_latency(
        &histogram!("veda_job_queue_wait_seconds", "pool" => pool.clone()),
        &delta.queue_wait,
    );
    record_latency(
        &histogram!("veda_job_run_seconds", "pool" => pool.clone()),
        &delta.run_time,
    );

    let f = &delta.faults;
    for (kind, count) in [
        ("panic", f.panics),
        ("retry", f.retries),
        ("timeout", f.timeouts),
        ("cancellation", f.cancellations),
        ("breaker_transition", f.breaker_transitions),
    ] {
        counter!("veda_faults_total", "pool" => pool.clone(), "kind" => kind).increment(count);
    }

    let d = &delta.deadlines;
    counter!("veda_deadline_tasks_total", "pool" => pool.clone()).increment(d.total());
    for (action, count) in [("ran_late", d.ran_late), ("dropped", d.dropped)] {
        counter!("veda_deadline_misses_total", "pool" => pool.clone(), "action" => action)
            .increment(count);
    }

    for task in &delta.named_tasks {
        for (outcome, count) in task.outcomes() {
            counter!(
                "veda_named_task_runs_total",
                "pool" => pool.clone(),
                "task" => task.name.clone(),
                "outcome" => outcome
            )
            .increment(count);
        }
        record_latency(
            &histogram!(
                "veda_named_task_run_seconds",
                "pool" => pool.clone(),
                "task" => task.name.clone()
            ),
            &task.run_time,
        );
    }
}
