//! Loom models of the priority queues' part in the sleep protocol: an entry pushed while a
//! worker gets ready to sleep is either found by that worker or wakes it, and an entry is
//! taken exactly once, whichever of `pop_urgent` and `pop_any` the workers use.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --release --lib loom`. A lost wake-up shows
//! as a loom deadlock (every thread blocked).

use super::{Priority, PriorityQueues};
use crate::latch::CoreLatch;
use crate::sleep::Sleep;
use crate::sync::Arc;
use loom::thread;
use std::time::Duration;

/// No entry ages during a model.
const NO_AGING: Duration = Duration::from_secs(3600);

/// A worker's idle loop over the queues alone: the urgent check of a job boundary, then the
/// last step of `find_work`, until it takes an entry or `latch` is set.
fn wait_for_latch_or_entry(
    sleep: &Sleep,
    index: usize,
    latch: &CoreLatch,
    queues: &PriorityQueues<u32>,
) -> Option<u32> {
    if let Some(entry) = queues.pop_urgent() {
        return Some(entry);
    }
    let mut idle = sleep.start_looking(index);
    let mut taken = None;
    while !latch.probe() {
        taken = queues.pop_any();
        if taken.is_some() {
            break;
        }
        sleep.no_work_found(&mut idle, latch);
    }
    sleep.work_found();
    taken
}

/// Pushes `entry` and announces it, as `Registry::inject_prioritized` does.
fn publish(sleep: &Sleep, queues: &PriorityQueues<u32>, level: Priority, entry: u32) {
    let was_empty = queues.push(level, None, entry);
    sleep.new_injected_jobs(1, was_empty);
}

#[test]
fn a_pushed_entry_wakes_a_sleeping_worker() {
    loom::model(|| {
        let sleep = Arc::new(Sleep::new(1));
        let queues = Arc::new(PriorityQueues::new(NO_AGING));
        let latch = CoreLatch::new();
        let publisher = {
            let (sleep, queues) = (Arc::clone(&sleep), Arc::clone(&queues));
            thread::spawn(move || publish(&sleep, &queues, Priority::Background, 7))
        };
        // The latch is never set: only the entry can end the wait.
        assert_eq!(wait_for_latch_or_entry(&sleep, 0, &latch, &queues), Some(7));
        publisher.join().unwrap();
        assert_eq!(queues.len(), 0);
    });
}

#[test]
fn an_urgent_entry_is_taken_once_by_two_workers() {
    loom::model(|| {
        let sleep = Arc::new(Sleep::new(2));
        let queues = Arc::new(PriorityQueues::new(NO_AGING));
        // A latch has one waiter: each worker waits on its own.
        let done = Arc::new([CoreLatch::new(), CoreLatch::new()]);
        let workers: Vec<_> = (0..2)
            .map(|index| {
                let (sleep, queues, done) =
                    (Arc::clone(&sleep), Arc::clone(&queues), Arc::clone(&done));
                thread::spawn(move || {
                    let taken = wait_for_latch_or_entry(&sleep, index, &done[index], &queues);
                    if taken.is_some() {
                        // Whoever took the entry ends the other's wait.
                        let other = 1 - index;
                        // SAFETY: the latch is kept alive by the Arc.
                        if unsafe { CoreLatch::set(&done[other]) } {
                            sleep.notify_worker_latch_is_set(other);
                        }
                    }
                    taken
                })
            })
            .collect();
        publish(&sleep, &queues, Priority::Critical, 1);
        let taken: Vec<Option<u32>> = workers
            .into_iter()
            .map(|worker| worker.join().unwrap())
            .collect();
        assert_eq!(taken.iter().flatten().collect::<Vec<_>>(), [&1]);
        assert_eq!(queues.len(), 0);
    });
}
