//! Unit tests of the recording side that need crate-private access: the named-task table
//! (filled by fault isolation) and the diagnosis rules on made-up snapshots.

use super::diagnose::{FindingKind, Severity};
use super::metrics::{
    DeadlineCounts, FaultCounts, Gauges, Latency, Snapshot, WorkerCounters, WorkerSnapshot,
};
use super::{FaultEvent, TaskOutcome};
use crate::ThreadPoolBuilder;
use std::time::Duration;

#[test]
fn named_tasks_are_recorded_per_name_and_outcome() {
    let pool = ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let metrics = pool.metrics();
    let telemetry = pool.registry().telemetry();
    let ms = Duration::from_millis;
    telemetry.record_named_task("parse", Some(ms(1)), ms(10), TaskOutcome::Completed);
    telemetry.record_named_task("parse", None, ms(20), TaskOutcome::Panicked);
    let before = metrics.snapshot();
    telemetry.record_named_task("parse", Some(ms(3)), ms(30), TaskOutcome::TimedOut);
    telemetry.record_named_task("load", None, ms(5), TaskOutcome::Cancelled);
    telemetry.record_named_task("load", None, ms(7), TaskOutcome::Failed);
    telemetry.record_fault(FaultEvent::Retry);
    telemetry.record_fault(FaultEvent::BreakerTransition);
    let after = metrics.snapshot();

    let names: Vec<&str> = after.named_tasks.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["load", "parse"]);
    let parse = &after.named_tasks[1];
    assert_eq!(
        (
            parse.completed,
            parse.panicked,
            parse.timed_out,
            parse.cancelled
        ),
        (1, 1, 1, 0)
    );
    assert_eq!(parse.runs(), 3);
    assert_eq!(parse.run_time.count(), 3);
    assert_eq!(
        parse.queue_wait.count(),
        2,
        "a run without a known wait adds none"
    );
    assert_eq!(parse.run_time.sum(), ms(60));
    assert_eq!(after.named_tasks[0].cancelled, 1);
    assert_eq!(after.named_tasks[0].failed, 1);
    assert_eq!(after.named_tasks[0].runs(), 2);
    assert_eq!(after.faults.retries, 1);
    assert_eq!(after.faults.breaker_transitions, 1);

    let delta = after.delta(&before);
    let parse = &delta.named_tasks[1];
    assert_eq!(parse.runs(), 1);
    assert_eq!(parse.timed_out, 1);
    assert_eq!(parse.run_time.sum(), ms(30));
    assert_eq!(delta.named_tasks[0].runs(), 2, "new since `before`: whole");
    assert_eq!(delta.faults.retries, 1);
}

fn worker(index: usize, tasks: u64, steals: u64, busy_ms: u64, idle_ms: u64) -> WorkerSnapshot {
    WorkerSnapshot {
        index,
        stand_in: false,
        alive: true,
        idle: false,
        queue_depth: 0,
        counters: WorkerCounters {
            tasks,
            steals,
            steal_attempts: steals,
            busy: Duration::from_millis(busy_ms),
            idle: Duration::from_millis(idle_ms),
            ..WorkerCounters::default()
        },
    }
}

fn snapshot(workers: Vec<WorkerSnapshot>) -> Snapshot {
    let pool = ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let base = pool.metrics().snapshot();
    let mut totals = WorkerCounters::default();
    for w in &workers {
        totals.tasks += w.counters.tasks;
        totals.steals += w.counters.steals;
        totals.busy += w.counters.busy;
        totals.idle += w.counters.idle;
    }
    Snapshot {
        totals,
        gauges: Gauges {
            workers_alive: workers.len(),
            ..Gauges::default()
        },
        workers,
        queue_wait: Latency::default(),
        run_time: Latency::default(),
        named_tasks: Vec::new(),
        faults: FaultCounts::default(),
        deadlines: DeadlineCounts::default(),
        ..base
    }
}

fn kinds(snapshot: &Snapshot) -> Vec<FindingKind> {
    snapshot.diagnose().iter().map(|f| f.kind).collect()
}

#[test]
fn a_balanced_busy_pool_has_no_findings() {
    let s = snapshot(vec![
        worker(0, 5_000, 10, 100, 1),
        worker(1, 5_000, 10, 100, 1),
    ]);
    assert_eq!(kinds(&s), []);
}

#[test]
fn fine_grained_tasks_are_found() {
    let s = snapshot(vec![
        worker(0, 5_000, 4_000, 100, 1),
        worker(1, 5_000, 4_000, 100, 1),
    ]);
    assert_eq!(kinds(&s), [FindingKind::FineGrainedTasks]);
    let mut slow = s.clone();
    for _ in 0..10 {
        slow.run_time.record(Duration::from_millis(1));
    }
    assert_eq!(kinds(&slow), [], "long jobs are not too fine");
}

#[test]
fn imbalance_and_idleness_are_found() {
    let s = snapshot(vec![
        worker(0, 100, 0, 900, 100),
        worker(1, 5, 0, 50, 950),
        worker(2, 5, 0, 50, 950),
    ]);
    assert_eq!(kinds(&s), [FindingKind::LoadImbalance]);
    let idle = snapshot(vec![worker(0, 10, 0, 10, 990), worker(1, 10, 0, 10, 990)]);
    assert_eq!(kinds(&idle), [FindingKind::IdlePool]);
}

#[test]
fn queue_build_up_and_failures_are_found_most_severe_first() {
    let mut s = snapshot(vec![
        worker(0, 1_000, 0, 100, 1),
        worker(1, 1_000, 0, 100, 1),
    ]);
    s.gauges.injector_depth = 1_000;
    s.faults.panics = 50;
    s.faults.retries = 200;
    let found = s.diagnose();
    let found_kinds: Vec<FindingKind> = found.iter().map(|f| f.kind).collect();
    assert_eq!(
        found_kinds,
        [
            FindingKind::QueueBuildUp,
            FindingKind::HighPanicRate,
            FindingKind::HighRetryRate
        ]
    );
    assert!(found.iter().all(|f| !f.remedy.is_empty()));
    assert!(found[0].to_string().contains("Remedy"));
    let mut waits = snapshot(vec![worker(0, 10, 0, 100, 1), worker(1, 10, 0, 100, 1)]);
    waits.queue_wait.record(Duration::from_millis(50));
    assert_eq!(kinds(&waits), [FindingKind::QueueBuildUp]);
}

#[test]
fn frequent_deadline_misses_are_found() {
    let mut s = snapshot(vec![worker(0, 10, 0, 100, 1), worker(1, 10, 0, 100, 1)]);
    s.deadlines = DeadlineCounts {
        on_time: 990,
        ran_late: 10,
        dropped: 0,
    };
    assert_eq!(kinds(&s), [], "1 % of misses is tolerated");
    s.deadlines.ran_late = 11;
    let found = s.diagnose();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, FindingKind::DeadlineMisses);
    assert_eq!(found[0].severity, Severity::Warning, "all ran late");
    assert!(found[0].summary.contains("11 of 1001"));
    s.deadlines.dropped = 1;
    assert_eq!(
        s.diagnose()[0].severity,
        Severity::Critical,
        "work was lost"
    );
}
