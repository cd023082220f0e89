//! Loom models of the sleep protocol: no wake-up is ever lost, whether a worker waits for
//! a latch or for new work.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --release --lib loom`. A lost wake-up shows
//! as a loom deadlock (every thread blocked).

use super::Sleep;
use crate::latch::CoreLatch;
use crate::sync::{Arc, AtomicUsize, Ordering};
use loom::thread;

/// The idle loop of a worker that waits for `latch`, with `queue` standing in for the
/// pool's queues (a job is one unit of the counter). Returns true if it took a job.
fn wait_for_latch_or_job(
    sleep: &Sleep,
    index: usize,
    latch: &CoreLatch,
    queue: &AtomicUsize,
) -> bool {
    let mut idle = sleep.start_looking(index);
    let mut took_job = false;
    while !latch.probe() {
        if take_job(queue) {
            took_job = true;
            break;
        }
        sleep.no_work_found(&mut idle, latch);
    }
    sleep.work_found();
    took_job
}

fn take_job(queue: &AtomicUsize) -> bool {
    queue
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |jobs| {
            jobs.checked_sub(1)
        })
        .is_ok()
}

#[test]
fn latch_set_wakes_a_sleeping_worker() {
    loom::model(|| {
        let sleep = Arc::new(Sleep::new(1));
        let latch = Arc::new(CoreLatch::new());
        let queue = Arc::new(AtomicUsize::new(0));
        let setter = {
            let (sleep, latch) = (Arc::clone(&sleep), Arc::clone(&latch));
            thread::spawn(move || {
                // SAFETY: the latch is kept alive by the Arc.
                if unsafe { CoreLatch::set(&*latch) } {
                    sleep.notify_worker_latch_is_set(0);
                }
            })
        };
        wait_for_latch_or_job(&sleep, 0, &latch, &queue);
        assert!(latch.probe());
        setter.join().unwrap();
    });
}

#[test]
fn new_job_wakes_a_sleeping_worker() {
    loom::model(|| {
        let sleep = Arc::new(Sleep::new(1));
        let latch = Arc::new(CoreLatch::new());
        let queue = Arc::new(AtomicUsize::new(0));
        let publisher = {
            let (sleep, queue) = (Arc::clone(&sleep), Arc::clone(&queue));
            thread::spawn(move || {
                queue.fetch_add(1, Ordering::Relaxed);
                sleep.new_injected_jobs(1, true);
            })
        };
        // The latch is never set: only the job can end the wait.
        wait_for_latch_or_job(&sleep, 0, &latch, &queue);
        publisher.join().unwrap();
        assert_eq!(queue.load(Ordering::SeqCst), 0);
    });
}

#[test]
fn one_job_for_two_idle_workers_is_taken() {
    loom::model(|| {
        let sleep = Arc::new(Sleep::new(2));
        let queue = Arc::new(AtomicUsize::new(0));
        // A latch has one waiter: each worker waits on its own.
        let done = Arc::new([CoreLatch::new(), CoreLatch::new()]);
        let workers: Vec<_> = (0..2)
            .map(|index| {
                let (sleep, queue, done) =
                    (Arc::clone(&sleep), Arc::clone(&queue), Arc::clone(&done));
                thread::spawn(move || {
                    if wait_for_latch_or_job(&sleep, index, &done[index], &queue) {
                        // Whoever took the job ends the other's wait.
                        let other = 1 - index;
                        // SAFETY: the latch is kept alive by the Arc.
                        if unsafe { CoreLatch::set(&done[other]) } {
                            sleep.notify_worker_latch_is_set(other);
                        }
                    }
                })
            })
            .collect();
        queue.fetch_add(1, Ordering::Relaxed);
        sleep.new_injected_jobs(1, true);
        for worker in workers {
            worker.join().unwrap();
        }
        assert_eq!(queue.load(Ordering::SeqCst), 0);
    });
}
