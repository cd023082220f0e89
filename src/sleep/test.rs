use super::{
    Counters, Scaling, Sleep, StartThread, IDLE_SHIFT, JEC_SHIFT, MIN_SPIN_ROUNDS, SHORT_SLEEP,
    SPIN_ROUNDS,
};
use crate::latch::CoreLatch;
use crate::sync::{Arc, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

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
    // Workers woken from their first sleep, counted before they wait for their stop latch
    // without sleeping again (a woken worker that searched on could fall asleep again
    // before the count below is read, on a busy machine).
    let woken = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..2)
        .map(|index| {
            let (sleep, stop, woken) = (Arc::clone(&sleep), Arc::clone(&stop), Arc::clone(&woken));
            thread::spawn(move || {
                let mut idle = sleep.start_looking(index);
                while !stop[index].probe() {
                    sleep.no_work_found(&mut idle, &stop[index]);
                    if idle.times_slept() > 0 {
                        if !stop[index].probe() {
                            woken.fetch_add(1, Ordering::SeqCst);
                        }
                        while !stop[index].probe() {
                            thread::yield_now();
                        }
                    }
                }
                sleep.work_found();
            })
        })
        .collect();
    while sleep.load().sleeping() < 2 {
        thread::yield_now();
    }
    sleep.new_injected_jobs(1, true);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while woken.load(Ordering::SeqCst) == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the new job woke no sleeper"
        );
        thread::yield_now();
    }
    // Time for a second wake-up to show, were there one.
    thread::sleep(Duration::from_millis(20));
    assert_eq!(
        woken.load(Ordering::SeqCst),
        1,
        "one job wakes one of the two sleepers"
    );
    assert_eq!(sleep.load().sleeping(), 1);
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

/// A sleep state with these limits whose start hook counts the starts it is asked for
/// (and succeeds if `can_start`).
fn scaling_sleep(
    num_threads: usize,
    min_threads: usize,
    max_threads: usize,
    can_start: bool,
) -> (Sleep, Arc<AtomicUsize>) {
    let starts = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&starts);
    let limits = Scaling {
        num_threads,
        min_threads,
        max_threads,
        keep_alive: Duration::from_secs(60),
    };
    let start: Box<StartThread> = Box::new(move |_| {
        counted.fetch_add(1, Ordering::SeqCst);
        can_start
    });
    (Sleep::with_scaling(limits, Some(start)), starts)
}

#[test]
fn vacant_slots_count_as_sleeping_idle_workers() {
    let (sleep, starts) = scaling_sleep(4, 1, 8, true);
    assert_eq!(sleep.load().sleeping(), 3);
    assert_eq!(sleep.load().idle(), 3);
    assert_eq!(sleep.live_threads(), 1);
    assert!(sleep.has_idle_workers());
    // A latch wake-up (the termination latch) never starts a thread.
    sleep.notify_worker_latch_is_set(2);
    assert_eq!(starts.load(Ordering::SeqCst), 0);
    // Work does: one job, one thread, which stays counted idle until it runs.
    sleep.new_injected_jobs(1, true);
    assert_eq!(starts.load(Ordering::SeqCst), 1);
    assert_eq!(sleep.load().sleeping(), 2);
    assert_eq!(sleep.load().idle(), 3);
    assert_eq!(sleep.live_threads(), 2);
    // The awake idle thread will take the next job too, unless the queue backs up.
    sleep.new_injected_jobs(1, true);
    assert_eq!(starts.load(Ordering::SeqCst), 1);
    sleep.new_injected_jobs(1, false);
    assert_eq!(starts.load(Ordering::SeqCst), 2);
}

#[test]
fn a_broadcast_starts_every_vacant_worker_slot() {
    let (sleep, starts) = scaling_sleep(3, 0, 6, true);
    sleep.new_broadcast_jobs();
    assert_eq!(starts.load(Ordering::SeqCst), 3);
    assert_eq!(sleep.load().sleeping(), 0);
    assert_eq!(sleep.live_threads(), 3);
}

#[test]
fn a_slot_whose_thread_cannot_start_stays_vacant() {
    let (sleep, starts) = scaling_sleep(2, 1, 2, false);
    let before = sleep.load();
    sleep.new_injected_jobs(1, true);
    assert_eq!(starts.load(Ordering::SeqCst), 1);
    assert_eq!(sleep.load().sleeping(), before.sleeping());
    assert_eq!(sleep.load().idle(), before.idle());
    assert_eq!(sleep.live_threads(), 1);
    assert_eq!(sleep.claim_stand_in(), None, "no stand-in slot");
}

#[test]
fn stand_ins_are_claimed_started_and_released() {
    let (sleep, starts) = scaling_sleep(1, 1, 3, true);
    let first = sleep.claim_stand_in().unwrap();
    let second = sleep.claim_stand_in().unwrap();
    assert_eq!((first, second), (1, 2));
    assert_eq!(starts.load(Ordering::SeqCst), 2);
    assert_eq!(sleep.live_threads(), 3);
    // Both started threads count as idle until they run; no sleeper was added.
    assert_eq!(sleep.load().idle(), 2);
    assert_eq!(sleep.load().sleeping(), 0);
    assert_eq!(sleep.claim_stand_in(), None, "max_threads reached");
    sleep.release(first);
    assert_eq!(
        sleep.claim_stand_in(),
        Some(first),
        "an unclaimed stand-in is reused"
    );
    assert_eq!(starts.load(Ordering::SeqCst), 2);
}

#[test]
fn a_pool_that_cannot_start_threads_has_no_stand_ins() {
    let sleep = Sleep::new(2);
    assert_eq!(sleep.claim_stand_in(), None);
    assert_eq!(sleep.live_threads(), 2);
    assert!(!sleep.has_idle_workers());
}

#[test]
fn a_retire_eligible_worker_retires_after_its_keep_alive() {
    let limits = Scaling {
        num_threads: 2,
        min_threads: 1,
        max_threads: 2,
        keep_alive: Duration::from_millis(10),
    };
    let sleep = Arc::new(Sleep::with_scaling(limits, Some(Box::new(|_| true))));
    sleep.new_broadcast_jobs();
    assert_eq!(sleep.live_threads(), 2);
    let worker = {
        let sleep = Arc::clone(&sleep);
        thread::spawn(move || {
            let latch = CoreLatch::new();
            sleep.work_found();
            let mut idle = sleep.start_looking(1);
            while !sleep.no_work_found_or_retire(&mut idle, &latch) {}
        })
    };
    worker.join().unwrap();
    assert_eq!(sleep.live_threads(), 1);
    // Still counted as a sleeper, for the next job to start again.
    assert_eq!(sleep.load().sleeping(), 1);
    assert_eq!(sleep.load().idle(), 1);
}

#[test]
fn the_spin_budget_halves_when_spinning_fails_and_doubles_when_it_pays_off() {
    let sleep = Sleep::new(1);
    let budget = || sleep.workers[0].spin_rounds.load(Ordering::Relaxed);
    assert_eq!(budget(), SPIN_ROUNDS);
    for expected in [SPIN_ROUNDS / 2, SPIN_ROUNDS / 4] {
        let mut idle = sleep.start_looking(0);
        sleep.lower_spin_budget(&mut idle);
        drop(idle);
        sleep.work_found();
        assert_eq!(budget(), expected);
    }
    // Lowering stops at the floor.
    for _ in 0..10 {
        let mut idle = sleep.start_looking(0);
        sleep.lower_spin_budget(&mut idle);
        drop(idle);
        sleep.work_found();
    }
    assert_eq!(budget(), MIN_SPIN_ROUNDS);
    // A search that found work after one round of spinning raises it again.
    let latch = CoreLatch::new();
    let mut idle = sleep.start_looking(0);
    sleep.no_work_found(&mut idle, &latch);
    let stalled = idle.spin_failed;
    drop(idle);
    sleep.work_found();
    if !stalled {
        assert_eq!(budget(), MIN_SPIN_ROUNDS * 2);
    }
    // A search that found work at once says nothing about spinning.
    let before = budget();
    drop(sleep.start_looking(0));
    sleep.work_found();
    assert_eq!(budget(), before);
}

#[test]
fn short_sleeps_raise_the_spin_budget_and_long_ones_lower_it() {
    let sleep = Sleep::new(1);
    let budget = || sleep.workers[0].spin_rounds.load(Ordering::Relaxed);
    let after_sleep = |slept: Option<Duration>| {
        let mut idle = sleep.start_looking(0);
        sleep.adapt_spin_budget_after_sleep(&mut idle, slept);
        drop(idle);
        sleep.work_found();
    };
    // Quiet spells bring the budget to the floor...
    for _ in 0..10 {
        after_sleep(Some(SHORT_SLEEP * 10));
    }
    assert_eq!(budget(), MIN_SPIN_ROUNDS);
    // ...and a burst of short gaps brings it back up to the ceiling.
    after_sleep(Some(SHORT_SLEEP / 4));
    assert_eq!(budget(), MIN_SPIN_ROUNDS * 2);
    for _ in 0..10 {
        after_sleep(Some(SHORT_SLEEP / 4));
    }
    assert_eq!(budget(), SPIN_ROUNDS);
    // Without a clock a sleep counts as long.
    after_sleep(None);
    assert_eq!(budget(), SPIN_ROUNDS / 2);
}

#[test]
fn a_worker_woken_long_after_it_fell_asleep_spins_less() {
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
            idle.times_slept()
        })
    };
    while sleep.load().sleeping() == 0 {
        thread::yield_now();
    }
    // Far longer than a short sleep, however slow the wake-up.
    thread::sleep(SHORT_SLEEP * 50);
    // SAFETY: the Arc keeps the latch alive.
    if unsafe { CoreLatch::set(&*latch) } {
        sleep.notify_worker_latch_is_set(0);
    }
    let times_slept = worker.join().unwrap();
    assert!(times_slept >= 1);
    assert!(
        sleep.workers[0].spin_rounds.load(Ordering::Relaxed) < SPIN_ROUNDS,
        "a long sleep lowers the budget"
    );
}
