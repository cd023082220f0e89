//! [`ConsoleExporter`]: a report for people, with the run-time histogram drawn as bars.

use super::MetricsExporter;
use crate::telemetry::latency::BUCKET_BOUNDS;
use crate::telemetry::metrics::{Latency, Snapshot, WorkerCounters};
use std::fmt::{self, Write};
use std::time::Duration;

/// The widest bar of a histogram, in characters.
const BAR_WIDTH: u64 = 40;

/// Renders a snapshot as a readable table: gauges, one row per worker and a total,
/// latency percentiles, and a histogram of job run times drawn as bars. `pretty` draws the
/// bars with Unicode blocks and writes `µs`; otherwise the report is plain ASCII.
///
/// # Examples
///
/// ```
/// use veda::telemetry::export::{ConsoleExporter, MetricsExporter};
///
/// let pool = veda::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
/// pool.scope(|s| s.spawn(|_| {}));
/// print!("{}", ConsoleExporter::new(true).render(&pool.metrics().snapshot()));
/// ```
#[derive(Clone, Debug)]
pub struct ConsoleExporter {
    pretty: bool,
}

impl ConsoleExporter {
    /// An exporter with Unicode output (`pretty`) or plain ASCII.
    pub fn new(pretty: bool) -> Self {
        ConsoleExporter { pretty }
    }

    fn duration(&self, duration: Duration) -> String {
        let nanos = duration.as_nanos();
        let micro = if self.pretty { "µs" } else { "us" };
        if nanos < 1_000 {
            format!("{nanos}ns")
        } else if nanos < 1_000_000 {
            format!("{:.1}{micro}", nanos as f64 / 1e3)
        } else if nanos < 1_000_000_000 {
            format!("{:.2}ms", nanos as f64 / 1e6)
        } else {
            format!("{:.3}s", nanos as f64 / 1e9)
        }
    }

    fn worker_row(&self, out: &mut dyn Write, label: &str, c: &WorkerCounters) -> fmt::Result {
        let time = c.busy + c.idle;
        let utilization = if time.is_zero() {
            0.0
        } else {
            c.busy.as_secs_f64() / time.as_secs_f64() * 100.0
        };
        writeln!(
            out,
            "{label:>8} {:>10} {:>9} {:>10} {:>9} {:>7} {:>10} {:>10} {:>5.1}%",
            c.tasks,
            c.steals,
            c.steal_attempts,
            c.injector_pops,
            c.parks,
            self.duration(c.busy),
            self.duration(c.idle),
            utilization
        )
    }

    fn latency_row(&self, out: &mut dyn Write, label: &str, latency: &Latency) -> fmt::Result {
        let p = latency.percentiles();
        writeln!(
            out,
            "{label:>12} {:>8} {:>10} {:>10} {:>10} {:>10} {:>10}",
            p.count,
            self.duration(p.p50),
            self.duration(p.p90),
            self.duration(p.p99),
            self.duration(p.p999),
            self.duration(p.max)
        )
    }

    fn bars(&self, out: &mut dyn Write, latency: &Latency) -> fmt::Result {
        let total = latency.count();
        if total == 0 {
            return writeln!(out, "  (no sampled jobs)");
        }
        let mut below = 0;
        let mut rows = Vec::new();
        for bound in BUCKET_BOUNDS {
            let at_most = latency.count_at_most(bound);
            rows.push((format!("<= {}", self.duration(bound)), at_most - below));
            below = at_most;
        }
        rows.push((
            format!(
                ">  {}",
                self.duration(BUCKET_BOUNDS[BUCKET_BOUNDS.len() - 1])
            ),
            total - below,
        ));
        let first = rows.iter().position(|(_, n)| *n > 0).unwrap_or(0);
        let last = rows.iter().rposition(|(_, n)| *n > 0).unwrap_or(0);
        let most = rows.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
        for (label, count) in &rows[first..=last] {
            let width = (count * BAR_WIDTH).div_ceil(most);
            let bar: String = if self.pretty {
                "█".repeat(width as usize)
            } else {
                "#".repeat(width as usize)
            };
            writeln!(out, "  {label:>11} | {bar:<40} {count}")?;
        }
        Ok(())
    }
}

impl MetricsExporter for ConsoleExporter {
    fn export(&self, s: &Snapshot, out: &mut dyn Write) -> fmt::Result {
        let g = &s.gauges;
        writeln!(
            out,
            "veda pool {}: up {}, workers {} alive / {} active / {} idle / {} sleeping; \
             queued: {} injected, {} in deques",
            s.pool,
            self.duration(s.uptime),
            g.workers_alive,
            g.workers_active,
            g.workers_idle,
            g.workers_sleeping,
            g.injector_depth,
            g.deque_depth
        )?;
        writeln!(
            out,
            "{:>8} {:>10} {:>9} {:>10} {:>9} {:>7} {:>10} {:>10} {:>6}",
            "worker", "tasks", "steals", "attempts", "injected", "parks", "busy", "idle", "util"
        )?;
        for worker in &s.workers {
            let label = if worker.stand_in {
                format!("{}*", worker.index)
            } else {
                worker.index.to_string()
            };
            self.worker_row(out, &label, &worker.counters)?;
        }
        self.worker_row(out, "total", &s.totals)?;
        writeln!(
            out,
            "\nlatency (one job in {} sampled)\n{:>12} {:>8} {:>10} {:>10} {:>10} {:>10} {:>10}",
            s.sample_every, "", "count", "p50", "p90", "p99", "p99.9", "max"
        )?;
        self.latency_row(out, "queue wait", &s.queue_wait)?;
        self.latency_row(out, "run time", &s.run_time)?;
        writeln!(out, "\nrun time histogram")?;
        self.bars(out, &s.run_time)?;
        if !s.named_tasks.is_empty() {
            writeln!(
                out,
                "\n{:>20} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10} {:>10}",
                "named task",
                "completed",
                "failed",
                "panicked",
                "timed out",
                "cancelled",
                "p50",
                "p99"
            )?;
            for task in &s.named_tasks {
                writeln!(
                    out,
                    "{:>20} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10} {:>10}",
                    task.name,
                    task.completed,
                    task.failed,
                    task.panicked,
                    task.timed_out,
                    task.cancelled,
                    self.duration(task.run_time.quantile(0.5)),
                    self.duration(task.run_time.quantile(0.99))
                )?;
            }
        }
        let f = &s.faults;
        writeln!(
            out,
            "\nfaults: {} panics, {} retries, {} timeouts, {} cancellations, {} breaker transitions",
            f.panics, f.retries, f.timeouts, f.cancellations, f.breaker_transitions
        )?;
        let d = &s.deadlines;
        writeln!(
            out,
            "deadlines: {} on time, {} missed ({} ran late, {} dropped)",
            d.on_time,
            d.missed(),
            d.ran_late,
            d.dropped
        )?;
        for finding in s.diagnose() {
            writeln!(out, "finding: {finding}")?;
        }
        Ok(())
    }
}
