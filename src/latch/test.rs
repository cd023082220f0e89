use super::{CoreLatch, Latch, LockLatch};
use crate::sync::Arc;
use std::thread;

#[test]
fn core_latch_walks_its_states() {
    let latch = CoreLatch::new();
    assert!(!latch.probe());
    assert!(latch.get_sleepy());
    assert!(!latch.get_sleepy(), "only an unset latch gets sleepy");
    assert!(latch.fall_asleep());
    latch.wake_up();
    assert!(!latch.probe());
    assert!(latch.get_sleepy(), "waking up returns the latch to unset");
}

#[test]
fn setting_a_sleeping_core_latch_asks_for_a_wake_up() {
    let latch = CoreLatch::new();
    assert!(latch.get_sleepy());
    assert!(latch.fall_asleep());
    // SAFETY: the latch is alive on this frame.
    assert!(unsafe { CoreLatch::set(&latch) });
    assert!(latch.probe());
    latch.wake_up();
    assert!(latch.probe(), "waking up never unsets a set latch");
}

#[test]
fn setting_an_awake_core_latch_needs_no_wake_up() {
    let latch = CoreLatch::new();
    assert!(latch.get_sleepy());
    // SAFETY: the latch is alive on this frame.
    assert!(!unsafe { CoreLatch::set(&latch) });
    assert!(!latch.fall_asleep(), "a set latch cannot fall asleep");
}

#[test]
fn lock_latch_releases_a_blocked_thread() {
    let latch = Arc::new(LockLatch::new());
    let waiter = {
        let latch = Arc::clone(&latch);
        thread::spawn(move || latch.wait())
    };
    // SAFETY: the Arc keeps the latch alive.
    unsafe { Latch::set(&*latch) };
    waiter.join().unwrap();
}

#[test]
fn lock_latch_can_be_reset_and_reused() {
    let latch = Arc::new(LockLatch::new());
    for _ in 0..3 {
        let setter = {
            let latch = Arc::clone(&latch);
            // SAFETY: the Arc keeps the latch alive.
            thread::spawn(move || unsafe { Latch::set(&*latch) })
        };
        latch.wait_and_reset();
        setter.join().unwrap();
    }
    assert!(!*latch.is_set.lock());
}

#[test]
fn a_reused_lock_latch_waits_for_each_round_whether_watched_or_blocked() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    let latch = Arc::new(LockLatch::new());
    let rounds_done = Arc::new(AtomicUsize::new(0));
    for round in 1..=200 {
        let setter = {
            let latch = Arc::clone(&latch);
            let rounds_done = Arc::clone(&rounds_done);
            thread::spawn(move || {
                // Every tenth round sets the latch only after the watch is over, so the
                // waiter has blocked on the condition variable.
                if round % 10 == 0 {
                    thread::sleep(Duration::from_millis(2));
                }
                rounds_done.store(round, Ordering::Relaxed);
                // SAFETY: the Arc keeps the latch alive.
                unsafe { Latch::set(&*latch) };
            })
        };
        latch.wait_and_reset();
        assert_eq!(
            rounds_done.load(Ordering::Relaxed),
            round,
            "the wait of round {round} returned before its latch was set"
        );
        assert!(!latch.set_early.load(Ordering::Relaxed));
        setter.join().unwrap();
    }
}
