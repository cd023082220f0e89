//! Priorities and deadlines: the order in which a worker starts queued work of each level,
//! aging under a continuous load of more urgent work, deadline order and misses, and the
//! level that spawned and installed work inherits.
//!
//! Order tests use a one-thread pool whose only worker is held busy while the work is
//! queued, so the order in which it then starts the work is fixed.

mod common;

use common::{panic_message, TIMEOUT};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};
use veda::fault::{RetryPolicy, Task, TaskContext, TaskError};
use veda::{OnDeadlineMiss, Priority, ThreadPool};

/// An aging bound no test reaches: order tests must not depend on timing.
const NO_AGING: Duration = Duration::from_secs(3600);

fn one_thread_pool() -> ThreadPool {
    veda::ThreadPoolBuilder::new()
        .num_threads(1)
        .aging_bound(NO_AGING)
        .build()
        .unwrap()
}

/// `func` as the closure of an isolated task (which runs it once).
fn once(func: impl FnOnce() + Send + 'static) -> impl FnMut(&mut TaskContext) + Send + 'static {
    let mut func = Some(func);
    move |_| (func.take().expect("a task without retries runs once"))()
}

/// Waits until `done` holds, for at most [`TIMEOUT`].
fn wait_until(done: impl Fn() -> bool) -> bool {
    let start = Instant::now();
    while !done() {
        if start.elapsed() > TIMEOUT {
            return false;
        }
        thread::sleep(Duration::from_millis(1));
    }
    true
}

/// Occupies the pool's only worker until the returned sender is dropped or sent to.
fn hold_worker(pool: &ThreadPool) -> mpsc::Sender<()> {
    let (started_tx, started_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    pool.spawn(move || {
        started_tx.send(()).unwrap();
        let _ = release_rx.recv_timeout(TIMEOUT);
    });
    started_rx
        .recv_timeout(TIMEOUT)
        .expect("the worker never started the holding task");
    release_tx
}

/// A log of labels, and a way to wait for a number of them.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    fn record(&self, label: impl Into<String>) {
        self.0.lock().unwrap().push(label.into());
    }

    /// A task that records `label`.
    fn task(&self, label: &str) -> impl FnOnce() + Send + 'static {
        let log = self.clone();
        let label = label.to_owned();
        move || log.record(label)
    }

    /// Waits until `n` labels were recorded, then returns them.
    fn wait_for(&self, n: usize) -> Vec<String> {
        let start = Instant::now();
        loop {
            let labels = self.0.lock().unwrap().clone();
            if labels.len() >= n {
                return labels;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "only {} of {n} tasks ran: {labels:?}",
                labels.len()
            );
            thread::sleep(Duration::from_millis(1));
        }
    }
}

#[test]
fn a_worker_starts_higher_levels_first() {
    let pool = one_thread_pool();
    let log = Log::default();
    let release = hold_worker(&pool);
    pool.spawn_with_priority(Priority::Background, log.task("background 1"));
    pool.spawn_with_priority(Priority::Low, log.task("low"));
    pool.spawn(log.task("normal"));
    pool.spawn_with_priority(Priority::High, log.task("high"));
    pool.spawn_with_priority(Priority::Critical, log.task("critical 1"));
    pool.spawn_with_priority(Priority::Background, log.task("background 2"));
    pool.spawn_with_priority(Priority::Critical, log.task("critical 2"));
    assert_eq!(pool.queued_prioritized_tasks(), 6);
    drop(release);
    assert_eq!(
        log.wait_for(7),
        [
            "critical 1",
            "critical 2",
            "high",
            "normal",
            "low",
            "background 1",
            "background 2"
        ]
    );
    assert_eq!(pool.queued_prioritized_tasks(), 0);
}

#[test]
fn spawned_work_inherits_the_level_of_its_task() {
    let pool = one_thread_pool();
    let (tx, rx) = mpsc::channel();
    pool.spawn_with_priority(Priority::Low, move || {
        let tx_inner = tx.clone();
        veda::spawn(move || tx_inner.send(veda::current_priority()).unwrap());
        tx.send(veda::current_priority()).unwrap();
    });
    let levels = [rx.recv_timeout(TIMEOUT), rx.recv_timeout(TIMEOUT)];
    assert_eq!(levels, [Ok(Priority::Low), Ok(Priority::Low)]);
}

#[test]
fn scope_jobs_inherit_the_level_of_their_task() {
    let pool = common::pool(2);
    let record = |levels: &Mutex<Vec<_>>, job| {
        levels.lock().unwrap().push((job, veda::current_priority()));
    };
    let levels = Mutex::new(Vec::new());
    veda::with_priority(Priority::High, || {
        pool.install(|| {
            let levels = &levels;
            veda::scope(|s| s.spawn(|_| record(levels, "spawn")));
            veda::scope_fifo(|s| {
                s.spawn_fifo(move |s| {
                    record(levels, "spawn_fifo");
                    // And on into the jobs those jobs spawn.
                    for _ in 0..3 {
                        s.spawn_fifo(move |_| record(levels, "nested"));
                    }
                });
            });
        })
    });
    let levels = levels.into_inner().unwrap();
    assert_eq!(
        levels,
        [
            ("spawn", Priority::High),
            ("spawn_fifo", Priority::High),
            ("nested", Priority::High),
            ("nested", Priority::High),
            ("nested", Priority::High),
        ]
    );
}

#[test]
fn installed_work_inherits_the_callers_level() {
    let pool = one_thread_pool();
    // Two threads: one waits in the install below for a task that the other runs.
    let other = common::pool(2);
    assert_eq!(pool.install(veda::current_priority), Priority::Normal);
    let level = veda::with_priority(Priority::High, || pool.install(veda::current_priority));
    assert_eq!(level, Priority::High);
    // From a task of one pool into another pool, and on into a task spawned there.
    let (tx, rx) = mpsc::channel();
    pool.spawn_with_priority(Priority::Background, move || {
        let installed = other.install(|| {
            let (inner_tx, inner_rx) = mpsc::channel();
            veda::spawn(move || inner_tx.send(veda::current_priority()).unwrap());
            (veda::current_priority(), inner_rx.recv_timeout(TIMEOUT))
        });
        tx.send(installed).unwrap();
    });
    assert_eq!(
        rx.recv_timeout(TIMEOUT).unwrap(),
        (Priority::Background, Ok(Priority::Background))
    );
}

#[test]
fn an_install_from_a_critical_caller_overtakes_queued_background_work() {
    let pool = Arc::new(one_thread_pool());
    let log = Log::default();
    let release = hold_worker(&pool);
    for i in 0..3 {
        pool.spawn_with_priority(Priority::Background, log.task(&format!("background {i}")));
    }
    let installer = {
        let pool = Arc::clone(&pool);
        let log = log.clone();
        thread::spawn(move || {
            veda::with_priority(Priority::Critical, || {
                pool.install(|| log.record("install"))
            })
        })
    };
    let start = Instant::now();
    while pool.queued_prioritized_tasks() < 4 {
        assert!(start.elapsed() < TIMEOUT, "the install was never queued");
        thread::sleep(Duration::from_millis(1));
    }
    drop(release);
    installer.join().unwrap();
    assert_eq!(
        log.wait_for(4),
        ["install", "background 0", "background 1", "background 2"]
    );
}

#[test]
fn a_pool_default_level_applies_to_work_that_names_none() {
    let pool = veda::ThreadPoolBuilder::new()
        .num_threads(1)
        .default_priority(Priority::Background)
        .aging_bound(NO_AGING)
        .build()
        .unwrap();
    assert_eq!(pool.default_priority(), Priority::Background);
    let log = Log::default();
    let release = hold_worker(&pool);
    pool.spawn(log.task("default"));
    pool.spawn_with_priority(Priority::Low, log.task("low"));
    drop(release);
    assert_eq!(log.wait_for(2), ["low", "default"]);
    assert_eq!(pool.install(veda::current_priority), Priority::Background);
    // An explicit level wins over the pool's default.
    let level = veda::with_priority(Priority::Normal, || pool.install(veda::current_priority));
    assert_eq!(level, Priority::Normal);
}

#[test]
fn scope_jobs_start_by_level() {
    let pool = one_thread_pool();
    let order = Mutex::new(Vec::new());
    pool.scope(|s| {
        s.spawn_with_priority(Priority::Low, |_| order.lock().unwrap().push("low"));
        s.spawn_with_priority(Priority::Background, |_| {
            order.lock().unwrap().push("background")
        });
        s.spawn_with_priority(Priority::High, |s| {
            order.lock().unwrap().push("high");
            // Inherits High: runs before the Low and Background jobs.
            s.spawn(|_| {
                order.lock().unwrap().push(match veda::current_priority() {
                    Priority::High => "high child",
                    _ => "child at the wrong level",
                })
            });
        });
    });
    assert_eq!(
        order.into_inner().unwrap(),
        ["high", "high child", "low", "background"]
    );
}

#[test]
fn every_background_task_finishes_under_a_continuous_high_load() {
    const BACKGROUND: usize = 50;
    const HIGH_CAP: usize = 2_000_000;
    for threads in [1, 2] {
        let pool = Arc::new(
            veda::ThreadPoolBuilder::new()
                .num_threads(threads)
                .aging_bound(Duration::from_millis(1))
                .build()
                .unwrap(),
        );
        let background_done = Arc::new(AtomicUsize::new(0));
        for _ in 0..BACKGROUND {
            let done = Arc::clone(&background_done);
            pool.spawn_with_priority(Priority::Background, move || {
                done.fetch_add(1, Ordering::SeqCst);
            });
        }
        // One chain of High tasks per thread, each task queueing the next before it ends:
        // High work is always waiting whenever a worker picks, until every Background task
        // has run (or the cap is reached, which fails the test).
        let (tx, rx) = mpsc::channel();
        for _ in 0..threads {
            high_chain(
                Arc::clone(&pool),
                Arc::clone(&background_done),
                BACKGROUND,
                HIGH_CAP,
                0,
                tx.clone(),
            );
        }
        for _ in 0..threads {
            let high_tasks = rx.recv_timeout(TIMEOUT).expect("a High chain never ended");
            assert!(
                high_tasks < HIGH_CAP,
                "{threads} thread(s): the Background tasks starved: only {} of {BACKGROUND} ran \
                 during {high_tasks} High tasks",
                background_done.load(Ordering::SeqCst)
            );
        }
        assert_eq!(background_done.load(Ordering::SeqCst), BACKGROUND);
    }
}

/// Queues a High task that queues the next one until `target` Background tasks are done or
/// `cap` High tasks ran, then reports how many ran.
fn high_chain(
    pool: Arc<ThreadPool>,
    background_done: Arc<AtomicUsize>,
    target: usize,
    cap: usize,
    count: usize,
    report: mpsc::Sender<usize>,
) {
    let next_pool = Arc::clone(&pool);
    pool.spawn_with_priority(Priority::High, move || {
        if background_done.load(Ordering::SeqCst) < target && count < cap {
            high_chain(next_pool, background_done, target, cap, count + 1, report);
        } else {
            report.send(count).unwrap();
        }
    });
}

#[test]
fn within_a_level_the_earliest_deadline_starts_first() {
    let pool = one_thread_pool();
    let log = Log::default();
    let release = hold_worker(&pool);
    let now = Instant::now();
    let at = |secs| Task::new().deadline(now + Duration::from_secs(secs));
    pool.spawn(log.task("normal, no deadline"));
    let handles = [
        at(300).spawn_in(&pool, once(log.task("300 s"))),
        at(100).spawn_in(&pool, once(log.task("100 s"))),
        at(200)
            .priority(Priority::Low)
            .spawn_in(&pool, once(log.task("low, 200 s"))),
        at(200).spawn_in(&pool, once(log.task("200 s"))),
        at(400)
            .priority(Priority::High)
            .spawn_in(&pool, once(log.task("high, 400 s"))),
    ];
    drop(release);
    assert_eq!(
        log.wait_for(6),
        [
            "high, 400 s",
            "100 s",
            "200 s",
            "300 s",
            "normal, no deadline",
            "low, 200 s"
        ]
    );
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(pool.deadline_misses().total(), 0);
}

/// Counts its drops.
struct DropCounter(Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn a_missed_deadline_drops_or_runs_late_as_chosen() {
    let pool = one_thread_pool();
    let release = hold_worker(&pool);
    // Deadlines already past: every one of them is missed when its turn comes.
    let past = Instant::now() - Duration::from_millis(10);
    let ran = Arc::new(AtomicUsize::new(0));
    let drops = Arc::new(AtomicUsize::new(0));
    let task = || {
        let ran = Arc::clone(&ran);
        let guard = DropCounter(Arc::clone(&drops));
        move |_: &mut TaskContext| {
            let _keep = &guard;
            ran.fetch_add(1, Ordering::SeqCst);
        }
    };
    let drop_late = Task::new()
        .deadline(past)
        .on_deadline_miss(OnDeadlineMiss::Drop);
    let late = Task::new().deadline(past).spawn_in(&pool, task());
    let dropped = drop_late.spawn_in(&pool, task());
    let dropped_low = Task::new()
        .priority(Priority::Low)
        .deadline(past)
        .on_deadline_miss(OnDeadlineMiss::Drop)
        .spawn_in(&pool, task());
    let on_time = Task::new()
        .deadline(Instant::now() + NO_AGING)
        .on_deadline_miss(OnDeadlineMiss::Drop)
        .spawn_in(&pool, task());
    assert!(!late.is_finished());
    drop(release);
    late.join().unwrap();
    match dropped.join() {
        Err(error @ TaskError::DeadlineMissed { missed_by, .. }) => {
            assert!(missed_by >= Duration::from_millis(10));
            assert!(error.to_string().contains("OnDeadlineMiss::RunLate"));
        }
        other => panic!("expected DeadlineMissed, got {other:?}"),
    }
    assert!(dropped_low.join().unwrap_err().is_deadline_missed());
    on_time.join().unwrap();
    assert_eq!(
        ran.load(Ordering::SeqCst),
        2,
        "only the late and on-time tasks run"
    );
    assert!(
        wait_until(|| drops.load(Ordering::SeqCst) == 4),
        "every closure is dropped once"
    );
    let misses = pool.deadline_misses();
    assert_eq!((misses.ran_late, misses.dropped), (1, 2));
}

#[test]
fn a_dropped_task_gets_its_fallback_or_skip_and_no_retry() {
    let pool = one_thread_pool();
    let past = Instant::now() - Duration::from_millis(1);
    let attempts = Arc::new(AtomicUsize::new(0));
    let counted = || {
        let attempts = Arc::clone(&attempts);
        move |_: &mut TaskContext| {
            attempts.fetch_add(1, Ordering::SeqCst);
            "fresh"
        }
    };
    let dropping = || {
        Task::new()
            .deadline(past)
            .on_deadline_miss(OnDeadlineMiss::Drop)
            .retry(RetryPolicy::new(3).initial_backoff(Duration::from_millis(1)))
    };
    let fallback = dropping()
        .fallback_value("cached")
        .spawn_in(&pool, counted());
    assert_eq!(fallback.join().unwrap(), "cached");
    let skipped = dropping()
        .recovery(veda::fault::Recovery::Skip)
        .spawn_in(&pool, counted());
    match skipped.join() {
        Err(TaskError::Skipped { cause, .. }) => assert!(cause.is_deadline_missed()),
        other => panic!("expected Skipped, got {other:?}"),
    }
    let plain = dropping().spawn_in(&pool, counted()).join().unwrap_err();
    assert!(plain.is_deadline_missed(), "not RetriesExhausted: {plain}");
    assert_eq!(attempts.load(Ordering::SeqCst), 0, "none ran, none retried");
}

#[test]
fn an_isolated_task_runs_at_its_level_or_inherits_the_spawner_s() {
    let pool = veda::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let level = |task: Task<Priority>| task.spawn_in(&pool, |_| veda::current_priority());
    assert_eq!(
        level(Task::new().priority(Priority::Low)).join().unwrap(),
        Priority::Low
    );
    let inherited = veda::with_priority(Priority::High, || level(Task::new()));
    assert_eq!(inherited.join().unwrap(), Priority::High);
    assert_eq!(level(Task::new()).join().unwrap(), Priority::Normal);
}

#[test]
fn a_panicking_prioritized_task_goes_to_the_panic_handler_or_its_handle() {
    let (tx, rx) = mpsc::channel();
    let pool = veda::ThreadPoolBuilder::new()
        .num_threads(1)
        .panic_handler(move |payload| {
            tx.send(panic_message(&*payload).map(str::to_owned))
                .unwrap()
        })
        .build()
        .unwrap();
    pool.spawn_with_priority(Priority::High, || panic!("high task failed"));
    assert_eq!(
        rx.recv_timeout(TIMEOUT).unwrap().as_deref(),
        Some("high task failed")
    );
    let isolated = Task::new()
        .priority(Priority::High)
        .spawn_in(&pool, |_| -> () { panic!("isolated high task failed") })
        .join()
        .unwrap_err();
    assert!(isolated.is_panic());
    assert!(
        rx.try_recv().is_err(),
        "an isolated panic stays in its handle"
    );
}

#[test]
fn waiting_for_a_task_from_the_only_worker_does_not_hang() {
    let pool = one_thread_pool();
    let outcome = pool.install(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let set = Arc::clone(&flag);
        let handle = Task::new()
            .priority(Priority::Background)
            .spawn(move |_| set.store(true, Ordering::SeqCst));
        (handle.join().is_ok(), flag.load(Ordering::SeqCst))
    });
    assert_eq!(outcome, (true, true));
}

#[test]
fn queued_work_keeps_a_dropped_pool_alive_until_it_ran() {
    let pool = one_thread_pool();
    let release = hold_worker(&pool);
    let (tx, rx) = mpsc::channel();
    for level in Priority::ALL {
        let tx = tx.clone();
        pool.spawn_with_priority(level, move || tx.send(level).unwrap());
    }
    drop(pool);
    drop(release);
    let mut levels: Vec<Priority> = (0..Priority::ALL.len())
        .map(|_| rx.recv_timeout(TIMEOUT).expect("queued work was lost"))
        .collect();
    levels.sort();
    levels.reverse();
    assert_eq!(levels, Priority::ALL);
}

#[test]
fn a_zero_aging_bound_is_refused() {
    let error = veda::ThreadPoolBuilder::new()
        .aging_bound(Duration::ZERO)
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("aging_bound"), "{error}");
    let error = veda::Config::builder()
        .aging_bound(Duration::ZERO)
        .build()
        .unwrap_err();
    assert_eq!(error, veda::ConfigError::ZeroAgingBound);
}
