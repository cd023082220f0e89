//! Isolated tasks: outcomes, recovery strategies, timeouts, cancellation, checkpoints, and
//! the places a task can be spawned from.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;
use veda::fault::{Fallback, Recovery, RetryPolicy, Task, TaskError};

fn quick_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::new(attempts)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(4))
}

#[test]
fn a_value_comes_back() {
    assert_eq!(Task::new().spawn(|_| 40 + 2).join().unwrap(), 42);
}

#[test]
fn a_panic_becomes_an_error_with_its_message_and_name() {
    let error = Task::new()
        .name("decoder")
        .spawn(|_| -> u8 { panic!("bad byte {}", 7) })
        .join()
        .unwrap_err();
    match &error {
        TaskError::Panicked {
            message,
            task,
            location,
        } => {
            assert_eq!(message, "bad byte 7");
            assert_eq!(task.as_deref(), Some("decoder"));
            assert!(location
                .as_deref()
                .is_some_and(|l| l.contains("fault_tasks.rs")));
        }
        other => panic!("unexpected {other:?}"),
    }
    let text = error.to_string();
    assert!(
        text.contains("\"decoder\"") && text.contains("bad byte 7"),
        "{text}"
    );
}

#[test]
fn an_error_result_is_a_failure() {
    let error = Task::<u8>::new()
        .try_spawn(|_| Err("disk full"))
        .join()
        .unwrap_err();
    assert!(
        matches!(&error, TaskError::Failed { source, .. } if source.to_string() == "disk full")
    );
}

#[test]
fn transient_failures_are_retried_until_success() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let handle = Task::new().retry(quick_retries(5)).spawn(move |ctx| {
        counted.fetch_add(1, Ordering::SeqCst);
        assert!(ctx.attempt() >= 3, "attempt {} fails", ctx.attempt());
        ctx.attempt()
    });
    assert_eq!(handle.join().unwrap(), 3);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[test]
fn exhausted_retries_report_the_attempts_and_the_last_cause() {
    let error = Task::<()>::new()
        .retry(quick_retries(3))
        .try_spawn(|ctx| Err(format!("attempt {}", ctx.attempt())))
        .join()
        .unwrap_err();
    match error {
        TaskError::RetriesExhausted { attempts, last, .. } => {
            assert_eq!(attempts, 3);
            assert!(last.to_string().contains("attempt 3"), "{last}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn fallbacks_replace_a_failure() {
    let value = Task::new()
        .fallback_value(-1)
        .spawn(|_| -> i32 { panic!("no") })
        .join();
    assert_eq!(value.unwrap(), -1);
    let described = Task::new()
        .retry(quick_retries(2))
        .fallback(Fallback::with(|error: &TaskError| match error {
            TaskError::RetriesExhausted { attempts, .. } => *attempts,
            _ => 0,
        }))
        .spawn(|_| -> u32 { panic!("no") })
        .join();
    assert_eq!(described.unwrap(), 2);
}

#[test]
fn a_panicking_fallback_is_isolated_too() {
    let error = Task::new()
        .fallback(Fallback::with(|_: &TaskError| -> u8 {
            panic!("fallback broke")
        }))
        .spawn(|_| -> u8 { panic!("task broke") })
        .join()
        .unwrap_err();
    assert!(matches!(error, TaskError::Panicked { message, .. } if message == "fallback broke"));
}

#[test]
fn skip_and_propagate() {
    let skipped = Task::new()
        .recovery(Recovery::Skip)
        .spawn(|_| -> u8 { panic!("x") })
        .join()
        .unwrap_err();
    assert!(matches!(&skipped, TaskError::Skipped { cause, .. } if cause.is_panic()));
    assert!(skipped.root_cause().is_panic());
    let propagated = Task::new()
        .retry(quick_retries(3))
        .fallback_value(1u8)
        .recovery(Recovery::Propagate)
        .spawn(|_| -> u8 { panic!("x") })
        .join()
        .unwrap_err();
    assert!(
        propagated.is_panic(),
        "Propagate clears retries and fallback"
    );
}

#[test]
fn checkpoints_let_a_retry_resume() {
    let handle = Task::new().retry(quick_retries(4)).spawn(|ctx| {
        let mut items: Vec<u32> = ctx.checkpoint().unwrap_or_default();
        while items.len() < 9 {
            items.push(items.len() as u32);
            ctx.save_checkpoint(items.clone());
            if items.len().is_multiple_of(3) && ctx.attempt() <= (items.len() / 3) as u32 {
                panic!("failure after {} items", items.len());
            }
        }
        (items, ctx.attempt())
    });
    let (items, attempts) = handle.join().unwrap();
    assert_eq!(items, (0..9).collect::<Vec<_>>());
    assert_eq!(attempts, 4);
}

#[test]
fn take_checkpoint_moves_it_out() {
    let handle = Task::new().retry(quick_retries(2)).spawn(|ctx| {
        if ctx.attempt() == 1 {
            ctx.save_checkpoint(String::from("state"));
            panic!("first attempt fails");
        }
        let wrong_type: Option<u64> = ctx.take_checkpoint();
        let state: Option<String> = ctx.take_checkpoint();
        let again: Option<String> = ctx.take_checkpoint();
        (wrong_type, state, again)
    });
    assert_eq!(
        handle.join().unwrap(),
        (None, Some(String::from("state")), None)
    );
}

#[test]
fn a_timeout_resolves_the_handle_and_the_task_sees_it() {
    let saw_cancel = Arc::new(AtomicUsize::new(0));
    let flag = Arc::clone(&saw_cancel);
    let error = Task::new()
        .name("slow")
        .timeout(Duration::from_millis(20))
        .spawn(move |ctx| {
            while !ctx.is_cancelled() {
                std::thread::sleep(Duration::from_millis(1));
            }
            flag.store(1, Ordering::SeqCst);
        })
        .join()
        .unwrap_err();
    assert!(
        matches!(error, TaskError::TimedOut { after, .. } if after == Duration::from_millis(20))
    );
    // The attempt stops on its own, having seen the cancellation.
    while saw_cancel.load(Ordering::SeqCst) == 0 {
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn a_timeout_also_ends_a_waiting_retry() {
    let error = Task::<()>::new()
        .retry(
            RetryPolicy::new(10)
                .initial_backoff(Duration::from_secs(3600))
                .max_backoff(Duration::from_secs(3600)),
        )
        .timeout(Duration::from_millis(20))
        .try_spawn(|_| Err("always"))
        .join()
        .unwrap_err();
    assert!(error.is_timeout());
}

#[test]
fn a_task_cancelled_before_it_starts_never_runs() {
    let pool = veda::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let gate = Arc::new(Barrier::new(2));
    let ran = Arc::new(AtomicUsize::new(0));
    let blocker = {
        let gate = Arc::clone(&gate);
        Task::new().spawn_in(&pool, move |_| {
            gate.wait();
        })
    };
    let counted = Arc::clone(&ran);
    let victim = Task::new().spawn_in(&pool, move |_| {
        counted.fetch_add(1, Ordering::SeqCst);
    });
    assert!(victim.cancel());
    assert!(!victim.cancel(), "a second cancel does nothing");
    assert!(victim.is_finished());
    gate.wait();
    blocker.join().unwrap();
    assert!(victim.join().unwrap_err().is_cancelled());
    // The pool has run everything queued before this install returns.
    pool.install(|| ());
    drop(pool);
    assert_eq!(ran.load(Ordering::SeqCst), 0);
}

#[test]
fn cancelling_a_finished_task_changes_nothing() {
    let handle = Task::new().spawn(|_| 5);
    let handle = loop {
        if handle.is_finished() {
            break handle;
        }
        std::thread::yield_now();
    };
    assert!(!handle.cancel());
    assert_eq!(handle.join().unwrap(), 5);
}

#[test]
fn try_join_and_join_timeout_give_the_handle_back() {
    let gate = Arc::new(Barrier::new(2));
    let waiting = Arc::clone(&gate);
    let handle = Task::new().spawn(move |_| {
        waiting.wait();
        9
    });
    let handle = handle.try_join().unwrap_err();
    let handle = handle.join_timeout(Duration::from_millis(5)).unwrap_err();
    assert!(!handle.is_finished());
    gate.wait();
    assert_eq!(
        handle
            .join_timeout(Duration::from_secs(600))
            .unwrap()
            .unwrap(),
        9
    );
}

#[test]
fn spawn_in_a_pool_and_from_inside_one() {
    let pool = veda::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let handle = Task::new().spawn_in(&pool, |_| veda::current_thread_index().is_some());
    assert!(handle.join().unwrap());
    // From a worker: joining helps run the pool's jobs, so even a one-thread pool cannot
    // deadlock on a task queued behind the caller.
    let single = veda::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let total = single.install(|| {
        let handles: Vec<_> = (0..10).map(|i| Task::new().spawn(move |_| i)).collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum::<i32>()
    });
    assert_eq!(total, 45);
    let retried = single.install(|| {
        Task::new()
            .retry(quick_retries(3))
            .spawn(|ctx| {
                assert!(ctx.attempt() > 1);
                ctx.attempt()
            })
            .join()
    });
    assert_eq!(retried.unwrap(), 2);
}

#[test]
fn scoped_tasks_borrow_and_the_scope_waits_for_their_retries() {
    let inputs: Vec<u64> = (1..=100).collect();
    let attempts = AtomicUsize::new(0);
    let (sum, detached_ran) = {
        let detached_ran = AtomicUsize::new(0);
        let sum = veda::scope(|s| {
            let handle = Task::new().retry(quick_retries(3)).spawn_scoped(s, |ctx| {
                attempts.fetch_add(1, Ordering::SeqCst);
                assert!(ctx.attempt() >= 2, "first attempt fails");
                inputs.iter().sum::<u64>()
            });
            // A detached handle: the scope still waits for its task, retries included.
            drop(
                Task::<()>::new()
                    .retry(quick_retries(3))
                    .try_spawn_scoped(s, |ctx| {
                        if ctx.attempt() < 3 {
                            return Err("later");
                        }
                        detached_ran.fetch_add(1, Ordering::SeqCst);
                        Ok(())
                    }),
            );
            handle.join().unwrap()
        });
        (sum, detached_ran.into_inner())
    };
    assert_eq!(sum, 5050);
    assert_eq!(attempts.into_inner(), 2);
    assert_eq!(
        detached_ran, 1,
        "the scope ended only after the detached task's retries"
    );
}

/// Counts its drop, to tell when a task's closure is gone.
struct DropCount<'a>(&'a AtomicUsize);

impl DropCount<'_> {
    /// Called by a closure so that it captures the whole value.
    fn keep(&self) {}
}

impl Drop for DropCount<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn a_plain_scoped_task_borrows_and_its_scope_waits_for_it() {
    let inputs: Vec<u64> = (1..=10).collect();
    let sum = AtomicUsize::new(0);
    let dropped = AtomicUsize::new(0);
    veda::scope(|s| {
        let (inputs, sum) = (&inputs, &sum);
        let guard = DropCount(&dropped);
        // Detached: the scope still waits for it, and for its closure to be dropped.
        drop(Task::new().spawn_scoped(s, move |_| {
            guard.keep();
            sum.fetch_add(inputs.iter().sum::<u64>() as usize, Ordering::SeqCst);
        }));
        let guard = DropCount(&dropped);
        let cancelled = Task::new().spawn_scoped(s, move |_| guard.keep());
        // Whether or not the cancellation wins the race, the scope waits for the task.
        if cancelled.cancel() {
            assert!(cancelled.join().unwrap_err().is_cancelled());
        }
    });
    assert_eq!(sum.into_inner(), 55);
    assert_eq!(
        dropped.into_inner(),
        2,
        "both closures were dropped before the scope ended"
    );
}

#[test]
fn the_handle_is_debug_and_named() {
    let handle = Task::new().name("n").spawn(|_| ());
    assert_eq!(handle.name(), Some("n"));
    assert!(format!("{handle:?}").contains("\"n\""));
    handle.join().unwrap();
}

#[test]
fn join_timeout_accepts_any_duration_on_a_worker_too() {
    let pool = veda::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let outcome = pool.install(|| {
        Task::new()
            .spawn(|_| 11)
            .join_timeout(Duration::MAX)
            .expect("no timeout can expire")
    });
    assert_eq!(outcome.unwrap(), 11);
    let outcome = pool.install(|| {
        Task::new()
            .spawn(|_| 12)
            .join_timeout(Duration::from_secs(600))
            .expect("ten minutes are plenty")
    });
    assert_eq!(outcome.unwrap(), 12);
}

/// A retry an hour away, for tasks that are cancelled while they wait for it.
fn distant_retries() -> RetryPolicy {
    RetryPolicy::new(2)
        .initial_backoff(Duration::from_secs(3600))
        .max_backoff(Duration::from_secs(3600))
}

#[test]
fn cancelling_a_task_that_waits_for_its_retry_lets_its_scope_end() {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let attempts = AtomicUsize::new(0);
        veda::scope(|s| {
            let handle = Task::<()>::new()
                .retry(distant_retries())
                .try_spawn_scoped(s, |_| {
                    attempts.fetch_add(1, Ordering::SeqCst);
                    Err("fails, then waits an hour")
                });
            while attempts.load(Ordering::SeqCst) == 0 {
                std::thread::yield_now();
            }
            assert!(handle.cancel());
            assert!(handle.join().unwrap_err().is_cancelled());
        });
        sender.send(attempts.into_inner()).unwrap();
    });
    let attempts = receiver
        .recv_timeout(Duration::from_secs(60))
        .expect("the scope ended without waiting for the cancelled task's retry");
    assert_eq!(attempts, 1, "the cancelled retry never ran");
}

#[test]
fn a_timed_out_task_does_not_keep_its_pool_for_its_retry() {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let handle = Task::<()>::new()
            .retry(distant_retries())
            .timeout(Duration::from_millis(10))
            .try_spawn(|_| Err("fails, then waits an hour"));
        assert!(handle.join().unwrap_err().is_timeout());
        // Shutdown drains outstanding tasks: the timed-out one has nothing left to drain.
        veda::shutdown();
        sender.send(()).unwrap();
    });
    receiver
        .recv_timeout(Duration::from_secs(60))
        .expect("shutdown did not wait for the timed-out task's retry");
}
