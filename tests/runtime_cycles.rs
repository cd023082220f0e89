//! Starting, ending and restarting the global pool with `init`, `init_with_config` and
//! `shutdown`.
//!
//! Every test here restarts the global pool, so they hold [`SERIAL`] for their whole run; no
//! other test binary's tests share this process.

mod common;

use common::TIMEOUT;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;
use veda::{Config, Error};

static SERIAL: Mutex<()> = Mutex::new(());

/// Takes the lock and ends any global pool left by an earlier test.
fn serial() -> MutexGuard<'static, ()> {
    let guard = SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    veda::shutdown();
    guard
}

fn config(num_threads: usize) -> Config {
    Config::builder().num_threads(num_threads).build().unwrap()
}

fn named_config(num_threads: usize, prefix: &str) -> Config {
    Config::builder()
        .num_threads(num_threads)
        .thread_name(prefix)
        .build()
        .unwrap()
}

fn global_thread_names() -> Vec<String> {
    veda::broadcast(|_| common::thread_name())
}

#[cfg(target_os = "linux")]
fn thread_count() -> usize {
    std::fs::read_dir("/proc/self/task").unwrap().count()
}

#[test]
#[cfg(target_os = "linux")]
fn init_shutdown_cycles_do_not_leak_threads() {
    let _serial = serial();
    // One cycle first, so that anything started once per process is already there.
    veda::init_with_config(config(2)).unwrap();
    veda::shutdown();
    let before = thread_count();
    for cycle in 0..100u64 {
        if cycle % 2 == 0 {
            veda::init_with_config(config(2)).unwrap();
            assert_eq!(veda::current_num_threads(), 2);
        }
        // On odd cycles this starts the global pool lazily.
        let (a, b) = veda::join(|| cycle, || cycle + 1);
        assert_eq!(a + b, 2 * cycle + 1);
        veda::shutdown();
    }
    let after = thread_count();
    // Test harness threads may come and go meanwhile; a leak would add ~2 per cycle.
    assert!(
        after <= before + 2,
        "{before} threads before 100 init/shutdown cycles, {after} after"
    );
}

#[test]
fn shutdown_waits_for_queued_global_work() {
    let _serial = serial();
    veda::init_with_config(config(2)).unwrap();
    let done = Arc::new(AtomicUsize::new(0));
    for i in 0..10 {
        let done = Arc::clone(&done);
        let task = move || {
            thread::sleep(Duration::from_millis(5));
            done.fetch_add(1, Ordering::SeqCst);
        };
        if i % 2 == 0 {
            veda::spawn(task);
        } else {
            veda::spawn_fifo(task);
        }
    }
    // A task that queues more work before it ends.
    let outer = Arc::clone(&done);
    veda::spawn(move || {
        thread::sleep(Duration::from_millis(10));
        veda::spawn(move || {
            thread::sleep(Duration::from_millis(5));
            outer.fetch_add(1, Ordering::SeqCst);
        });
    });
    let broadcast_done = Arc::clone(&done);
    veda::spawn_broadcast(move |_| {
        broadcast_done.fetch_add(1, Ordering::SeqCst);
    });
    veda::shutdown();
    assert_eq!(
        done.load(Ordering::SeqCst),
        10 + 1 + 2,
        "shutdown returned before the queued work had finished"
    );
}

#[test]
fn work_after_shutdown_starts_a_fresh_pool() {
    let _serial = serial();
    veda::init_with_config(named_config(2, "first")).unwrap();
    assert_eq!(veda::current_num_threads(), 2);
    assert_eq!(global_thread_names(), vec!["first-0", "first-1"]);
    veda::shutdown();

    // Lazily started with the default configuration.
    let names = global_thread_names();
    assert!(
        names.iter().all(|name| !name.starts_with("first-")),
        "the old pool's threads are still used: {names:?}"
    );
    veda::shutdown();

    veda::init_with_config(named_config(3, "second")).unwrap();
    assert_eq!(veda::current_num_threads(), 3);
    assert_eq!(
        global_thread_names(),
        vec!["second-0", "second-1", "second-2"]
    );
    let (tx, rx) = mpsc::channel();
    veda::spawn(move || tx.send(common::thread_name()).unwrap());
    let name = rx
        .recv_timeout(TIMEOUT)
        .expect("spawn after restart never ran");
    assert!(name.starts_with("second-"), "ran on {name:?}");
    veda::shutdown();
}

#[test]
fn init_fails_while_the_global_pool_runs_and_succeeds_after_shutdown() {
    let _serial = serial();
    veda::join(|| (), || ());
    assert!(matches!(
        veda::init_with_config(config(2)),
        Err(Error::AlreadyInitialized)
    ));
    assert!(matches!(veda::init(), Err(Error::AlreadyInitialized)));
    veda::shutdown();

    veda::init_with_config(config(2)).expect("init after shutdown");
    assert!(matches!(
        veda::init_with_config(config(2)),
        Err(Error::AlreadyInitialized)
    ));
    let error = veda::ThreadPoolBuilder::new()
        .build_global()
        .expect_err("build_global while the global pool runs");
    assert_eq!(
        error.to_string(),
        "The global thread pool has already been initialized."
    );
    veda::shutdown();

    veda::init().expect("init with the default configuration after shutdown");
    assert!(veda::current_num_threads() >= 1);
    veda::shutdown();

    veda::ThreadPoolBuilder::new()
        .num_threads(2)
        .build_global()
        .expect("build_global after shutdown");
    assert_eq!(veda::current_num_threads(), 2);
    veda::shutdown();
}

#[test]
fn shutdown_without_a_running_pool_does_nothing() {
    let _serial = serial();
    veda::shutdown();
    veda::shutdown();
    assert_eq!(veda::join(|| 5, || 6), (5, 6));
    veda::shutdown();
}

#[test]
fn thread_spawn_failure_is_reported_and_leaves_no_pool() {
    let _serial = serial();
    // No system can give a thread a stack of a pebibyte.
    let huge = Config::builder()
        .num_threads(2)
        .stack_size(1 << 50)
        .build()
        .unwrap();
    let error = veda::init_with_config(huge).expect_err("a 1 PiB stack cannot be allocated");
    assert!(matches!(error, Error::ThreadSpawn(_)), "{error:?}");
    assert!(!error.to_string().is_empty());

    veda::init_with_config(config(2)).expect("init after a failed init");
    assert_eq!(veda::current_num_threads(), 2);
    veda::shutdown();
}

#[test]
fn shutdown_from_inside_the_global_pool_does_not_deadlock() {
    let _serial = serial();
    veda::init_with_config(config(2)).unwrap();
    let (tx, rx) = mpsc::channel();
    veda::spawn(move || {
        veda::shutdown();
        tx.send(()).unwrap();
    });
    rx.recv_timeout(TIMEOUT)
        .expect("shutdown called from a global worker hung");
    // The next call starts a fresh pool.
    assert_eq!(veda::join(|| 1, || 2), (1, 2));
    veda::shutdown();
}
