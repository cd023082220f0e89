//! [`PrometheusExporter`]: Prometheus's text exposition format.

use super::MetricsExporter;
use crate::telemetry::latency::BUCKET_BOUNDS;
use crate::telemetry::metrics::{Latency, Snapshot, WorkerCounters};
use std::fmt::{self, Write};

/// Renders a snapshot in Prometheus's text exposition format (version 0.0.4): `# HELP` and
/// `# TYPE` lines, then samples labelled with the pool (`pool`) and, for per-worker
/// figures, the worker (`worker`). Times are in seconds; the latency histograms have
/// buckets from 1 µs to 10 s.
///
/// Metrics: `veda_tasks_total`, `veda_steals_total`, `veda_steal_attempts_total`,
/// `veda_injector_pops_total`, `veda_parks_total`, `veda_wakeups_total`,
/// `veda_busy_seconds_total`, `veda_idle_seconds_total` (per worker);
/// `veda_workers_alive`, `veda_workers_active`, `veda_workers_idle`,
/// `veda_workers_sleeping`, `veda_queue_depth` (`queue="injector"` or per worker),
/// `veda_uptime_seconds`; the histograms `veda_job_queue_wait_seconds` and
/// `veda_job_run_seconds`; `veda_faults_total` (`kind`); `veda_deadline_tasks_total` and
/// `veda_deadline_misses_total` (`action`: `ran_late` or `dropped`); and per named task
/// `veda_named_task_runs_total` (`task`, `outcome`) and the histogram
/// `veda_named_task_run_seconds`.
///
/// # Examples
///
/// ```
/// use veda::telemetry::export::{MetricsExporter, PrometheusExporter};
///
/// let pool = veda::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
/// let text = PrometheusExporter::new().render(&pool.metrics().snapshot());
/// assert!(text.contains("# TYPE veda_job_run_seconds histogram"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct PrometheusExporter {
    _private: (),
}

impl PrometheusExporter {
    /// The exporter.
    pub fn new() -> Self {
        PrometheusExporter::default()
    }
}

/// A label value with `\`, `"` and line feeds escaped.
fn escaped(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn header(out: &mut dyn Write, name: &str, kind: &str, help: &str) -> fmt::Result {
    writeln!(out, "# HELP {name} {help}")?;
    writeln!(out, "# TYPE {name} {kind}")
}

/// Writes the samples of one histogram; `labels` is `key="value",...` without braces.
fn histogram_samples(
    out: &mut dyn Write,
    name: &str,
    labels: &str,
    latency: &Latency,
) -> fmt::Result {
    for bound in BUCKET_BOUNDS {
        writeln!(
            out,
            "{name}_bucket{{{labels},le=\"{}\"}} {}",
            bound.as_secs_f64(),
            latency.count_at_most(bound)
        )?;
    }
    writeln!(
        out,
        "{name}_bucket{{{labels},le=\"+Inf\"}} {}",
        latency.count()
    )?;
    writeln!(
        out,
        "{name}_sum{{{labels}}} {}",
        latency.sum().as_secs_f64()
    )?;
    writeln!(out, "{name}_count{{{labels}}} {}", latency.count())
}

type CounterField = fn(&WorkerCounters) -> f64;

const WORKER_COUNTERS: [(&str, &str, CounterField); 8] = [
    (
        "veda_tasks_total",
        "Jobs a worker took from a queue and ran.",
        |c| c.tasks as f64,
    ),
    (
        "veda_steals_total",
        "Jobs a worker took from another worker's deque.",
        |c| c.steals as f64,
    ),
    (
        "veda_steal_attempts_total",
        "Sweeps a worker made through the other workers' deques.",
        |c| c.steal_attempts as f64,
    ),
    (
        "veda_injector_pops_total",
        "Jobs a worker took from the pool's injector.",
        |c| c.injector_pops as f64,
    ),
    (
        "veda_parks_total",
        "Times a worker blocked for lack of work.",
        |c| c.parks as f64,
    ),
    (
        "veda_wakeups_total",
        "Times a blocked worker was woken.",
        |c| c.wakeups as f64,
    ),
    (
        "veda_busy_seconds_total",
        "Time a worker was alive and not idle.",
        |c| c.busy.as_secs_f64(),
    ),
    (
        "veda_idle_seconds_total",
        "Time a worker searched for work or was blocked.",
        |c| c.idle.as_secs_f64(),
    ),
];

impl MetricsExporter for PrometheusExporter {
    fn export(&self, snapshot: &Snapshot, out: &mut dyn Write) -> fmt::Result {
        let pool = format!("pool=\"{}\"", escaped(&snapshot.pool));
        for (name, help, field) in WORKER_COUNTERS {
            header(out, name, "counter", help)?;
            for worker in &snapshot.workers {
                writeln!(
                    out,
                    "{name}{{{pool},worker=\"{}\"}} {}",
                    worker.index,
                    field(&worker.counters)
                )?;
            }
        }

        let gauges = &snapshot.gauges;
        for (name, help, value) in [
            (
                "veda_workers_alive",
                "Threads working for the pool.",
                gauges.workers_alive,
            ),
            (
                "veda_workers_active",
                "Alive threads that are not idle.",
                gauges.workers_active,
            ),
            (
                "veda_workers_idle",
                "Alive threads searching for work or blocked.",
                gauges.workers_idle,
            ),
            (
                "veda_workers_sleeping",
                "Threads blocked until work arrives.",
                gauges.workers_sleeping,
            ),
        ] {
            header(out, name, "gauge", help)?;
            writeln!(out, "{name}{{{pool}}} {value}")?;
        }
        header(out, "veda_queue_depth", "gauge", "Jobs waiting in a queue.")?;
        writeln!(
            out,
            "veda_queue_depth{{{pool},queue=\"injector\"}} {}",
            gauges.injector_depth
        )?;
        for worker in &snapshot.workers {
            writeln!(
                out,
                "veda_queue_depth{{{pool},queue=\"worker\",worker=\"{}\"}} {}",
                worker.index, worker.queue_depth
            )?;
        }
        header(
            out,
            "veda_uptime_seconds",
            "gauge",
            "Time since the pool started.",
        )?;
        writeln!(
            out,
            "veda_uptime_seconds{{{pool}}} {}",
            snapshot.uptime.as_secs_f64()
        )?;

        let sampled = format!("one job in {} sampled", snapshot.sample_every);
        header(
            out,
            "veda_job_queue_wait_seconds",
            "histogram",
            &format!("Time jobs waited in a queue before they started ({sampled})."),
        )?;
        histogram_samples(
            out,
            "veda_job_queue_wait_seconds",
            &pool,
            &snapshot.queue_wait,
        )?;
        header(
            out,
            "veda_job_run_seconds",
            "histogram",
            &format!("Time jobs ran ({sampled})."),
        )?;
        histogram_samples(out, "veda_job_run_seconds", &pool, &snapshot.run_time)?;

        let faults = &snapshot.faults;
        header(out, "veda_faults_total", "counter", "Fault events by kind.")?;
        for (kind, count) in [
            ("panic", faults.panics),
            ("retry", faults.retries),
            ("timeout", faults.timeouts),
            ("cancellation", faults.cancellations),
            ("breaker_transition", faults.breaker_transitions),
        ] {
            writeln!(out, "veda_faults_total{{{pool},kind=\"{kind}\"}} {count}")?;
        }

        let deadlines = &snapshot.deadlines;
        header(
            out,
            "veda_deadline_tasks_total",
            "counter",
            "Tasks with a deadline whose turn came.",
        )?;
        writeln!(
            out,
            "veda_deadline_tasks_total{{{pool}}} {}",
            deadlines.total()
        )?;
        header(
            out,
            "veda_deadline_misses_total",
            "counter",
            "Tasks whose turn came after their deadline, by what was done with them.",
        )?;
        for (action, count) in [
            ("ran_late", deadlines.ran_late),
            ("dropped", deadlines.dropped),
        ] {
            writeln!(
                out,
                "veda_deadline_misses_total{{{pool},action=\"{action}\"}} {count}"
            )?;
        }

        if snapshot.named_tasks.is_empty() {
            return Ok(());
        }
        header(
            out,
            "veda_named_task_runs_total",
            "counter",
            "Runs of named tasks by outcome.",
        )?;
        for task in &snapshot.named_tasks {
            let name = escaped(&task.name);
            for (outcome, count) in task.outcomes() {
                writeln!(
                    out,
                    "veda_named_task_runs_total{{{pool},task=\"{name}\",outcome=\"{outcome}\"}} {count}"
                )?;
            }
        }
        header(
            out,
            "veda_named_task_run_seconds",
            "histogram",
            "Run time of named tasks.",
        )?;
        for task in &snapshot.named_tasks {
            let labels = format!("{pool},task=\"{}\"", escaped(&task.name));
            histogram_samples(out, "veda_named_task_run_seconds", &labels, &task.run_time)?;
        }
        Ok(())
    }
}
