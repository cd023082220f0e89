use super::{Counters, Sleep, IDLE_SHIFT, JEC_SHIFT};
use crate::latch::CoreLatch;
use crate::sync::{Arc, Ordering};
use std::thread;

#[test]
fn counters_unpack_their_fields() {
    let counters = Counters((7 << JEC_SHIFT) | (5 << IDLE_SHIFT) | 3);
    assert_eq!(counters.sleeping(), 3);
    assert_eq!(counters.idle(), 5);
    assert_eq!(counters.jobs_counter(), 7);
    assert!(counters.is_sleepy());
    assert!(!Counters(6 << JEC_SHIFT).is_sleepy());
}

#[test]
fn looking_and_finding_work_balance_the_idle_count() {
    let sleep = Sleep::new(2);
    let _first = sleep.start_looking(0);
    let _second = sleep.start_looking(1);
    assert_eq!(sleep.load().idle(), 2);
    sleep.work_found();
    sleep.work_found();
    assert_eq!(sleep.load().idle(), 0);
}

#[test]
fn announcing_sleepiness_makes_the_counter_odd_once() {
    let sleep = Sleep::new(2);
    let first = sleep.announce_sleepy();
    let second = sleep.announce_sleepy();
    assert_eq!(
        first, second,
        "a second sleepy worker shares the announcement"
    );
    assert!(sleep.load().is_sleepy());
    // A publisher tells sleepy workers that something changed.
    let after = sleep.tell_sleepy_workers();
    assert!(!after.is_sleepy());
    assert_ne!(after.jobs_counter(), first);
}

#[test]
fn publishing_without_sleepers_wakes_nobody() {
    let sleep = Sleep::new(1);
    sleep.new_injected_jobs(1, true);
    assert_eq!(sleep.load(), Counters(0));
}

#[test]
fn a_sleeping_worker_is_woken_by_its_latch() {
    let sleep = Arc::new(Sleep::new(1));
    let latch = Arc::new(CoreLatch::new());
    let worker = {
        let (sleep, latch) = (Arc::clone(&sleep), Arc::clone(&latch));
        thread::spawn(move || {
            let mut idle = sleep.start_looking(0);
            while !latch.probe() {
                sleep.no_work_found(&mut idle, &latch);
            }
            sleep.work_found();
        })
    };
    // Wait until the worker really sleeps, then set its latch.
    while sleep.load().sleeping() == 0 {
        thread::yield_now();
    }
    // SAFETY: the Arc keeps the latch alive.
    if unsafe { CoreLatch::set(&*latch) } {
        sleep.notify_worker_latch_is_set(0);
    }
    worker.join().unwrap();
    assert_eq!(
        sleep.counters.load(Ordering::SeqCst) & !(u64::MAX << JEC_SHIFT),
        0
    );
}

#[test]
fn a_new_job_wakes_one_sleeper_per_job() {
    let sleep = Arc::new(Sleep::new(2));
    let stop = Arc::new([CoreLatch::new(), CoreLatch::new()]);
    let workers: Vec<_> = (0..2)
        .map(|index| {
            let (sleep, stop) = (Arc::clone(&sleep), Arc::clone(&stop));
            thread::spawn(move || {
                let mut idle = sleep.start_looking(index);
                while !stop[index].probe() {
                    sleep.no_work_found(&mut idle, &stop[index]);
                }
                sleep.work_found();
            })
        })
        .collect();
    while sleep.load().sleeping() < 2 {
        thread::yield_now();
    }
    sleep.new_injected_jobs(1, true);
    assert_eq!(
        sleep.load().sleeping(),
        1,
        "one job wakes one of the two sleepers"
    );
    for (index, latch) in stop.iter().enumerate() {
        // SAFETY: the Arc keeps the latches alive.
        if unsafe { CoreLatch::set(latch) } {
            sleep.notify_worker_latch_is_set(index);
        }
    }
    for worker in workers {
        worker.join().unwrap();
    }
    assert_eq!(sleep.load().idle(), 0);
}
