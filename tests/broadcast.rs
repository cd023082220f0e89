//! Behaviour of `broadcast` and `spawn_broadcast`: every thread exactly once, the
//! `BroadcastContext`, where they run, and panics.

mod common;

use common::{named_pool, panic_message, pool, TIMEOUT};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;

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
fn broadcast_runs_once_per_thread_in_index_order() {
    let pool = pool(4);
    let calls = AtomicUsize::new(0);
    let results = pool.broadcast(|ctx| {
        calls.fetch_add(1, Ordering::SeqCst);
        (ctx.index(), ctx.num_threads(), veda::current_thread_index())
    });
    assert_eq!(calls.load(Ordering::SeqCst), 4);
    let expected: Vec<_> = (0..4).map(|i| (i, 4, Some(i))).collect();
    assert_eq!(results, expected);
}

#[test]
fn broadcast_runs_on_distinct_threads() {
    let pool = named_pool(3, "bcast-distinct");
    let mut names = pool.broadcast(|_| common::thread_name());
    names.sort();
    assert_eq!(
        names,
        vec!["bcast-distinct-0", "bcast-distinct-1", "bcast-distinct-2"]
    );
}

#[test]
fn broadcast_from_outside_uses_the_global_pool() {
    let n = veda::current_num_threads();
    let results = veda::broadcast(|ctx| (ctx.index(), ctx.num_threads()));
    let expected: Vec<_> = (0..n).map(|i| (i, n)).collect();
    assert_eq!(results, expected);
}

#[test]
fn broadcast_from_inside_a_pool_uses_that_pool() {
    let pool = named_pool(3, "bcast-inside");
    let results = pool.install(|| {
        veda::broadcast(|ctx| {
            assert!(common::thread_name().starts_with("bcast-inside-"));
            (ctx.index(), ctx.num_threads())
        })
    });
    assert_eq!(results, vec![(0, 3), (1, 3), (2, 3)]);
}

#[test]
fn broadcast_into_another_pool_from_inside_a_pool() {
    let outer = pool(1);
    let inner = named_pool(2, "bcast-target");
    let names = outer.install(|| inner.broadcast(|_| common::thread_name()));
    assert_eq!(names, vec!["bcast-target-0", "bcast-target-1"]);
}

#[test]
fn broadcast_borrows_local_data() {
    let pool = pool(3);
    let inputs = [10, 20, 30];
    let outputs = pool.broadcast(|ctx| inputs[ctx.index()] + 1);
    assert_eq!(outputs, vec![11, 21, 31]);
}

#[test]
fn broadcast_waits_for_a_busy_thread() {
    // One worker of a 2-thread pool is stuck in a task until we release it; the broadcast
    // must still reach that worker, and so can only finish after the release.
    let pool = Arc::new(pool(2));
    let (started_tx, started_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    pool.spawn(move || {
        started_tx.send(()).unwrap();
        release_rx.recv_timeout(TIMEOUT).unwrap();
    });
    started_rx.recv_timeout(TIMEOUT).unwrap();

    let (done_tx, done_rx) = mpsc::channel();
    let broadcaster = Arc::clone(&pool);
    thread::spawn(move || {
        let indices = broadcaster.broadcast(|ctx| ctx.index());
        done_tx.send(indices).unwrap();
    });
    // The broadcast cannot complete before the release; nothing is asserted about timing,
    // only that it then covers both threads, the busy one included.
    release_tx.send(()).unwrap();
    let indices = done_rx
        .recv_timeout(TIMEOUT)
        .expect("broadcast never completed");
    assert_eq!(indices, vec![0, 1]);
}

#[test]
fn spawn_broadcast_runs_once_per_thread() {
    let pool = pool(3);
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    pool.spawn_broadcast(move |ctx| {
        let sent = (ctx.index(), ctx.num_threads(), veda::current_thread_index());
        tx.lock().unwrap().send(sent).unwrap();
    });
    let mut results = receive(&rx, 3);
    results.sort_unstable();
    assert_eq!(
        results,
        vec![(0, 3, Some(0)), (1, 3, Some(1)), (2, 3, Some(2))]
    );
    assert!(
        rx.recv_timeout(std::time::Duration::from_millis(50))
            .is_err(),
        "a thread ran the broadcast twice"
    );
}

#[test]
fn global_spawn_broadcast_from_outside_and_inside() {
    let n = veda::current_num_threads();
    let (tx, rx) = mpsc::channel();
    let tx_outside = Mutex::new(tx.clone());
    veda::spawn_broadcast(move |ctx| {
        tx_outside
            .lock()
            .unwrap()
            .send((ctx.index(), ctx.num_threads()))
            .unwrap();
    });
    let mut results = receive(&rx, n);
    results.sort_unstable();
    assert_eq!(results, (0..n).map(|i| (i, n)).collect::<Vec<_>>());

    let pool = pool(2);
    let tx_inside = Mutex::new(tx);
    pool.install(move || {
        veda::spawn_broadcast(move |ctx| {
            tx_inside
                .lock()
                .unwrap()
                .send((ctx.index(), ctx.num_threads()))
                .unwrap();
        });
    });
    let mut results = receive(&rx, 2);
    results.sort_unstable();
    assert_eq!(results, vec![(0, 2), (1, 2)]);
}

#[test]
fn broadcast_panic_propagates_after_every_thread_ran() {
    let pool = pool(3);
    let ran = AtomicUsize::new(0);
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        pool.broadcast(|ctx| {
            ran.fetch_add(1, Ordering::SeqCst);
            if ctx.index() == 1 {
                panic!("broadcast on thread 1");
            }
        })
    }));
    let payload = result.expect_err("broadcast must re-raise the panic");
    assert_eq!(panic_message(&*payload), Some("broadcast on thread 1"));
    assert_eq!(ran.load(Ordering::SeqCst), 3);
    // The pool still works.
    assert_eq!(pool.broadcast(|ctx| ctx.index()), vec![0, 1, 2]);
}

#[test]
fn global_broadcast_panic_propagates() {
    let result = panic::catch_unwind(|| {
        veda::broadcast(|ctx| {
            if ctx.index() == 0 {
                panic!("global broadcast");
            }
        })
    });
    let payload = result.expect_err("broadcast must re-raise the panic");
    assert_eq!(panic_message(&*payload), Some("global broadcast"));
}

#[test]
fn spawn_broadcast_panics_go_to_the_panic_handler() {
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    let pool = veda::ThreadPoolBuilder::new()
        .num_threads(3)
        .panic_handler(move |payload| {
            let message = panic_message(&*payload).map(str::to_owned);
            tx.lock().unwrap().send(message).unwrap();
        })
        .build()
        .unwrap();
    pool.spawn_broadcast(|ctx| {
        if ctx.index() != 0 {
            panic!("spawn_broadcast on {}", ctx.index());
        }
    });
    let mut messages = receive(&rx, 2);
    messages.sort();
    assert_eq!(
        messages,
        vec![
            Some("spawn_broadcast on 1".to_owned()),
            Some("spawn_broadcast on 2".to_owned())
        ]
    );
}
