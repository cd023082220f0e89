//! Shutdown and worker resilience: ending a pool resolves every outstanding handle, and no
//! isolated panic (nor a panicking start or exit handler) costs a pool a worker.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;
use veda::fault::{RetryPolicy, Task, TaskError, TaskHandle};

/// Spawns `count` tasks through `spawn`; every third fails on its first attempt and is
/// retried after a backoff (so some wait on the timer when the pool is told to end).
fn outstanding_tasks(
    count: u64,
    spawn: impl Fn(
        Task<u64>,
        Box<dyn FnMut(&mut veda::fault::TaskContext) -> Result<u64, String> + Send>,
    ) -> TaskHandle<u64>,
) -> Vec<(u64, TaskHandle<u64>)> {
    let policy = RetryPolicy::new(2)
        .initial_backoff(Duration::from_millis(20))
        .max_backoff(Duration::from_millis(20))
        .jitter(0.0);
    (0..count)
        .map(|i| {
            let body = Box::new(move |ctx: &mut veda::fault::TaskContext| {
                if i.is_multiple_of(3) && ctx.attempt() == 1 {
                    return Err(format!("task {i} retries"));
                }
                Ok(i)
            });
            (i, spawn(Task::new().retry(policy), body))
        })
        .collect()
}

#[test]
fn dropping_a_pool_resolves_every_outstanding_handle() {
    let pool = veda::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let handles = outstanding_tasks(2_000, |task, body| task.try_spawn_in(&pool, body));
    drop(pool);
    for (i, handle) in handles {
        assert_eq!(handle.join().unwrap(), i, "task {i} drained, not lost");
    }
}

#[test]
fn shutdown_waits_until_every_handle_of_the_global_pool_is_resolved() {
    veda::shutdown();
    let handles = outstanding_tasks(2_000, |task, body| task.try_spawn(body));
    veda::shutdown();
    for (i, handle) in &handles {
        assert!(
            handle.is_finished(),
            "task {i} is resolved once shutdown returns"
        );
    }
    for (i, handle) in handles {
        assert_eq!(handle.join().unwrap(), i);
    }
    // The next use starts a fresh global pool, which serves isolated tasks as before.
    assert_eq!(Task::new().spawn(|_| 3).join().unwrap(), 3);
    veda::shutdown();
}

#[test]
fn isolated_panics_never_reach_the_panic_handler() {
    let handled = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&handled);
    let pool = veda::ThreadPoolBuilder::new()
        .num_threads(2)
        .panic_handler(move |_| {
            count.fetch_add(1, Ordering::SeqCst);
        })
        .build()
        .unwrap();
    let handles: Vec<_> = (0..100)
        .map(|i| Task::new().spawn_in(&pool, move |_| -> u8 { panic!("isolated {i}") }))
        .collect();
    for handle in handles {
        assert!(handle.join().unwrap_err().is_panic());
    }
    assert_eq!(handled.load(Ordering::SeqCst), 0);
    // A pool with no panic handler aborts on an unhandled spawn panic (Rayon's contract),
    // but isolated panics are handled: the process goes on.
    let strict = veda::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let error = Task::new()
        .spawn_in(&strict, |_| -> u8 { panic!("contained") })
        .join()
        .unwrap_err();
    assert!(matches!(error, TaskError::Panicked { .. }));
}

#[test]
fn panicking_start_and_exit_handlers_cost_the_pool_no_worker() {
    // Rayon's contract: a start or exit handler's panic goes to the panic handler, and if
    // that returns, the thread starts (or exits) normally.
    let (sender, receiver) = mpsc::channel::<String>();
    let sender = std::sync::Mutex::new(sender);
    let pool = veda::ThreadPoolBuilder::new()
        .num_threads(3)
        .start_handler(|index| panic!("start {index}"))
        .exit_handler(|index| panic!("exit {index}"))
        .panic_handler(move |payload| {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_default();
            let _ = sender.lock().unwrap().send(message);
        })
        .build()
        .unwrap();
    let indices: BTreeSet<usize> = pool.broadcast(|ctx| ctx.index()).into_iter().collect();
    assert_eq!(
        indices,
        BTreeSet::from([0, 1, 2]),
        "every worker serves work"
    );
    let handles: Vec<_> = (0..30u32)
        .map(|i| Task::new().spawn_in(&pool, move |_| i))
        .collect();
    assert_eq!(
        handles.into_iter().map(|h| h.join().unwrap()).sum::<u32>(),
        435
    );
    drop(pool);
    let mut messages: Vec<String> = (0..6)
        .map(|_| {
            receiver
                .recv_timeout(Duration::from_secs(60))
                .expect("every handler panic reaches the panic handler")
        })
        .collect();
    messages.sort();
    assert_eq!(
        messages,
        ["exit 0", "exit 1", "exit 2", "start 0", "start 1", "start 2"]
    );
}
