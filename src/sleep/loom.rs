//! Loom models of the sleep protocol: no wake-up is ever lost, whether a worker waits for
//! a latch or for new work, and no job is left behind when threads retire and start again.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --release --lib loom`. A lost wake-up shows
//! as a loom deadlock (every thread blocked).

use super::{Scaling, Sleep, StartThread};
use crate::latch::CoreLatch;
use crate::sync::{Arc, AtomicUsize, Ordering};
use loom::thread;
use std::time::Duration;

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

/// A worker thread of slot `index`, started by the pool (it counts as idle until it runs):
/// takes jobs until `stop` is set or, when its slot lets it, it retires.
fn worker_thread(sleep: &Sleep, index: usize, stop: &CoreLatch, queue: &AtomicUsize) {
    // A predecessor that retired left the latch asleep.
    stop.wake_up();
    sleep.work_found();
    'search: while !stop.probe() {
        let mut idle = sleep.start_looking(index);
        while !stop.probe() {
            if take_job(queue) {
                sleep.work_found();
                continue 'search;
            }
            if sleep.no_work_found_or_retire(&mut idle, stop) {
                return;
            }
        }
        sleep.work_found();
    }
}

/// Limits for the scaling models; the keep-alive does not matter under loom, where a timed
/// wait may time out at any point.
fn scaling(num_threads: usize, min_threads: usize, max_threads: usize) -> Scaling {
    Scaling {
        num_threads,
        min_threads,
        max_threads,
        keep_alive: Duration::from_secs(1),
    }
}

/// A start hook that only counts the starts it was asked for; the model starts the threads.
fn counting_starter(starts: &Arc<AtomicUsize>) -> Box<StartThread> {
    let starts = Arc::clone(starts);
    Box::new(move |_index| {
        starts.fetch_add(1, Ordering::SeqCst);
        true
    })
}

#[test]
fn a_retired_worker_is_started_again_for_new_work() {
    loom::model(|| {
        let starts = Arc::new(AtomicUsize::new(0));
        // One worker slot, vacant at first: every thread in it may retire.
        let sleep = Arc::new(Sleep::with_scaling(
            scaling(1, 0, 1),
            Some(counting_starter(&starts)),
        ));
        let queue = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(CoreLatch::new());
        let start_worker = || {
            let (sleep, queue, stop) = (Arc::clone(&sleep), Arc::clone(&queue), Arc::clone(&stop));
            thread::spawn(move || worker_thread(&sleep, 0, &stop, &queue))
        };
        queue.fetch_add(1, Ordering::Relaxed);
        sleep.new_injected_jobs(1, true);
        assert_eq!(
            starts.load(Ordering::SeqCst),
            1,
            "work starts the vacant slot"
        );
        let first = start_worker();
        // Let the worker run ahead, possibly as far as retiring (loom schedules other
        // threads first when one yields).
        for _ in 0..4 {
            thread::yield_now();
        }
        queue.fetch_add(1, Ordering::Relaxed);
        sleep.new_injected_jobs(1, true);
        // Either the first thread takes the second job too, or it retired and the second
        // job started the slot again.
        if starts.load(Ordering::SeqCst) == 2 {
            first.join().unwrap();
            start_worker().join().unwrap();
        } else {
            first.join().unwrap();
        }
        assert_eq!(
            queue.load(Ordering::SeqCst),
            0,
            "a job was left without a thread"
        );
        assert_eq!(sleep.live_threads(), 0);
    });
}

#[test]
fn a_retiring_stand_in_loses_no_job() {
    loom::model(|| {
        let starts = Arc::new(AtomicUsize::new(0));
        // One worker that never retires, and one stand-in slot.
        let sleep = Arc::new(Sleep::with_scaling(
            scaling(1, 1, 2),
            Some(counting_starter(&starts)),
        ));
        let queue = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(CoreLatch::new());
        sleep.worker_starting();
        let worker = {
            let (sleep, queue, stop) = (Arc::clone(&sleep), Arc::clone(&queue), Arc::clone(&stop));
            thread::spawn(move || {
                sleep.work_found();
                wait_for_latch_or_job(&sleep, 0, &stop, &queue);
            })
        };
        assert_eq!(sleep.claim_stand_in(), Some(1));
        assert_eq!(starts.load(Ordering::SeqCst), 1);
        let stand_in = {
            let (sleep, queue) = (Arc::clone(&sleep), Arc::clone(&queue));
            // Never stopped: it ends by retiring.
            let never = Arc::new(CoreLatch::new());
            thread::spawn(move || worker_thread(&sleep, 1, &never, &queue))
        };
        // Nobody blocks any more: the stand-in may retire before or while the job comes in.
        sleep.release(1);
        for _ in 0..2 {
            thread::yield_now();
        }
        queue.fetch_add(1, Ordering::Relaxed);
        sleep.new_injected_jobs(1, true);
        stand_in.join().unwrap();
        if queue.load(Ordering::SeqCst) == 0 {
            // The job was taken: release the worker if it still waits.
            // SAFETY: the Arc keeps the latch alive.
            if unsafe { CoreLatch::set(&*stop) } {
                sleep.notify_worker_latch_is_set(0);
            }
        }
        // Otherwise the worker must take it; if it was not told, loom reports a deadlock.
        worker.join().unwrap();
        assert_eq!(queue.load(Ordering::SeqCst), 0);
    });
}
