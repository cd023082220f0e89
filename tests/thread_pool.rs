//! Behaviour of `ThreadPoolBuilder` and `ThreadPool`: every builder setting, custom and
//! scoped thread spawning, the current thread as a worker, the global pool, thread queries,
//! yielding, nested pools, and shutdown on drop.

mod common;

use common::{named_pool, panic_message, pool, TIMEOUT};
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};
use veda::{ThreadPoolBuilder, Yield};

/// Receives `n` values, failing the test if any of them takes longer than [`TIMEOUT`].
fn receive<T>(rx: &mpsc::Receiver<T>, n: usize) -> Vec<T> {
    (0..n)
        .map(|i| {
            rx.recv_timeout(TIMEOUT)
                .unwrap_or_else(|e| panic!("value {i} of {n} never arrived: {e}"))
        })
        .collect()
}

/// Joins `handle`, failing the test if the thread has not ended within [`TIMEOUT`].
fn join_within_timeout<T>(handle: JoinHandle<T>) -> T {
    let deadline = Instant::now() + TIMEOUT;
    while !handle.is_finished() {
        assert!(
            Instant::now() < deadline,
            "a pool thread did not end after its pool was dropped"
        );
        thread::sleep(Duration::from_millis(5));
    }
    handle.join().expect("a pool thread panicked")
}

/// Uses about `depth` × 16 KiB of stack.
fn consume_stack(depth: usize) -> usize {
    let mut frame = [0u8; 16 * 1024];
    let slot = depth % frame.len();
    frame[slot] = 1;
    std::hint::black_box(&mut frame);
    if depth == 0 {
        return usize::from(frame[slot]);
    }
    consume_stack(depth - 1) + usize::from(frame[slot])
}

#[test]
fn thread_pool_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<veda::ThreadPool>();
}

#[test]
fn num_threads_sets_the_pool_size() {
    for n in [1, 2, 5] {
        let pool = pool(n);
        assert_eq!(pool.current_num_threads(), n);
        assert_eq!(pool.install(veda::current_num_threads), n);
        assert_eq!(pool.broadcast(|_| ()).len(), n);
    }
}

#[test]
fn zero_threads_picks_a_default_size() {
    let pool = pool(0);
    assert!(pool.current_num_threads() >= 1);
    assert!(pool.current_num_threads() <= veda::max_num_threads());
}

#[test]
fn thread_name_names_every_worker() {
    let pool = named_pool(3, "named-worker");
    let in_install = pool.install(common::thread_name);
    assert!(
        in_install.starts_with("named-worker-"),
        "install ran on {in_install:?}"
    );
    let names = pool.broadcast(|ctx| (ctx.index(), common::thread_name()));
    let expected: Vec<_> = (0..3).map(|i| (i, format!("named-worker-{i}"))).collect();
    assert_eq!(names, expected);
}

/// Runs 16 MiB deep on a pool whose stack size is 64 MiB (default thread stacks are 2 MiB):
/// if the setting were ignored the child would die of a stack overflow.
#[test]
#[ignore = "run as a child process by stack_size_is_honoured"]
fn child_deep_recursion_on_a_large_stack() {
    if !common::is_child() {
        return;
    }
    let pool = ThreadPoolBuilder::new()
        .num_threads(1)
        .stack_size(64 * 1024 * 1024)
        .build()
        .unwrap();
    assert_eq!(pool.install(|| consume_stack(1_024)), 1_025);
}

#[test]
fn stack_size_is_honoured() {
    let output = common::run_child("child_deep_recursion_on_a_large_stack", &[]);
    common::assert_child_passed(&output);
}

#[test]
fn start_and_exit_handlers_run_once_per_thread_on_that_thread() {
    let (start_tx, start_rx) = mpsc::channel();
    let (exit_tx, exit_rx) = mpsc::channel();
    let start_tx = Mutex::new(start_tx);
    let exit_tx = Mutex::new(exit_tx);
    let pool = ThreadPoolBuilder::new()
        .num_threads(3)
        .thread_name(|i| format!("handlers-{i}"))
        .start_handler(move |i| {
            start_tx
                .lock()
                .unwrap()
                .send((i, common::thread_name()))
                .unwrap()
        })
        .exit_handler(move |i| {
            exit_tx
                .lock()
                .unwrap()
                .send((i, common::thread_name()))
                .unwrap()
        })
        .build()
        .unwrap();
    // A thread that runs a broadcast has started.
    pool.broadcast(|_| ());
    let mut starts = receive(&start_rx, 3);
    starts.sort();
    let expected: Vec<_> = (0..3).map(|i| (i, format!("handlers-{i}"))).collect();
    assert_eq!(starts, expected);
    assert!(
        exit_rx.try_recv().is_err(),
        "an exit handler ran while the pool was alive"
    );

    drop(pool);
    let mut exits = receive(&exit_rx, 3);
    exits.sort();
    assert_eq!(exits, expected);
    assert!(start_rx.recv_timeout(Duration::from_millis(50)).is_err());
    assert!(exit_rx.recv_timeout(Duration::from_millis(50)).is_err());
}

#[test]
fn panic_handler_receives_the_payload() {
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    let pool = ThreadPoolBuilder::new()
        .num_threads(2)
        .panic_handler(move |payload| {
            let message = panic_message(&*payload).map(str::to_owned);
            tx.lock().unwrap().send(message).unwrap();
        })
        .build()
        .unwrap();
    pool.spawn(|| panic!("handled {}", 42));
    assert_eq!(rx.recv_timeout(TIMEOUT), Ok(Some("handled 42".to_owned())));
}

#[test]
fn install_returns_the_result_and_propagates_panics() {
    let pool = pool(2);
    assert_eq!(pool.install(|| 7 * 6), 42);
    let result = panic::catch_unwind(AssertUnwindSafe(|| pool.install(|| panic!("in install"))));
    let payload = result.expect_err("install must re-raise the panic");
    assert_eq!(panic_message(&*payload), Some("in install"));
    assert_eq!(pool.install(|| "still works"), "still works");
}

#[test]
fn install_can_borrow_local_data() {
    let pool = pool(2);
    let mut values = vec![1, 2, 3];
    pool.install(|| values.iter_mut().for_each(|v| *v *= 10));
    assert_eq!(values, vec![10, 20, 30]);
}

#[test]
fn spawn_handler_spawns_joinable_threads_that_leave_the_pool() {
    let mut handles = Vec::new();
    let mut seen = Vec::new();
    let pool = ThreadPoolBuilder::new()
        .num_threads(2)
        .thread_name(|i| format!("custom-spawn-{i}"))
        .stack_size(1024 * 1024)
        .spawn_handler(|thread| {
            seen.push((
                thread.index(),
                thread.name().map(str::to_owned),
                thread.stack_size(),
            ));
            let mut builder = thread::Builder::new();
            if let Some(name) = thread.name() {
                builder = builder.name(name.to_owned());
            }
            if let Some(size) = thread.stack_size() {
                builder = builder.stack_size(size);
            }
            handles.push(builder.spawn(move || {
                thread.run();
                veda::current_thread_index()
            })?);
            Ok(())
        })
        .build()
        .unwrap();
    let names = pool.broadcast(|_| common::thread_name());
    assert_eq!(names, vec!["custom-spawn-0", "custom-spawn-1"]);
    drop(pool);

    seen.sort();
    assert_eq!(
        seen,
        vec![
            (0, Some("custom-spawn-0".to_owned()), Some(1024 * 1024)),
            (1, Some("custom-spawn-1".to_owned()), Some(1024 * 1024)),
        ]
    );
    assert_eq!(handles.len(), 2);
    for handle in handles {
        assert_eq!(
            join_within_timeout(handle),
            None,
            "current_thread_index() must be None once ThreadBuilder::run returned"
        );
    }
}

#[test]
fn spawn_handler_error_fails_the_build_and_ends_started_threads() {
    let mut handles = Vec::new();
    let result = ThreadPoolBuilder::new()
        .num_threads(3)
        .spawn_handler(|thread| {
            if thread.index() == 1 {
                return Err(io::Error::other("no more threads today"));
            }
            handles.push(thread::spawn(move || thread.run()));
            Ok(())
        })
        .build();
    let error = result.expect_err("the spawn error must fail the build");
    assert!(
        error.to_string().contains("no more threads today"),
        "unexpected message: {error}"
    );
    for handle in handles {
        join_within_timeout(handle);
    }
}

#[test]
fn build_scoped_threads_borrow_locals_and_end_before_it_returns() {
    let started = AtomicUsize::new(0);
    let left_pool = AtomicUsize::new(0);
    let input = [1u64, 2, 3, 4];
    let sum = ThreadPoolBuilder::new()
        .num_threads(2)
        .build_scoped(
            |thread| {
                started.fetch_add(1, Ordering::SeqCst);
                thread.run();
                if veda::current_thread_index().is_none() {
                    left_pool.fetch_add(1, Ordering::SeqCst);
                }
            },
            |pool| {
                assert_eq!(pool.current_num_threads(), 2);
                pool.install(|| {
                    let (a, b) = veda::join(
                        || input[..2].iter().sum::<u64>(),
                        || input[2..].iter().sum::<u64>(),
                    );
                    a + b
                })
            },
        )
        .unwrap();
    assert_eq!(sum, 10);
    assert_eq!(started.load(Ordering::SeqCst), 2);
    assert_eq!(
        left_pool.load(Ordering::SeqCst),
        2,
        "every scoped thread must have left the pool when build_scoped returns"
    );
}

#[test]
fn use_current_thread_makes_the_caller_worker_zero() {
    let (tx, rx) = mpsc::channel();
    // A fresh thread, so that no test harness thread becomes a pool worker.
    thread::spawn(move || {
        let me = thread::current().id();
        let pool = ThreadPoolBuilder::new()
            .num_threads(2)
            .use_current_thread()
            .build()
            .unwrap();
        let checks = (
            veda::current_thread_index(),
            pool.current_thread_index(),
            pool.install(|| (veda::current_thread_index(), thread::current().id() == me)),
            pool.broadcast(|ctx| ctx.index()),
            veda::join(veda::current_thread_index, || 1).0,
        );
        let second = ThreadPoolBuilder::new()
            .num_threads(1)
            .use_current_thread()
            .build()
            .map(drop)
            .map_err(|e| e.to_string());
        tx.send((checks, second)).unwrap();
        drop(pool);
    });
    let (checks, second) = rx.recv_timeout(TIMEOUT).expect("the test thread hung");
    assert_eq!(checks.0, Some(0), "the calling thread must be worker 0");
    assert_eq!(checks.1, Some(0));
    assert_eq!(
        checks.2,
        (Some(0), true),
        "install from worker 0 runs inline"
    );
    assert_eq!(checks.3, vec![0, 1]);
    assert_eq!(checks.4, Some(0));
    assert_eq!(
        second,
        Err("The current thread is already part of another thread pool.".to_owned())
    );
}

#[test]
fn use_current_thread_fails_on_a_worker_of_another_pool() {
    let outer = pool(1);
    let result = outer.install(|| {
        ThreadPoolBuilder::new()
            .num_threads(1)
            .use_current_thread()
            .build()
            .map(drop)
    });
    assert!(result.is_err(), "a worker cannot join a second pool");
}

#[test]
fn build_global_fails_once_the_global_pool_exists() {
    // The first call may already fail if another test started the global pool first.
    let _ = ThreadPoolBuilder::new().build_global();
    let error = ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global()
        .expect_err("a second build_global must fail");
    assert_eq!(
        error.to_string(),
        "The global thread pool has already been initialized."
    );
    // The global pool is unaffected.
    assert_eq!(veda::join(|| 1, || 2), (1, 2));
}

#[test]
fn current_thread_index_inside_and_outside() {
    assert_eq!(veda::current_thread_index(), None);
    let pool = pool(3);
    assert_eq!(pool.current_thread_index(), None);
    let index = pool.install(veda::current_thread_index);
    assert!(index.is_some_and(|i| i < 3), "index {index:?}");
    let own_index = pool.install(|| pool.current_thread_index());
    assert!(own_index.is_some_and(|i| i < 3), "index {own_index:?}");

    let other = common::pool(2);
    assert_eq!(
        other.install(|| pool.current_thread_index()),
        None,
        "a worker of another pool is not part of this one"
    );
    assert!(other.install(veda::current_thread_index).is_some());
}

#[test]
fn pending_tasks_and_yielding_outside_any_pool() {
    assert_eq!(veda::current_thread_has_pending_tasks(), None);
    assert_eq!(veda::yield_now(), None);
    assert_eq!(veda::yield_local(), None);
    let pool = pool(1);
    assert_eq!(pool.current_thread_has_pending_tasks(), None);
    assert_eq!(pool.yield_now(), None);
    assert_eq!(pool.yield_local(), None);
    let other = common::pool(1);
    other.install(|| {
        assert_eq!(pool.current_thread_has_pending_tasks(), None);
        assert_eq!(pool.yield_now(), None);
        assert_eq!(pool.yield_local(), None);
    });
}

#[test]
fn pending_tasks_and_yielding_on_a_one_thread_pool() {
    let pool = pool(1);
    let ran = AtomicUsize::new(0);
    let ran = &ran;
    pool.install(|| {
        assert_eq!(veda::current_thread_has_pending_tasks(), Some(false));
        assert_eq!(veda::yield_local(), Some(Yield::Idle));
        assert_eq!(veda::yield_now(), Some(Yield::Idle));

        veda::scope(|s| {
            s.spawn(move |_| {
                ran.fetch_add(1, Ordering::SeqCst);
            });
            assert_eq!(veda::current_thread_has_pending_tasks(), Some(true));
            assert_eq!(pool.current_thread_has_pending_tasks(), Some(true));
            assert_eq!(veda::yield_local(), Some(Yield::Executed));
            assert_eq!(ran.load(Ordering::SeqCst), 1);
            assert_eq!(veda::current_thread_has_pending_tasks(), Some(false));
            assert_eq!(veda::yield_local(), Some(Yield::Idle));

            s.spawn(move |_| {
                ran.fetch_add(1, Ordering::SeqCst);
            });
            assert_eq!(pool.yield_now(), Some(Yield::Executed));
            assert_eq!(ran.load(Ordering::SeqCst), 2);
            assert_eq!(pool.yield_now(), Some(Yield::Idle));
        });
    });
}

#[test]
fn yield_now_runs_work_injected_from_outside() {
    let pool = pool(1);
    let injected = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&injected);
    let executed = pool.install(|| {
        // Queue a task from a thread outside the pool while the only worker is busy here.
        let pool_ref = &pool;
        thread::scope(|s| {
            s.spawn(|| pool_ref.spawn(move || flag.store(true, Ordering::SeqCst)));
        });
        let deadline = Instant::now() + TIMEOUT;
        let mut executed = false;
        while !injected.load(Ordering::SeqCst) {
            assert!(
                Instant::now() < deadline,
                "yield_now never ran the injected task"
            );
            executed |= veda::yield_now() == Some(Yield::Executed);
        }
        executed
    });
    assert!(executed, "yield_now must report that it executed the task");
}

#[test]
fn install_into_another_pool_from_inside_a_pool() {
    let outer = named_pool(2, "nest-outer");
    let inner = named_pool(2, "nest-inner");
    let (inner_name, outer_again) = outer.install(|| {
        let inner_name = inner.install(common::thread_name);
        (inner_name, common::thread_name())
    });
    assert!(
        inner_name.starts_with("nest-inner-"),
        "ran on {inner_name:?}"
    );
    assert!(
        outer_again.starts_with("nest-outer-"),
        "ran on {outer_again:?}"
    );
}

#[test]
fn mutual_install_between_two_one_thread_pools_does_not_deadlock() {
    let a = named_pool(1, "mutual-a");
    let b = named_pool(1, "mutual-b");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let names = a.install(|| {
            b.install(|| {
                a.install(|| {
                    let innermost = b.install(common::thread_name);
                    (common::thread_name(), innermost)
                })
            })
        });
        tx.send(names).unwrap();
    });
    let names = rx
        .recv_timeout(TIMEOUT)
        .expect("mutual install between two one-thread pools deadlocked");
    assert_eq!(names, ("mutual-a-0".to_owned(), "mutual-b-0".to_owned()));
}

#[test]
fn dropping_a_pool_lets_spawned_work_finish() {
    let pool = pool(2);
    let (tx, rx) = mpsc::channel();
    for i in 0..8 {
        let tx = tx.clone();
        pool.spawn(move || {
            thread::sleep(Duration::from_millis(5));
            tx.send(i).unwrap();
        });
    }
    drop(tx);
    drop(pool);
    let mut results = receive(&rx, 8);
    results.sort_unstable();
    assert_eq!(results, (0..8).collect::<Vec<_>>());
}

#[test]
fn many_threads_install_concurrently() {
    let pool = Arc::new(pool(2));
    let handles: Vec<_> = (0..8u64)
        .map(|t| {
            let pool = Arc::clone(&pool);
            thread::spawn(move || {
                (0..50u64)
                    .map(|i| pool.install(|| veda::join(|| t * i, || 1).0))
                    .sum::<u64>()
            })
        })
        .collect();
    let total: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(total, (0..8u64).sum::<u64>() * (0..50u64).sum::<u64>());
}

#[test]
fn debug_output_is_not_empty() {
    let builder = ThreadPoolBuilder::new().num_threads(2);
    assert!(format!("{builder:?}").contains("ThreadPoolBuilder"));
    let pool = builder.build().unwrap();
    assert!(format!("{pool:?}").contains("ThreadPool"));
}
