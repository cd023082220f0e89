//! Behaviour of `spawn` and `spawn_fifo`: tasks run, where they run, their order on one
//! thread, and what becomes of their panics.

mod common;

use common::{named_pool, panic_message, pool, TIMEOUT};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

/// Receives `n` values, failing the test if any of them takes longer than [`TIMEOUT`].
fn receive<T>(rx: &mpsc::Receiver<T>, n: usize) -> Vec<T> {
    (0..n)
        .map(|i| {
            rx.recv_timeout(TIMEOUT)
                .unwrap_or_else(|e| panic!("value {i} of {n} never arrived: {e}"))
        })
        .collect()
}

#[test]
fn spawn_from_outside_runs_on_a_global_pool_thread() {
    let (tx, rx) = mpsc::channel();
    veda::spawn(move || tx.send(veda::current_thread_index()).unwrap());
    let index = rx
        .recv_timeout(TIMEOUT)
        .expect("the spawned task never ran");
    assert!(index.is_some(), "spawned task ran outside the pool");
}

#[test]
fn spawn_fifo_from_outside_runs_on_a_global_pool_thread() {
    let (tx, rx) = mpsc::channel();
    veda::spawn_fifo(move || tx.send(veda::current_thread_index()).unwrap());
    let index = rx
        .recv_timeout(TIMEOUT)
        .expect("the spawned task never ran");
    assert!(index.is_some(), "spawned task ran outside the pool");
}

#[test]
fn spawn_moves_owned_data_into_the_task() {
    let (tx, rx) = mpsc::channel();
    let data: Vec<u64> = (1..=100).collect();
    veda::spawn(move || tx.send(data.iter().sum::<u64>()).unwrap());
    assert_eq!(rx.recv_timeout(TIMEOUT), Ok(5050));
}

#[test]
fn many_spawns_all_run() {
    let pool = pool(3);
    let count = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpsc::channel();
    for i in 0..1_000 {
        let count = Arc::clone(&count);
        let tx = tx.clone();
        let task = move || {
            count.fetch_add(1, Ordering::SeqCst);
            tx.send(()).unwrap();
        };
        if i % 2 == 0 {
            pool.spawn(task);
        } else {
            pool.spawn_fifo(task);
        }
    }
    receive(&rx, 1_000);
    assert_eq!(count.load(Ordering::SeqCst), 1_000);
}

#[test]
fn spawn_inside_a_pool_runs_in_that_pool() {
    let pool = named_pool(2, "spawn-inside");
    let (tx, rx) = mpsc::channel();
    pool.install(|| {
        let tx_lifo = tx.clone();
        veda::spawn(move || tx_lifo.send(common::thread_name()).unwrap());
        let tx_fifo = tx.clone();
        veda::spawn_fifo(move || tx_fifo.send(common::thread_name()).unwrap());
    });
    for name in receive(&rx, 2) {
        assert!(name.starts_with("spawn-inside-"), "task ran on {name:?}");
    }
}

#[test]
fn thread_pool_spawn_runs_in_that_pool_from_anywhere() {
    let target = named_pool(2, "spawn-target");
    let other = named_pool(1, "spawn-other");
    let (tx, rx) = mpsc::channel();
    let from_outside = tx.clone();
    target.spawn(move || from_outside.send(common::thread_name()).unwrap());
    let from_outside = tx.clone();
    target.spawn_fifo(move || from_outside.send(common::thread_name()).unwrap());
    other.install(|| {
        let from_other = tx.clone();
        target.spawn(move || from_other.send(common::thread_name()).unwrap());
        let from_other = tx.clone();
        target.spawn_fifo(move || from_other.send(common::thread_name()).unwrap());
    });
    for name in receive(&rx, 4) {
        assert!(name.starts_with("spawn-target-"), "task ran on {name:?}");
    }
}

#[test]
fn spawns_nested_in_spawns_all_run() {
    fn spawn_countdown(n: usize, tx: mpsc::Sender<usize>) {
        tx.send(n).unwrap();
        if n > 0 {
            veda::spawn(move || spawn_countdown(n - 1, tx));
        }
    }
    let pool = pool(2);
    let (tx, rx) = mpsc::channel();
    pool.spawn(move || spawn_countdown(50, tx));
    let mut values = receive(&rx, 51);
    values.sort_unstable();
    assert_eq!(values, (0..=50).collect::<Vec<_>>());
}

#[test]
fn spawn_from_install_runs_lifo_on_a_one_thread_pool() {
    let pool = pool(1);
    let (tx, rx) = mpsc::channel();
    pool.install(|| {
        for i in 0..8 {
            let tx = tx.clone();
            veda::spawn(move || tx.send(i).unwrap());
        }
    });
    assert_eq!(receive(&rx, 8), vec![7, 6, 5, 4, 3, 2, 1, 0]);
}

#[test]
fn spawn_fifo_from_install_runs_fifo_on_a_one_thread_pool() {
    let pool = pool(1);
    let (tx, rx) = mpsc::channel();
    pool.install(|| {
        for i in 0..8 {
            let tx = tx.clone();
            veda::spawn_fifo(move || tx.send(i).unwrap());
        }
    });
    assert_eq!(receive(&rx, 8), vec![0, 1, 2, 3, 4, 5, 6, 7]);
}

#[test]
fn panics_in_spawned_tasks_go_to_the_panic_handler() {
    let (tx, rx) = mpsc::channel::<String>();
    let tx = std::sync::Mutex::new(tx);
    let pool = veda::ThreadPoolBuilder::new()
        .num_threads(2)
        .panic_handler(move |payload| {
            let message = panic_message(&*payload)
                .unwrap_or("<not a string>")
                .to_owned();
            tx.lock().unwrap().send(message).unwrap();
        })
        .build()
        .unwrap();
    for i in 0..5 {
        pool.spawn(move || panic!("spawn {i}"));
        pool.spawn_fifo(move || panic!("spawn_fifo {i}"));
    }
    let mut messages = receive(&rx, 10);
    messages.sort();
    let mut expected: Vec<String> = (0..5)
        .flat_map(|i| [format!("spawn {i}"), format!("spawn_fifo {i}")])
        .collect();
    expected.sort();
    assert_eq!(messages, expected);
    // No handler call beyond one per panic, and the pool still works.
    assert_eq!(pool.install(|| veda::join(|| 1, || 2)), (1, 2));
    assert!(rx.recv_timeout(Duration::from_millis(50)).is_err());
}

#[test]
fn panic_handler_counts_panics_of_global_spawns_from_inside_a_pool() {
    let panics = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let counter = Arc::clone(&panics);
    let pool = veda::ThreadPoolBuilder::new()
        .num_threads(1)
        .panic_handler(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            tx.lock().unwrap().send(()).unwrap();
        })
        .build()
        .unwrap();
    pool.install(|| {
        for _ in 0..3 {
            veda::spawn(|| panic!("inside"));
        }
    });
    receive(&rx, 3);
    assert_eq!(panics.load(Ordering::SeqCst), 3);
}

/// Spawns a panicking task on a pool with no panic handler, then waits; veda must abort the
/// process before the wait ends. Runs only as a child of `spawn_panic_without_handler_aborts`.
#[test]
#[ignore = "run as a child process by spawn_panic_without_handler_aborts"]
fn child_pool_spawn_panic_without_handler() {
    if !common::is_child() {
        return;
    }
    let pool = pool(1);
    pool.spawn(|| panic!("unhandled panic in a spawned task"));
    let deadline = Instant::now() + TIMEOUT;
    while Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
}

/// Like `child_pool_spawn_panic_without_handler`, with a global `spawn_fifo`.
#[test]
#[ignore = "run as a child process by spawn_panic_without_handler_aborts"]
fn child_global_spawn_panic_without_handler() {
    if !common::is_child() {
        return;
    }
    veda::spawn_fifo(|| panic!("unhandled panic in a spawned task"));
    let deadline = Instant::now() + TIMEOUT;
    while Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn spawn_panic_without_handler_aborts() {
    for child in [
        "child_pool_spawn_panic_without_handler",
        "child_global_spawn_panic_without_handler",
    ] {
        let output = common::run_child(child, &[]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            !output.status.success(),
            "{child}: the process survived an unhandled panic in a spawned task:\n{}",
            common::describe(&output)
        );
        // An abort ends the process before the test harness prints its summary; a failing
        // assertion in the child would print one instead.
        assert!(
            stdout.contains("running 1 test") && !stdout.contains("test result:"),
            "{child}: the child did not abort:\n{}",
            common::describe(&output)
        );
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            assert!(
                output.status.signal().is_some(),
                "{child}: the child exited instead of aborting:\n{}",
                common::describe(&output)
            );
        }
    }
}
