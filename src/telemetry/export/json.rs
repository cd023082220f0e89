//! [`JsonExporter`]: the snapshot as one JSON object, written by hand (no serializer
//! dependency: the shape is small and fixed).

use super::MetricsExporter;
use crate::telemetry::latency::BUCKET_BOUNDS;
use crate::telemetry::metrics::{Latency, Snapshot, WorkerCounters};
use std::fmt::{self, Write};

/// Renders a snapshot as one JSON object: `pool`, `uptime_seconds`, `sample_every`,
/// `totals` and `workers[].counters` (counts, and times in seconds), `gauges`,
/// `queue_wait` and `run_time` (count, sum, percentiles in seconds, and cumulative
/// `buckets` of `{le, count}`), `named_tasks`, `faults`, and `deadlines` (`on_time`,
/// `ran_late`, `dropped`).
///
/// # Examples
///
/// ```
/// use veda::telemetry::export::{JsonExporter, MetricsExporter};
///
/// let pool = veda::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
/// let json = JsonExporter::new().render(&pool.metrics().snapshot());
/// assert!(json.starts_with('{') && json.contains("\"totals\""));
/// ```
#[derive(Clone, Debug, Default)]
pub struct JsonExporter {
    _private: (),
}

impl JsonExporter {
    /// The exporter (compact output, one line).
    pub fn new() -> Self {
        JsonExporter::default()
    }
}

/// A JSON string literal.
fn string(out: &mut dyn Write, value: &str) -> fmt::Result {
    out.write_char('"')?;
    for c in value.chars() {
        match c {
            '"' => out.write_str("\\\"")?,
            '\\' => out.write_str("\\\\")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\t' => out.write_str("\\t")?,
            c if u32::from(c) < 0x20 => write!(out, "\\u{:04x}", u32::from(c))?,
            c => out.write_char(c)?,
        }
    }
    out.write_char('"')
}

fn counters(out: &mut dyn Write, c: &WorkerCounters) -> fmt::Result {
    write!(
        out,
        "{{\"tasks\":{},\"steals\":{},\"steal_attempts\":{},\"injector_pops\":{},\
         \"parks\":{},\"wakeups\":{},\"busy_seconds\":{},\"idle_seconds\":{}}}",
        c.tasks,
        c.steals,
        c.steal_attempts,
        c.injector_pops,
        c.parks,
        c.wakeups,
        c.busy.as_secs_f64(),
        c.idle.as_secs_f64()
    )
}

fn latency(out: &mut dyn Write, latency: &Latency) -> fmt::Result {
    let p = latency.percentiles();
    write!(
        out,
        "{{\"count\":{},\"sum_seconds\":{},\"mean_seconds\":{},\"p50_seconds\":{},\
         \"p90_seconds\":{},\"p99_seconds\":{},\"p999_seconds\":{},\"max_seconds\":{},\
         \"buckets\":[",
        p.count,
        latency.sum().as_secs_f64(),
        p.mean.as_secs_f64(),
        p.p50.as_secs_f64(),
        p.p90.as_secs_f64(),
        p.p99.as_secs_f64(),
        p.p999.as_secs_f64(),
        p.max.as_secs_f64()
    )?;
    for (i, bound) in BUCKET_BOUNDS.iter().enumerate() {
        if i > 0 {
            out.write_char(',')?;
        }
        write!(
            out,
            "{{\"le\":{},\"count\":{}}}",
            bound.as_secs_f64(),
            latency.count_at_most(*bound)
        )?;
    }
    out.write_str("]}")
}

impl MetricsExporter for JsonExporter {
    fn export(&self, snapshot: &Snapshot, out: &mut dyn Write) -> fmt::Result {
        out.write_str("{\"pool\":")?;
        string(out, &snapshot.pool)?;
        write!(
            out,
            ",\"uptime_seconds\":{},\"sample_every\":{},\"totals\":",
            snapshot.uptime.as_secs_f64(),
            snapshot.sample_every
        )?;
        counters(out, &snapshot.totals)?;
        let g = &snapshot.gauges;
        write!(
            out,
            ",\"gauges\":{{\"workers_alive\":{},\"workers_active\":{},\"workers_idle\":{},\
             \"workers_sleeping\":{},\"injector_depth\":{},\"deque_depth\":{}}},\"workers\":[",
            g.workers_alive,
            g.workers_active,
            g.workers_idle,
            g.workers_sleeping,
            g.injector_depth,
            g.deque_depth
        )?;
        for (i, worker) in snapshot.workers.iter().enumerate() {
            if i > 0 {
                out.write_char(',')?;
            }
            write!(
                out,
                "{{\"index\":{},\"stand_in\":{},\"alive\":{},\"idle\":{},\"queue_depth\":{},\
                 \"counters\":",
                worker.index, worker.stand_in, worker.alive, worker.idle, worker.queue_depth
            )?;
            counters(out, &worker.counters)?;
            out.write_char('}')?;
        }
        out.write_str("],\"queue_wait\":")?;
        latency(out, &snapshot.queue_wait)?;
        out.write_str(",\"run_time\":")?;
        latency(out, &snapshot.run_time)?;
        out.write_str(",\"named_tasks\":[")?;
        for (i, task) in snapshot.named_tasks.iter().enumerate() {
            if i > 0 {
                out.write_char(',')?;
            }
            out.write_str("{\"name\":")?;
            string(out, &task.name)?;
            write!(
                out,
                ",\"completed\":{},\"failed\":{},\"panicked\":{},\"timed_out\":{},\
                 \"cancelled\":{},\"queue_wait\":",
                task.completed, task.failed, task.panicked, task.timed_out, task.cancelled
            )?;
            latency(out, &task.queue_wait)?;
            out.write_str(",\"run_time\":")?;
            latency(out, &task.run_time)?;
            out.write_char('}')?;
        }
        let f = &snapshot.faults;
        let d = &snapshot.deadlines;
        write!(
            out,
            "],\"faults\":{{\"panics\":{},\"retries\":{},\"timeouts\":{},\"cancellations\":{},\
             \"breaker_transitions\":{}}},\"deadlines\":{{\"on_time\":{},\"ran_late\":{},\
             \"dropped\":{}}}}}",
            f.panics,
            f.retries,
            f.timeouts,
            f.cancellations,
            f.breaker_transitions,
            d.on_time,
            d.ran_late,
            d.dropped
        )
    }
}
