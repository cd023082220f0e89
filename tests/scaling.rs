//! Dynamic worker scaling: `min_threads`, `max_threads`, `keep_alive`, and `block_in_place`.
//!
//! Thread counts are read through `ThreadPool::live_threads` and through start/exit handlers.
//! Conditions that take time (threads retiring after their keep-alive) are polled with a
//! generous deadline; nothing here asserts how long anything takes.

mod common;

use common::TIMEOUT;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};
use veda::prelude::*;
use veda::{Config, ConfigError, ThreadPool, ThreadPoolBuilder};

/// A keep-alive short enough for tests to see threads retire.
const SHORT_KEEP_ALIVE: Duration = Duration::from_millis(50);

/// Serializes the tests: they count threads and measure the CPU use of the process.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Polls `condition` until it holds; panics with `what` after [`TIMEOUT`].
fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + TIMEOUT;
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        thread::sleep(Duration::from_millis(5));
    }
}

/// Runs `work` on a helper thread and returns its result; panics if it does not finish
/// within [`TIMEOUT`] (a deadlock), instead of hanging the test.
fn within_timeout<R: Send + 'static>(work: impl FnOnce() -> R + Send + 'static) -> R {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(work());
    });
    rx.recv_timeout(TIMEOUT)
        .expect("the work did not finish: the pool deadlocked")
}

/// Counts the threads between their start and exit handlers, and the most at once.
#[derive(Default)]
struct ThreadCount {
    current: AtomicUsize,
    most: AtomicUsize,
    starts: AtomicUsize,
    exits: AtomicUsize,
}

impl ThreadCount {
    fn started(&self) {
        self.starts.fetch_add(1, Ordering::SeqCst);
        let now = self.current.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
    }

    fn exited(&self) {
        self.exits.fetch_add(1, Ordering::SeqCst);
        self.current.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A builder whose start and exit handlers update `count`.
fn counted(count: &Arc<ThreadCount>) -> ThreadPoolBuilder {
    let (on_start, on_exit) = (Arc::clone(count), Arc::clone(count));
    ThreadPoolBuilder::new()
        .start_handler(move |_| on_start.started())
        .exit_handler(move |_| on_exit.exited())
}

/// Work that takes a little while, so that a parallel loop keeps every thread busy.
fn busy_work(seed: u64) -> u64 {
    (0..20_000u64).fold(seed, |acc, i| {
        std::hint::black_box(acc.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(i))
    })
}

fn load(pool: &ThreadPool) {
    pool.install(|| {
        (0..2_000u64)
            .into_par_iter()
            .map(busy_work)
            .reduce(|| 0, u64::wrapping_add)
    });
}

#[test]
fn defaults_keep_every_thread_as_rayon_does() {
    let _serial = serial();
    let pool = common::pool(3);
    assert_eq!(pool.current_num_threads(), 3);
    assert_eq!(pool.min_threads(), 3);
    assert_eq!(pool.max_threads(), 3 * Config::DEFAULT_MAX_THREADS_FACTOR);
    assert_eq!(pool.keep_alive(), Config::DEFAULT_KEEP_ALIVE);
    assert_eq!(pool.live_threads(), 3);
    load(&pool);
    assert_eq!(pool.live_threads(), 3);
}

#[test]
fn a_pool_starts_min_threads_and_grows_under_load() {
    let _serial = serial();
    let count = Arc::new(ThreadCount::default());
    let pool = counted(&count)
        .num_threads(4)
        .min_threads(1)
        .keep_alive(Duration::from_secs(60))
        .build()
        .unwrap();
    assert_eq!(pool.current_num_threads(), 4);
    assert_eq!(pool.live_threads(), 1);
    wait_until("the first thread started", || {
        count.starts.load(Ordering::SeqCst) == 1
    });
    wait_until("the pool grew to num_threads", || {
        load(&pool);
        pool.live_threads() == 4
    });
    assert_eq!(pool.install(veda::current_num_threads), 4);
    wait_until("every thread ran its start handler", || {
        count.starts.load(Ordering::SeqCst) == 4
    });
    assert_eq!(count.most.load(Ordering::SeqCst), 4);
}

#[test]
fn a_broadcast_starts_every_vacant_worker() {
    let _serial = serial();
    let pool = ThreadPoolBuilder::new()
        .num_threads(3)
        .min_threads(0)
        .keep_alive(Duration::from_secs(60))
        .build()
        .unwrap();
    assert_eq!(pool.live_threads(), 0);
    assert_eq!(pool.broadcast(|ctx| ctx.index()), [0, 1, 2]);
    assert_eq!(pool.live_threads(), 3);
}

#[test]
fn a_pool_without_threads_runs_injected_work() {
    let _serial = serial();
    let pool = ThreadPoolBuilder::new()
        .num_threads(2)
        .min_threads(0)
        .keep_alive(SHORT_KEEP_ALIVE)
        .build()
        .unwrap();
    for round in 0..3 {
        wait_until("every thread retired", || pool.live_threads() == 0);
        assert_eq!(pool.install(|| round + 1), round + 1);
        let (tx, rx) = mpsc::channel();
        pool.spawn(move || tx.send(round).unwrap());
        assert_eq!(rx.recv_timeout(TIMEOUT).unwrap(), round);
    }
}

#[test]
fn idle_threads_retire_down_to_min_threads_and_come_back() {
    let _serial = serial();
    let count = Arc::new(ThreadCount::default());
    let pool = counted(&count)
        .num_threads(4)
        .min_threads(1)
        .keep_alive(SHORT_KEEP_ALIVE)
        .build()
        .unwrap();
    for _ in 0..2 {
        assert_eq!(pool.broadcast(|ctx| ctx.index()), [0, 1, 2, 3]);
        wait_until("the pool shrank to min_threads", || {
            pool.live_threads() == 1
        });
        // Exit handlers run after the thread stopped counting as live.
        wait_until("the retired threads ran their exit handlers", || {
            count.current.load(Ordering::SeqCst) == 1
        });
    }
    let starts = count.starts.load(Ordering::SeqCst);
    assert!(starts >= 7, "threads started {starts} times");
    assert_eq!(count.exits.load(Ordering::SeqCst), starts - 1);
    // No stand-ins here: never more threads than num_threads.
    assert!(count.most.load(Ordering::SeqCst) <= 4);
    // Work still runs, and on every index.
    load(&pool);
    assert_eq!(pool.broadcast(|ctx| ctx.index()), [0, 1, 2, 3]);
    drop(pool);
    wait_until("every thread exited", || {
        count.current.load(Ordering::SeqCst) == 0
    });
}

#[test]
fn shutdown_of_a_shrunk_global_pool_waits_for_its_threads() {
    let _serial = serial();
    // In a child process: the global pool is process-wide.
    let output = common::run_child(
        "shutdown_of_a_shrunk_global_pool_waits_for_its_threads_child",
        &[],
    );
    common::assert_child_passed(&output);
}

#[test]
#[ignore = "run as a child process by shutdown_of_a_shrunk_global_pool_waits_for_its_threads"]
fn shutdown_of_a_shrunk_global_pool_waits_for_its_threads_child() {
    if !common::is_child() {
        return;
    }
    let count = Arc::new(ThreadCount::default());
    counted(&count)
        .num_threads(3)
        .min_threads(1)
        .keep_alive(SHORT_KEEP_ALIVE)
        .build_global()
        .unwrap();
    assert_eq!(veda::broadcast(|ctx| ctx.index()), [0, 1, 2]);
    wait_until("the global pool shrank", || {
        count.current.load(Ordering::SeqCst) == 1
    });
    let ran = Arc::new(AtomicUsize::new(0));
    let spawned = Arc::clone(&ran);
    veda::spawn(move || {
        thread::sleep(SHORT_KEEP_ALIVE);
        spawned.fetch_add(1, Ordering::SeqCst);
    });
    veda::shutdown();
    assert_eq!(
        ran.load(Ordering::SeqCst),
        1,
        "shutdown waits for spawned work"
    );
    assert_eq!(count.current.load(Ordering::SeqCst), 0);
    assert_eq!(
        count.starts.load(Ordering::SeqCst),
        count.exits.load(Ordering::SeqCst)
    );
}

#[test]
fn block_in_place_lets_tasks_that_wait_for_each_other_finish() {
    let _serial = serial();
    let pool = Arc::new(common::pool(2));
    let indices = within_timeout({
        let pool = Arc::clone(&pool);
        move || {
            let tasks = 6;
            let barrier = Barrier::new(tasks);
            let indices = Mutex::new(Vec::new());
            pool.scope(|scope| {
                for _ in 0..tasks {
                    scope.spawn(|_| {
                        indices
                            .lock()
                            .unwrap()
                            .push(veda::current_thread_index().unwrap());
                        veda::block_in_place(|| barrier.wait());
                    });
                }
            });
            indices.into_inner().unwrap()
        }
    });
    assert_eq!(indices.len(), 6);
    // Six tasks blocked at once: at least four ran on stand-ins, whose indices follow the
    // workers'.
    let stand_ins = indices.iter().filter(|&&index| index >= 2).count();
    assert!(stand_ins >= 4, "indices: {indices:?}");
    assert!(
        indices.iter().all(|&index| index < pool.max_threads()),
        "indices: {indices:?}"
    );
    assert_eq!(pool.current_num_threads(), 2);
}

#[test]
fn block_in_place_keeps_the_blocked_workers_jobs_moving() {
    let _serial = serial();
    let pool = Arc::new(common::pool(1));
    let sum = within_timeout({
        let pool = Arc::clone(&pool);
        move || {
            pool.install(|| {
                let (tx, rx) = mpsc::channel();
                // The second half goes onto this worker's deque; only a stand-in can run it
                // while the first half blocks waiting for it.
                let (received, ()) = veda::join(
                    move || veda::block_in_place(move || rx.recv().unwrap()),
                    move || tx.send(41).unwrap(),
                );
                received + 1
            })
        }
    });
    assert_eq!(sum, 42);
}

#[test]
fn stand_ins_never_exceed_max_threads_and_retire_when_idle() {
    let _serial = serial();
    let count = Arc::new(ThreadCount::default());
    let pool = Arc::new(
        counted(&count)
            .num_threads(2)
            .max_threads(3)
            .keep_alive(SHORT_KEEP_ALIVE)
            .build()
            .unwrap(),
    );
    let most_live = Arc::new(AtomicUsize::new(0));
    within_timeout({
        let (pool, most_live) = (Arc::clone(&pool), Arc::clone(&most_live));
        move || {
            pool.scope(|scope| {
                for _ in 0..40 {
                    scope.spawn(|_| {
                        veda::block_in_place(|| {
                            most_live.fetch_max(pool.live_threads(), Ordering::SeqCst);
                            thread::sleep(Duration::from_millis(2));
                        });
                    });
                }
            });
        }
    });
    assert!(most_live.load(Ordering::SeqCst) <= 3);
    // The stand-in's thread was spawned during the scope, but on a loaded machine it may
    // reach its start handler only after the two workers finished every task.
    wait_until("a stand-in started", || {
        count.starts.load(Ordering::SeqCst) >= 3
    });
    assert!(count.most.load(Ordering::SeqCst) <= 3);
    wait_until("the stand-in retired", || pool.live_threads() == 2);
    wait_until("the stand-in ran its exit handler", || {
        count.current.load(Ordering::SeqCst) == 2
    });
}

#[test]
fn many_nested_blocking_calls_stay_within_max_threads() {
    let _serial = serial();
    let count = Arc::new(ThreadCount::default());
    let pool = Arc::new(
        counted(&count)
            .num_threads(2)
            .max_threads(5)
            .keep_alive(SHORT_KEEP_ALIVE)
            .build()
            .unwrap(),
    );
    let total = within_timeout({
        let pool = Arc::clone(&pool);
        move || {
            pool.install(|| {
                (0..200u64)
                    .into_par_iter()
                    .map(|i| {
                        veda::block_in_place(|| {
                            // Nested calls hand nothing over a second time.
                            veda::block_in_place(|| thread::sleep(Duration::from_micros(200)));
                            i
                        })
                    })
                    .sum::<u64>()
            })
        }
    });
    assert_eq!(total, 199 * 200 / 2);
    assert!(count.most.load(Ordering::SeqCst) <= 5);
    wait_until("the stand-ins retired", || pool.live_threads() == 2);
}

#[test]
fn a_panic_in_block_in_place_releases_the_stand_in() {
    let _serial = serial();
    let pool = Arc::new(
        ThreadPoolBuilder::new()
            .num_threads(1)
            .max_threads(2)
            .build()
            .unwrap(),
    );
    let caught = pool.install(|| {
        std::panic::catch_unwind(|| veda::block_in_place(|| panic!("blocked and failed")))
    });
    let payload = caught.unwrap_err();
    assert_eq!(common::panic_message(&*payload), Some("blocked and failed"));
    // The only stand-in slot is free again: two tasks that wait for each other finish.
    within_timeout({
        let pool = Arc::clone(&pool);
        move || {
            let barrier = Barrier::new(2);
            pool.scope(|scope| {
                for _ in 0..2 {
                    scope.spawn(|_| {
                        veda::block_in_place(|| barrier.wait());
                    });
                }
            });
        }
    });
}

#[test]
fn block_in_place_outside_a_pool_or_without_stand_ins_just_runs() {
    let _serial = serial();
    assert_eq!(veda::block_in_place(|| 7), 7);
    let result = ThreadPoolBuilder::new()
        .num_threads(1)
        .build_scoped(
            |thread| thread.run(),
            |pool| {
                assert_eq!(pool.max_threads(), 1);
                pool.install(|| veda::block_in_place(veda::current_thread_index))
            },
        )
        .unwrap();
    assert_eq!(result, Some(0));
    let full = ThreadPoolBuilder::new()
        .num_threads(1)
        .max_threads(1)
        .build()
        .unwrap();
    assert_eq!(full.install(|| veda::block_in_place(|| 5)), 5);
    assert_eq!(full.live_threads(), 1);
}

fn build_error(builder: ThreadPoolBuilder) -> String {
    builder.build().unwrap_err().to_string()
}

#[test]
fn invalid_thread_limits_fail_the_build() {
    let _serial = serial();
    let message = build_error(ThreadPoolBuilder::new().num_threads(2).min_threads(3));
    assert!(message.contains("min_threads (3)"), "{message}");
    assert!(message.contains("num_threads (2)"), "{message}");
    let message = build_error(ThreadPoolBuilder::new().num_threads(4).max_threads(3));
    assert!(message.contains("max_threads (3)"), "{message}");
    let message = build_error(ThreadPoolBuilder::new().keep_alive(Duration::ZERO));
    assert!(message.contains("keep_alive"), "{message}");
    let message = ThreadPoolBuilder::new()
        .num_threads(2)
        .min_threads(1)
        .spawn_handler(|thread| {
            thread::spawn(move || thread.run());
            Ok(())
        })
        .build()
        .unwrap_err()
        .to_string();
    assert!(message.contains("spawn handler"), "{message}");
    // Asking a custom spawner for what it gives anyway is fine.
    let pool = ThreadPoolBuilder::new()
        .num_threads(2)
        .min_threads(2)
        .max_threads(2)
        .spawn_handler(|thread| {
            thread::spawn(move || thread.run());
            Ok(())
        })
        .build()
        .unwrap();
    assert_eq!(pool.max_threads(), 2);
    // Capped like num_threads.
    let pool = ThreadPoolBuilder::new()
        .num_threads(1)
        .max_threads(usize::MAX)
        .build()
        .unwrap();
    assert_eq!(pool.max_threads(), veda::max_num_threads());
}

#[test]
fn config_checks_thread_limits() {
    let _serial = serial();
    let config = Config::builder()
        .num_threads(4)
        .min_threads(1)
        .max_threads(8)
        .keep_alive(Duration::from_secs(2))
        .build()
        .unwrap();
    assert_eq!(config.min_threads(), Some(1));
    assert_eq!(config.max_threads(), Some(8));
    assert_eq!(config.keep_alive(), Some(Duration::from_secs(2)));
    let unset = Config::builder().build().unwrap();
    assert_eq!(
        (unset.min_threads(), unset.max_threads(), unset.keep_alive()),
        (None, None, None)
    );

    let error = Config::builder()
        .num_threads(2)
        .min_threads(3)
        .build()
        .unwrap_err();
    assert_eq!(
        error,
        ConfigError::MinThreadsAboveNumThreads {
            min_threads: 3,
            num_threads: 2
        }
    );
    let error = Config::builder()
        .num_threads(4)
        .max_threads(2)
        .build()
        .unwrap_err();
    assert_eq!(
        error,
        ConfigError::MaxThreadsBelowNumThreads {
            max_threads: 2,
            num_threads: 4
        }
    );
    let error = Config::builder()
        .max_threads(veda::max_num_threads() + 1)
        .build()
        .unwrap_err();
    assert!(matches!(error, ConfigError::MaxThreadsAboveLimit { .. }));
    assert!(error.to_string().contains("max_threads"), "{error}");
    let error = Config::builder()
        .keep_alive(Duration::ZERO)
        .build()
        .unwrap_err();
    assert_eq!(error, ConfigError::ZeroKeepAlive);
    assert!(error.to_string().contains("keep_alive"), "{error}");
    // With the thread count left to the machine, the check waits for the pool to start.
    let deferred = Config::builder().min_threads(usize::from(u16::MAX)).build();
    assert!(deferred.is_ok());
}

/// CPU time (user + system) this process has used, in clock ticks (100 per second).
#[cfg(target_os = "linux")]
fn process_cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let after_name = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let utime: u64 = fields[11].parse().unwrap();
    let stime: u64 = fields[12].parse().unwrap();
    utime + stime
}

#[test]
#[cfg(target_os = "linux")]
fn an_idle_scaling_pool_does_not_burn_cpu() {
    let _serial = serial();
    let pool = Arc::new(
        ThreadPoolBuilder::new()
            .num_threads(4)
            .min_threads(1)
            .keep_alive(Duration::from_millis(200))
            .build()
            .unwrap(),
    );
    load(&pool);
    // Stand-ins, parked once their workers stop blocking.
    within_timeout({
        let pool = Arc::clone(&pool);
        move || {
            let barrier = Barrier::new(6);
            pool.scope(|scope| {
                for _ in 0..6 {
                    scope.spawn(|_| {
                        veda::block_in_place(|| barrier.wait());
                    });
                }
            });
        }
    });
    // Idle while threads are still parked and while they retire.
    let before = process_cpu_ticks();
    thread::sleep(Duration::from_millis(500));
    let used = process_cpu_ticks() - before;
    assert!(
        used < 10,
        "the process used {used} ticks (1/100 s) of CPU during 0.5 s with an idle pool"
    );
    wait_until("the pool shrank", || pool.live_threads() == 1);
    load(&pool);
}

#[test]
fn an_adopted_thread_counts_as_a_thread_that_never_retires() {
    let _serial = serial();
    let pool = ThreadPoolBuilder::new()
        .num_threads(2)
        .min_threads(0)
        .keep_alive(SHORT_KEEP_ALIVE)
        .use_current_thread()
        .build()
        .unwrap();
    assert_eq!(pool.min_threads(), 1);
    assert_eq!(pool.current_thread_index(), Some(0));
    assert_eq!(pool.live_threads(), 1);
    assert_eq!(pool.broadcast(|ctx| ctx.index()), [0, 1]);
    wait_until("worker 1 retired", || pool.live_threads() == 1);
    assert_eq!(pool.install(|| veda::join(|| 1, || 2)), (1, 2));
}
