//! Unit tests of the pieces under the task API: the completion cell, the timer, and the
//! jitter of the retry policy.

use super::completion::Completion;
use super::timer;
use super::RetryPolicy;
use crate::sync::{Arc, Mutex};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[test]
fn the_first_resolution_wins_and_later_ones_come_back() {
    let completion = Completion::new();
    assert!(!completion.is_resolved());
    assert_eq!(completion.try_take(), None);
    assert_eq!(completion.resolve(1), Ok(()));
    assert_eq!(completion.resolve(2), Err(2));
    assert!(completion.is_resolved());
    assert_eq!(completion.wait(), 1);
}

#[test]
fn a_timed_wait_on_a_pending_cell_gives_up() {
    let completion: Completion<u8> = Completion::new();
    assert_eq!(completion.wait_timeout(Duration::from_millis(1)), None);
    assert_eq!(completion.wait_timeout(Duration::ZERO), None);
    completion.resolve(3).unwrap();
    assert_eq!(completion.wait_timeout(Duration::MAX), Some(3));
}

#[test]
fn a_waiter_is_woken_by_a_resolution_on_another_thread() {
    let completion = Arc::new(Completion::new());
    let resolver = {
        let completion = Arc::clone(&completion);
        std::thread::spawn(move || completion.resolve("done").unwrap())
    };
    assert_eq!(completion.wait(), "done");
    resolver.join().unwrap();
}

#[test]
fn the_timer_runs_actions_in_deadline_order() {
    let order = Arc::new(Mutex::new(Vec::new()));
    let (sender, receiver) = mpsc::channel();
    let now = Instant::now();
    // Scheduled out of order; the earliest deadline must run first.
    for (label, delay_ms) in [(3, 30u64), (1, 10), (2, 20)] {
        let order = Arc::clone(&order);
        let sender = sender.clone();
        let action: timer::Action = Box::new(move || {
            order.lock().push(label);
            sender.send(()).unwrap();
        });
        assert!(timer::schedule(now + Duration::from_millis(delay_ms), action).is_ok());
    }
    for _ in 0..3 {
        receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("the timer runs every action");
    }
    assert_eq!(*order.lock(), [1, 2, 3]);
    assert!(now.elapsed() >= Duration::from_millis(30));
}

#[test]
fn a_panicking_action_does_not_stop_the_timer() {
    let (sender, receiver) = mpsc::channel();
    let now = Instant::now();
    assert!(timer::schedule(now, Box::new(|| panic!("a broken action"))).is_ok());
    let after: timer::Action = Box::new(move || sender.send(()).unwrap());
    assert!(timer::schedule(now + Duration::from_millis(1), after).is_ok());
    receiver
        .recv_timeout(Duration::from_secs(60))
        .expect("the timer survives a panicking action");
}

#[test]
fn jitter_only_ever_shortens_the_wait() {
    let policy = RetryPolicy::new(5)
        .initial_backoff(Duration::from_millis(8))
        .max_backoff(Duration::from_millis(64))
        .jitter(0.5);
    for attempt in 1..=5 {
        let full = policy.backoff(attempt, 0.0);
        for step in 0..=10 {
            let wait = policy.backoff(attempt, f64::from(step) / 10.0);
            assert!(
                wait <= full && wait >= full / 2,
                "attempt {attempt}: {wait:?}"
            );
        }
    }
}
