//! Unit tests of the priority queues' pick order.

use super::{Priority, PriorityQueues};
use crate::job::HeapJob;
use crate::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const LONG: Duration = Duration::from_secs(3600);

/// Queues a job that records `label` when run.
fn push(
    queues: &PriorityQueues,
    log: &Arc<Mutex<Vec<&'static str>>>,
    level: Priority,
    deadline: Option<Instant>,
    label: &'static str,
) -> bool {
    let log = Arc::clone(log);
    let job = HeapJob::new(move || log.lock().push(label)).into_static_job_ref();
    queues.push(level, deadline, job)
}

/// Runs every queued job through `pop_any`, returning what they recorded.
fn drain(queues: &PriorityQueues, log: &Arc<Mutex<Vec<&'static str>>>) -> Vec<&'static str> {
    while let Some(job) = queues.pop_any() {
        // SAFETY: each job reference is popped, and so run, once, and its job is alive
        // until it runs.
        unsafe { job.execute() };
    }
    std::mem::take(&mut *log.lock())
}

#[test]
fn levels_come_out_most_urgent_first_and_fifo_within() {
    let queues = PriorityQueues::new(LONG);
    let log = Arc::new(Mutex::new(Vec::new()));
    assert!(push(&queues, &log, Priority::Background, None, "bg1"));
    assert!(!push(&queues, &log, Priority::Low, None, "low"));
    push(&queues, &log, Priority::Critical, None, "crit1");
    push(&queues, &log, Priority::Background, None, "bg2");
    push(&queues, &log, Priority::High, None, "high");
    push(&queues, &log, Priority::Critical, None, "crit2");
    push(&queues, &log, Priority::Normal, None, "normal");
    assert_eq!(queues.len(), 7);
    assert_eq!(
        drain(&queues, &log),
        ["crit1", "crit2", "high", "normal", "low", "bg1", "bg2"]
    );
    assert_eq!(queues.len(), 0);
}

#[test]
fn pop_urgent_leaves_low_levels_for_later() {
    let queues = PriorityQueues::new(LONG);
    let log = Arc::new(Mutex::new(Vec::new()));
    push(&queues, &log, Priority::Low, None, "low");
    assert!(queues.pop_urgent().is_none());
    push(&queues, &log, Priority::Normal, None, "normal");
    let job = queues.pop_urgent().expect("a Normal entry is urgent");
    // SAFETY: popped once, alive until run.
    unsafe { job.execute() };
    assert!(queues.pop_urgent().is_none());
    assert_eq!(drain(&queues, &log), ["normal", "low"]);
}

#[test]
fn earliest_deadline_first_then_no_deadline() {
    let queues = PriorityQueues::new(LONG);
    let log = Arc::new(Mutex::new(Vec::new()));
    let now = Instant::now();
    push(&queues, &log, Priority::High, None, "none");
    push(&queues, &log, Priority::High, Some(now + LONG), "late");
    push(
        &queues,
        &log,
        Priority::High,
        Some(now + Duration::from_secs(1)),
        "early",
    );
    push(
        &queues,
        &log,
        Priority::High,
        Some(now + Duration::from_secs(1)),
        "early2",
    );
    push(
        &queues,
        &log,
        Priority::Critical,
        Some(now + LONG),
        "critical",
    );
    assert_eq!(
        drain(&queues, &log),
        ["critical", "early", "early2", "late", "none"]
    );
}

#[test]
fn aged_entries_get_every_other_pick() {
    // With a bound of one nanosecond, every entry has aged by the time it is picked.
    let queues = PriorityQueues::new(Duration::from_nanos(1));
    let log = Arc::new(Mutex::new(Vec::new()));
    let deadline = Instant::now() + LONG;
    push(&queues, &log, Priority::Background, None, "bg1");
    push(&queues, &log, Priority::Background, Some(deadline), "bg2");
    push(&queues, &log, Priority::Critical, None, "crit1");
    push(&queues, &log, Priority::Critical, None, "crit2");
    push(&queues, &log, Priority::Background, None, "bg3");
    std::thread::sleep(Duration::from_millis(1));
    // The oldest entry, then the most urgent one, and so on.
    assert_eq!(
        drain(&queues, &log),
        ["bg1", "crit1", "bg2", "crit2", "bg3"]
    );
}

#[test]
fn aged_entry_alternates_with_the_deque_at_job_boundaries() {
    let queues = PriorityQueues::new(Duration::from_nanos(1));
    let log = Arc::new(Mutex::new(Vec::new()));
    push(&queues, &log, Priority::Background, None, "bg1");
    push(&queues, &log, Priority::Background, None, "bg2");
    std::thread::sleep(Duration::from_millis(1));
    let mut picks = Vec::new();
    for _ in 0..4 {
        let job = queues.pop_urgent();
        picks.push(job.is_some());
        if let Some(job) = job {
            // SAFETY: popped once, alive until run.
            unsafe { job.execute() };
        }
    }
    assert_eq!(picks, [true, false, true, false]);
    assert_eq!(drain(&queues, &log), ["bg1", "bg2"]);
}

#[test]
fn misses_are_counted_apart() {
    let queues = PriorityQueues::new(LONG);
    queues.count_miss(true);
    queues.count_miss(false);
    queues.count_miss(false);
    assert_eq!(queues.misses(), (2, 1));
}

#[test]
fn names_round_trip() {
    for level in Priority::ALL {
        assert_eq!(level.to_string().parse(), Ok(level));
    }
    assert!("urgent".parse::<Priority>().is_err());
    let mut sorted = Priority::ALL;
    sorted.sort();
    assert_eq!(sorted[0], Priority::Background);
    assert_eq!(sorted[4], Priority::Critical);
}
