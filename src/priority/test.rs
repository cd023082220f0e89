//! Unit tests of the priority queues' pick order.

use super::queue::DeadlineStart;
use super::{Priority, PriorityQueues};
use std::time::{Duration, Instant};

const LONG: Duration = Duration::from_secs(3600);

type Queues = PriorityQueues<&'static str>;

/// Takes every queued entry through `pop_any`.
fn drain(queues: &Queues) -> Vec<&'static str> {
    std::iter::from_fn(|| queues.pop_any()).collect()
}

#[test]
fn levels_come_out_most_urgent_first_and_fifo_within() {
    let queues = Queues::new(LONG);
    assert!(queues.push(Priority::Background, None, "bg1"));
    assert!(!queues.push(Priority::Low, None, "low"));
    queues.push(Priority::Critical, None, "crit1");
    queues.push(Priority::Background, None, "bg2");
    queues.push(Priority::High, None, "high");
    queues.push(Priority::Critical, None, "crit2");
    queues.push(Priority::Normal, None, "normal");
    assert_eq!(queues.len(), 7);
    assert_eq!(
        drain(&queues),
        ["crit1", "crit2", "high", "normal", "low", "bg1", "bg2"]
    );
    assert_eq!(queues.len(), 0);
}

#[test]
fn pop_urgent_leaves_low_levels_for_later() {
    let queues = Queues::new(LONG);
    queues.push(Priority::Low, None, "low");
    assert!(queues.pop_urgent().is_none());
    queues.push(Priority::Normal, None, "normal");
    assert_eq!(queues.pop_urgent(), Some("normal"));
    assert!(queues.pop_urgent().is_none());
    assert_eq!(drain(&queues), ["low"]);
}

#[test]
fn earliest_deadline_first_then_no_deadline() {
    let queues = Queues::new(LONG);
    let now = Instant::now();
    queues.push(Priority::High, None, "none");
    queues.push(Priority::High, Some(now + LONG), "late");
    queues.push(Priority::High, Some(now + Duration::from_secs(1)), "early");
    queues.push(Priority::High, Some(now + Duration::from_secs(1)), "early2");
    queues.push(Priority::Critical, Some(now + LONG), "critical");
    assert_eq!(
        drain(&queues),
        ["critical", "early", "early2", "late", "none"]
    );
}

#[test]
fn aged_entries_get_every_other_pick() {
    // With a bound of one nanosecond, every entry has aged by the time it is picked.
    let queues = Queues::new(Duration::from_nanos(1));
    let deadline = Instant::now() + LONG;
    queues.push(Priority::Background, None, "bg1");
    queues.push(Priority::Background, Some(deadline), "bg2");
    queues.push(Priority::Critical, None, "crit1");
    queues.push(Priority::Critical, None, "crit2");
    queues.push(Priority::Background, None, "bg3");
    std::thread::sleep(Duration::from_millis(1));
    // The oldest entry, then the most urgent one, and so on.
    assert_eq!(drain(&queues), ["bg1", "crit1", "bg2", "crit2", "bg3"]);
}

#[test]
fn aged_entry_alternates_with_the_deque_at_job_boundaries() {
    let queues = Queues::new(Duration::from_nanos(1));
    queues.push(Priority::Background, None, "bg1");
    queues.push(Priority::Background, None, "bg2");
    std::thread::sleep(Duration::from_millis(1));
    let picks: Vec<_> = (0..4).map(|_| queues.pop_urgent()).collect();
    assert_eq!(picks, [Some("bg1"), None, Some("bg2"), None]);
    assert_eq!(queues.len(), 0);
}

#[test]
fn deadline_starts_are_counted_apart() {
    let queues = Queues::new(LONG);
    queues.count_deadline(DeadlineStart::Dropped);
    queues.count_deadline(DeadlineStart::Late);
    queues.count_deadline(DeadlineStart::Late);
    queues.count_deadline(DeadlineStart::OnTime);
    assert_eq!(queues.deadline_counts(), (1, 2, 1));
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
