//! [`Snapshot::diagnose`]: likely bottlenecks read off a snapshot, each with a remedy.
//!
//! The rules are simple thresholds on ratios, documented on [`FindingKind`]; they are best
//! applied to a [`delta`](Snapshot::delta) over an interval of steady load, since counters
//! since the pool's start mix every phase of a program.

use super::metrics::Snapshot;
use std::fmt;
use std::time::Duration;

/// Below this many jobs, ratios of counters say nothing.
const MIN_TASKS: u64 = 1_000;
/// Below this much worker time (busy plus idle, all workers), time shares say nothing.
const MIN_WORKER_TIME: Duration = Duration::from_millis(50);
/// Steals per job above which jobs look too small for their scheduling cost...
const FINE_GRAINED_STEAL_RATIO: f64 = 0.5;
/// ...when a sampled job runs, at the median, for less than this.
const FINE_GRAINED_RUN_TIME: Duration = Duration::from_micros(10);
/// Idle share of worker time above which the pool lacks parallel work.
const IDLE_SHARE: f64 = 0.9;
/// Queued jobs per alive worker above which the queues build up.
const QUEUED_PER_WORKER: usize = 64;
/// 99th percentile of the queue wait above which jobs wait too long.
const QUEUE_WAIT_P99: Duration = Duration::from_millis(10);
/// Panics per job above which panics are frequent.
const PANIC_RATE: f64 = 0.01;
/// Retries per job above which retries are frequent.
const RETRY_RATE: f64 = 0.05;
/// Share of the tasks with a deadline that missed it, above which misses are frequent.
const DEADLINE_MISS_RATE: f64 = 0.01;

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FindingKind {
    /// Jobs are too small: at least 1 000 jobs, more than one steal per two jobs, and a
    /// median sampled run time under 10 µs (or no run time sampled).
    FineGrainedTasks,
    /// One worker does most of the work: its share of the busy time is at least
    /// `max(1/2, 3/(2n))` for `n` workers, over at least 50 ms of worker time.
    LoadImbalance,
    /// Workers idle more than 90 % of the time while jobs do run: not enough parallelism.
    IdlePool,
    /// Jobs pile up: more than 64 queued per alive worker, or a 99th-percentile queue wait
    /// above 10 ms.
    QueueBuildUp,
    /// More than 1 % of jobs (or named-task runs) panic.
    HighPanicRate,
    /// More than 5 retries per 100 jobs (or named-task runs).
    HighRetryRate,
    /// More than 1 % of the tasks with a deadline started after it (critical when some of
    /// them were dropped unrun, a warning when all ran late).
    DeadlineMisses,
}

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Severity {
    /// Worth a look: performance is likely lost.
    Warning,
    /// Something is wrong: work fails, or waits far too long.
    Critical,
}

/// One likely problem, what shows it, and what to do about it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Finding {
    /// What the finding is about.
    pub kind: FindingKind,
    /// How much it matters.
    pub severity: Severity,
    /// What the figures show, with the figures.
    pub summary: String,
    /// What to try.
    pub remedy: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{:?}] {:?}: {} Remedy: {}",
            self.severity, self.kind, self.summary, self.remedy
        )
    }
}

fn ratio(numerator: u64, denominator: u64) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

impl Snapshot {
    /// Likely bottlenecks, most severe first; empty when nothing stands out.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = veda::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    /// let metrics = pool.metrics();
    /// let before = metrics.snapshot();
    /// pool.install(|| veda::join(|| 1, || 2));
    /// for finding in metrics.snapshot().delta(&before).diagnose() {
    ///     println!("{finding}");
    /// }
    /// ```
    pub fn diagnose(&self) -> Vec<Finding> {
        let mut findings = Vec::new();
        let finding = |kind, severity, summary: String, remedy: &str| Finding {
            kind,
            severity,
            summary,
            remedy: remedy.to_owned(),
        };
        let totals = &self.totals;
        let worker_time = totals.busy + totals.idle;

        let steal_ratio = ratio(totals.steals, totals.tasks);
        let median_run = self.run_time.quantile(0.5);
        if totals.tasks >= MIN_TASKS
            && steal_ratio > FINE_GRAINED_STEAL_RATIO
            && (self.run_time.count() == 0 || median_run < FINE_GRAINED_RUN_TIME)
        {
            findings.push(finding(
                FindingKind::FineGrainedTasks,
                Severity::Warning,
                format!(
                    "{:.2} steals per job over {} jobs (median sampled run time {:.2?}): \
                     scheduling costs rival the work.",
                    steal_ratio, totals.tasks, median_run
                ),
                "give each task more work: raise with_min_len on parallel iterators, \
                 process items in chunks, or stop splitting recursion below a sequential cutoff",
            ));
        }

        let busy_workers: Vec<Duration> = self
            .workers
            .iter()
            .filter(|worker| !worker.stand_in)
            .map(|worker| worker.counters.busy)
            .collect();
        let total_busy: Duration = busy_workers.iter().sum();
        if busy_workers.len() >= 2 && worker_time >= MIN_WORKER_TIME && !total_busy.is_zero() {
            let (busiest, most) = busy_workers
                .iter()
                .enumerate()
                .max_by_key(|(_, busy)| **busy)
                .map(|(index, busy)| (index, *busy))
                .unwrap_or_default();
            let share = most.as_secs_f64() / total_busy.as_secs_f64();
            let threshold = (1.5 / busy_workers.len() as f64).max(0.5);
            if share >= threshold {
                findings.push(finding(
                    FindingKind::LoadImbalance,
                    Severity::Warning,
                    format!(
                        "worker {busiest} did {:.0} % of the busy time of {} workers.",
                        share * 100.0,
                        busy_workers.len()
                    ),
                    "split the work into more pieces than workers (for example par_iter \
                     instead of a few large spawns), and avoid work that is born on one \
                     worker and cannot be stolen (a long sequential loop inside one task)",
                ));
            }
        }

        let idle_share = 1.0 - self.utilization();
        if worker_time >= MIN_WORKER_TIME && totals.tasks > 0 && idle_share > IDLE_SHARE {
            findings.push(finding(
                FindingKind::IdlePool,
                Severity::Warning,
                format!("workers were idle {:.0} % of the time.", idle_share * 100.0),
                "expose more parallelism (more, smaller tasks; parallel iterators over larger \
                 inputs), or use a smaller pool",
            ));
        }

        let queued = self.gauges.injector_depth + self.gauges.deque_depth;
        let p99_wait = self.queue_wait.quantile(0.99);
        let alive = self.gauges.workers_alive.max(1);
        if queued > QUEUED_PER_WORKER * alive || p99_wait > QUEUE_WAIT_P99 {
            findings.push(finding(
                FindingKind::QueueBuildUp,
                Severity::Critical,
                format!(
                    "{queued} jobs queued for {alive} workers; 99 % of sampled jobs waited up \
                     to {p99_wait:.2?}."
                ),
                "submit work at the rate the pool drains it (wait on earlier batches before \
                 spawning more), move blocking calls into block_in_place, or add threads",
            ));
        }

        let named_runs: u64 = self.named_tasks.iter().map(|task| task.runs()).sum();
        let runs = totals.tasks.max(named_runs);
        let panic_rate = ratio(self.faults.panics, runs);
        if self.faults.panics > 0 && panic_rate > PANIC_RATE {
            findings.push(finding(
                FindingKind::HighPanicRate,
                Severity::Critical,
                format!(
                    "{} panics over {runs} jobs ({:.1} %).",
                    self.faults.panics,
                    panic_rate * 100.0
                ),
                "look at the panic handler's reports; validate inputs before spawning, and \
                 return errors instead of panicking for expected failures",
            ));
        }
        let retry_rate = ratio(self.faults.retries, runs);
        if self.faults.retries > 0 && retry_rate > RETRY_RATE {
            findings.push(finding(
                FindingKind::HighRetryRate,
                Severity::Warning,
                format!(
                    "{} retries over {runs} jobs ({:.1} %).",
                    self.faults.retries,
                    retry_rate * 100.0
                ),
                "find why tasks fail before retrying more; back off between retries, or let a \
                 circuit breaker stop calls to a failing dependency",
            ));
        }
        let deadlines = &self.deadlines;
        let miss_rate = ratio(deadlines.missed(), deadlines.total());
        if deadlines.missed() > 0 && miss_rate > DEADLINE_MISS_RATE {
            findings.push(finding(
                FindingKind::DeadlineMisses,
                if deadlines.dropped > 0 {
                    Severity::Critical
                } else {
                    Severity::Warning
                },
                format!(
                    "{} of {} tasks with a deadline started after it ({:.1} %): {} ran late, \
                     {} were dropped.",
                    deadlines.missed(),
                    deadlines.total(),
                    miss_rate * 100.0,
                    deadlines.ran_late,
                    deadlines.dropped
                ),
                "give tasks with deadlines a higher priority than the work they wait behind \
                 (a deadline orders tasks only within their level), keep long tasks off the \
                 workers they need, add threads, or set deadlines the pool can meet",
            ));
        }
        findings.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
        findings
    }
}
