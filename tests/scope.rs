//! Behaviour of `scope`, `scope_fifo`, `in_place_scope` and `in_place_scope_fifo`: borrowed
//! data, nesting, panics, execution order on one thread, and scoped broadcasts.

mod common;

use common::{named_pool, panic_message, pool, TIMEOUT};
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Spawns a binary tree of tasks `depth` levels deep below the current one, counting nodes.
fn spawn_tree<'s>(scope: &veda::Scope<'s>, depth: u32, nodes: &'s AtomicUsize) {
    nodes.fetch_add(1, Ordering::SeqCst);
    if depth > 0 {
        for _ in 0..2 {
            scope.spawn(move |s| spawn_tree(s, depth - 1, nodes));
        }
    }
}

fn spawn_fifo_tree<'s>(scope: &veda::ScopeFifo<'s>, depth: u32, nodes: &'s AtomicUsize) {
    nodes.fetch_add(1, Ordering::SeqCst);
    if depth > 0 {
        for _ in 0..2 {
            scope.spawn_fifo(move |s| spawn_fifo_tree(s, depth - 1, nodes));
        }
    }
}

#[test]
fn scope_returns_the_body_result_after_all_spawns_ran() {
    let done = AtomicUsize::new(0);
    let result = veda::scope(|s| {
        for _ in 0..10 {
            s.spawn(|_| {
                thread::sleep(Duration::from_millis(2));
                done.fetch_add(1, Ordering::SeqCst);
            });
        }
        "body"
    });
    assert_eq!(result, "body");
    assert_eq!(done.load(Ordering::SeqCst), 10);
}

#[test]
fn scope_spawns_mutate_disjoint_slices_of_a_local_vec() {
    let mut data = vec![0usize; 1_000];
    veda::scope(|s| {
        for (chunk_index, chunk) in data.chunks_mut(64).enumerate() {
            s.spawn(move |_| {
                for (offset, value) in chunk.iter_mut().enumerate() {
                    *value = chunk_index * 64 + offset;
                }
            });
        }
    });
    assert!(data.iter().enumerate().all(|(i, &v)| v == i));
}

#[test]
fn scope_fifo_spawns_mutate_disjoint_slices_of_a_local_vec() {
    let mut data = vec![1u32; 900];
    let pool = pool(3);
    pool.scope_fifo(|s| {
        for chunk in data.chunks_mut(100) {
            s.spawn_fifo(move |_| chunk.iter_mut().for_each(|v| *v *= 3));
        }
    });
    assert!(data.iter().all(|&v| v == 3));
}

#[test]
fn in_place_scopes_mutate_borrowed_data() {
    let mut data = vec![0u8; 300];
    veda::in_place_scope(|s| {
        for chunk in data.chunks_mut(50) {
            s.spawn(move |_| chunk.fill(7));
        }
    });
    assert!(data.iter().all(|&v| v == 7));
    veda::in_place_scope_fifo(|s| {
        for chunk in data.chunks_mut(30) {
            s.spawn_fifo(move |_| chunk.iter_mut().for_each(|v| *v += 1));
        }
    });
    assert!(data.iter().all(|&v| v == 8));
}

#[test]
fn nested_spawns_all_run_before_the_scope_ends() {
    let nodes = AtomicUsize::new(0);
    veda::scope(|s| spawn_tree(s, 9, &nodes));
    assert_eq!(nodes.load(Ordering::SeqCst), (1 << 10) - 1);

    let nodes = AtomicUsize::new(0);
    let pool = pool(2);
    pool.install(|| veda::scope_fifo(|s| spawn_fifo_tree(s, 9, &nodes)));
    assert_eq!(nodes.load(Ordering::SeqCst), (1 << 10) - 1);
}

#[test]
fn nested_scopes_inside_spawned_tasks() {
    let total = AtomicUsize::new(0);
    veda::scope(|outer| {
        for _ in 0..4 {
            outer.spawn(|_| {
                let local = AtomicUsize::new(0);
                veda::scope(|inner| {
                    for _ in 0..8 {
                        inner.spawn(|_| {
                            local.fetch_add(1, Ordering::SeqCst);
                        });
                    }
                });
                // The inner scope has finished every task it spawned.
                assert_eq!(local.load(Ordering::SeqCst), 8);
                total.fetch_add(8, Ordering::SeqCst);
            });
        }
    });
    assert_eq!(total.load(Ordering::SeqCst), 32);
}

#[test]
fn scope_module_path_works() {
    let value = AtomicUsize::new(0);
    veda::scope::scope(|s| {
        s.spawn(|_| {
            value.store(5, Ordering::SeqCst);
        });
    });
    assert_eq!(value.load(Ordering::SeqCst), 5);
}

#[test]
fn panic_in_a_spawned_task_is_raised_after_all_other_tasks_ran() {
    let pool = pool(2);
    let others = AtomicUsize::new(0);
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        pool.scope(|s| {
            s.spawn(|_| panic!("task failed"));
            for _ in 0..20 {
                s.spawn(|_| {
                    thread::sleep(Duration::from_millis(1));
                    others.fetch_add(1, Ordering::SeqCst);
                });
            }
        })
    }));
    let payload = result.expect_err("the scope must re-raise the task's panic");
    assert_eq!(panic_message(&*payload), Some("task failed"));
    assert_eq!(
        others.load(Ordering::SeqCst),
        20,
        "the panic was re-raised before the other tasks ran"
    );
}

#[test]
fn panic_in_a_fifo_task_is_raised_after_all_other_tasks_ran() {
    let others = AtomicUsize::new(0);
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        veda::in_place_scope_fifo(|s| {
            for i in 0..10 {
                s.spawn_fifo(|_| {
                    thread::sleep(Duration::from_millis(1));
                    others.fetch_add(1, Ordering::SeqCst);
                });
                if i == 5 {
                    s.spawn_fifo(|_| panic!("fifo task failed"));
                }
            }
        })
    }));
    let payload = result.expect_err("the scope must re-raise the task's panic");
    assert_eq!(panic_message(&*payload), Some("fifo task failed"));
    assert_eq!(others.load(Ordering::SeqCst), 10);
}

#[test]
fn panic_in_the_scope_body_is_raised_after_its_spawns_ran() {
    let spawned = AtomicUsize::new(0);
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        veda::scope(|s| {
            for _ in 0..5 {
                s.spawn(|_| {
                    thread::sleep(Duration::from_millis(2));
                    spawned.fetch_add(1, Ordering::SeqCst);
                });
            }
            panic!("body failed");
        })
    }));
    let payload = result.expect_err("the scope must re-raise the body's panic");
    assert_eq!(panic_message(&*payload), Some("body failed"));
    assert_eq!(spawned.load(Ordering::SeqCst), 5);
}

#[test]
fn several_panicking_tasks_raise_one_of_them() {
    let result = panic::catch_unwind(|| {
        veda::scope(|s| {
            s.spawn(|_| panic!("one"));
            s.spawn(|_| panic!("two"));
            s.spawn(|_| panic!("three"));
        })
    });
    let payload = result.expect_err("the scope must re-raise a panic");
    let message = panic_message(&*payload);
    assert!(
        matches!(message, Some("one" | "two" | "three")),
        "unexpected payload {message:?}"
    );
}

#[test]
fn scope_spawns_run_lifo_on_a_one_thread_pool() {
    let pool = pool(1);
    let order = Mutex::new(Vec::new());
    pool.install(|| {
        veda::scope(|s| {
            for i in 0..8 {
                let order = &order;
                s.spawn(move |_| order.lock().unwrap().push(i));
            }
        })
    });
    assert_eq!(order.into_inner().unwrap(), vec![7, 6, 5, 4, 3, 2, 1, 0]);
}

#[test]
fn scope_fifo_spawns_run_fifo_on_a_one_thread_pool() {
    let pool = pool(1);
    let order = Mutex::new(Vec::new());
    pool.install(|| {
        veda::scope_fifo(|s| {
            for i in 0..8 {
                let order = &order;
                s.spawn_fifo(move |_| order.lock().unwrap().push(i));
            }
        })
    });
    assert_eq!(order.into_inner().unwrap(), vec![0, 1, 2, 3, 4, 5, 6, 7]);
}

#[test]
fn scope_body_runs_in_the_pool_and_in_place_scope_body_on_the_caller() {
    let pool = named_pool(2, "scope-where");
    let task_name = Mutex::new(String::new());
    let body_index = pool.scope(|s| {
        s.spawn(|_| *task_name.lock().unwrap() = common::thread_name());
        veda::current_thread_index()
    });
    assert!(
        body_index.is_some(),
        "scope's body must run on a pool thread"
    );
    let task_name = task_name.into_inner().unwrap();
    assert!(
        task_name.starts_with("scope-where-"),
        "task ran on {task_name:?}"
    );

    let task_name = Mutex::new(String::new());
    let body_index = pool.in_place_scope(|s| {
        s.spawn(|_| *task_name.lock().unwrap() = common::thread_name());
        veda::current_thread_index()
    });
    assert_eq!(
        body_index, None,
        "in_place_scope's body runs on the calling thread"
    );
    let task_name = task_name.into_inner().unwrap();
    assert!(
        task_name.starts_with("scope-where-"),
        "task ran on {task_name:?}"
    );
}

#[test]
fn in_place_scope_body_need_not_be_send() {
    // The body of an in-place scope stays on the calling thread, so it may use `Rc`.
    let shared = Rc::new(21);
    let doubled = AtomicUsize::new(0);
    veda::in_place_scope(|s| {
        let value = *shared;
        let doubled = &doubled;
        s.spawn(move |_| {
            doubled.store(value * 2, Ordering::SeqCst);
        });
    });
    assert_eq!(doubled.load(Ordering::SeqCst), 42);
    assert_eq!(Rc::strong_count(&shared), 1);
}

#[test]
fn in_place_scope_body_may_block_on_a_task_of_a_one_thread_pool() {
    // The body blocks the calling thread (outside the pool) until a spawned task has run
    // on the pool's only thread.
    let pool = pool(1);
    let received = pool.in_place_scope(|s| {
        let (tx, rx) = mpsc::channel();
        s.spawn(move |_| tx.send(veda::current_thread_index()).unwrap());
        rx.recv_timeout(TIMEOUT)
    });
    assert_eq!(received, Ok(Some(0)));
}

#[test]
fn in_place_scope_inside_install_runs_tasks_while_the_body_yields() {
    // On a one-thread pool the body holds the only worker; it waits for its task by yielding,
    // which must run the task on this very thread.
    let pool = pool(1);
    let ran = AtomicBool::new(false);
    pool.install(|| {
        veda::in_place_scope(|s| {
            s.spawn(|_| ran.store(true, Ordering::SeqCst));
            let deadline = Instant::now() + TIMEOUT;
            while !ran.load(Ordering::SeqCst) {
                assert!(
                    Instant::now() < deadline,
                    "the spawned task never ran while the scope body yielded"
                );
                veda::yield_now();
            }
        });
    });
    assert!(ran.load(Ordering::SeqCst));
}

#[test]
fn in_place_scope_inside_install_on_one_thread_runs_its_tasks_before_returning() {
    let pool = pool(1);
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let count = AtomicUsize::new(0);
        pool.install(|| {
            veda::in_place_scope(|s| {
                for _ in 0..10 {
                    s.spawn(|_| {
                        count.fetch_add(1, Ordering::SeqCst);
                    });
                }
            });
            veda::in_place_scope_fifo(|s| {
                for _ in 0..10 {
                    s.spawn_fifo(|_| {
                        count.fetch_add(1, Ordering::SeqCst);
                    });
                }
            });
        });
        tx.send(count.load(Ordering::SeqCst)).unwrap();
    });
    assert_eq!(
        rx.recv_timeout(TIMEOUT),
        Ok(20),
        "in-place scopes on the only worker thread deadlocked or lost tasks"
    );
}

#[test]
fn scope_spawn_broadcast_runs_once_on_every_thread() {
    let pool = pool(3);
    let hits = [const { AtomicUsize::new(0) }; 3];
    let counts = Mutex::new(Vec::new());
    pool.install(|| {
        veda::scope(|s| {
            s.spawn_broadcast(|_, ctx| {
                assert_eq!(veda::current_thread_index(), Some(ctx.index()));
                hits[ctx.index()].fetch_add(1, Ordering::SeqCst);
                counts.lock().unwrap().push(ctx.num_threads());
            });
        });
    });
    let hits: Vec<usize> = hits.iter().map(|h| h.load(Ordering::SeqCst)).collect();
    assert_eq!(hits, vec![1, 1, 1]);
    assert_eq!(counts.into_inner().unwrap(), vec![3, 3, 3]);
}

#[test]
fn scope_fifo_spawn_broadcast_runs_once_on_every_thread() {
    let pool = pool(2);
    let indices = Mutex::new(Vec::new());
    pool.scope_fifo(|s| {
        s.spawn_broadcast(|_, ctx| indices.lock().unwrap().push(ctx.index()));
    });
    let mut indices = indices.into_inner().unwrap();
    indices.sort_unstable();
    assert_eq!(indices, vec![0, 1]);
}

#[test]
fn scope_spawn_broadcast_from_outside_uses_the_global_pool() {
    let hits = Mutex::new(Vec::new());
    veda::in_place_scope(|s| {
        s.spawn_broadcast(|_, ctx| hits.lock().unwrap().push((ctx.index(), ctx.num_threads())));
    });
    let mut hits = hits.into_inner().unwrap();
    hits.sort_unstable();
    let n = veda::current_num_threads();
    let expected: Vec<(usize, usize)> = (0..n).map(|i| (i, n)).collect();
    assert_eq!(hits, expected);
}

#[test]
fn panic_in_scope_spawn_broadcast_is_raised_after_every_thread_ran() {
    let pool = pool(3);
    let ran = AtomicUsize::new(0);
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        pool.scope(|s| {
            s.spawn_broadcast(|_, ctx| {
                ran.fetch_add(1, Ordering::SeqCst);
                if ctx.index() == 1 {
                    panic!("broadcast task failed");
                }
            });
        })
    }));
    let payload = result.expect_err("the scope must re-raise the broadcast task's panic");
    assert_eq!(panic_message(&*payload), Some("broadcast task failed"));
    assert_eq!(ran.load(Ordering::SeqCst), 3);
}
