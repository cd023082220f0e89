use super::{Dispatch, DispatchKind, TaskId, Trace, TraceError};
use crate::prelude::*;
use crate::{SchedulingPolicy, ThreadPool, ThreadPoolBuilder};
use std::sync::Mutex;

fn pool(threads: usize, seed: u64) -> ThreadPool {
    ThreadPoolBuilder::new()
        .num_threads(threads)
        .scheduling_policy(SchedulingPolicy::Deterministic { seed })
        .build()
        .unwrap()
}

#[test]
fn task_ids_print_as_paths() {
    let id = TaskId::root().child(2).child(0);
    assert_eq!(id.to_string(), "/2/0");
    assert_eq!(id.path(), [2, 0]);
    assert_eq!(TaskId::root().to_string(), "/");
}

#[test]
fn keys_depend_on_seed_and_path() {
    let a = TaskId::root().child(1);
    let b = TaskId::root().child(2);
    assert_ne!(a.key(1), b.key(1));
    assert_ne!(a.key(1), a.key(2));
    assert_eq!(a.key(5), TaskId::root().child(1).key(5));
}

#[test]
fn recording_needs_a_deterministic_pool() {
    let pool = ThreadPoolBuilder::new()
        .num_threads(1)
        .scheduling_policy(SchedulingPolicy::WorkStealing)
        .build()
        .unwrap();
    let error = pool.record_trace(|| 1).unwrap_err();
    assert_eq!(
        error,
        TraceError::NotDeterministic {
            policy: SchedulingPolicy::WorkStealing
        }
    );
    assert!(error.to_string().contains("Deterministic"));
}

#[test]
fn seed_zero_keeps_spawn_order_and_records_it() {
    let pool = pool(1, 0);
    let order = Mutex::new(Vec::new());
    let ((), trace) = pool
        .record_trace(|| {
            crate::scope_fifo(|s| {
                for i in 0..4 {
                    let order = &order;
                    s.spawn_fifo(move |_| order.lock().unwrap().push(i));
                }
            })
        })
        .unwrap();
    assert_eq!(order.into_inner().unwrap(), [0, 1, 2, 3]);
    let body = TaskId::root().child(0);
    let spawned: Vec<TaskId> = (0..4).map(|i| body.child(i)).collect();
    let [dispatch]: &[Dispatch; 1] = trace.dispatches().try_into().unwrap();
    assert_eq!(dispatch.parent(), &body);
    assert_eq!(dispatch.kind(), DispatchKind::Spawn);
    assert_eq!(dispatch.order(), spawned);
}

/// The order in which a one-thread pool runs 12 FIFO jobs under `seed`.
fn fifo_run_order(seed: u64) -> (Vec<usize>, Trace) {
    let order = Mutex::new(Vec::new());
    let ((), trace) = pool(1, seed)
        .record_trace(|| {
            crate::scope_fifo(|s| {
                for i in 0..12 {
                    let order = &order;
                    s.spawn_fifo(move |_| order.lock().unwrap().push(i));
                }
            })
        })
        .unwrap();
    (order.into_inner().unwrap(), trace)
}

#[test]
fn a_seed_fixes_the_run_order_of_one_thread() {
    let (first, trace) = fifo_run_order(11);
    let (again, trace_again) = fifo_run_order(11);
    assert_eq!(first, again);
    assert_eq!(trace, trace_again);
    let (other, other_trace) = fifo_run_order(12);
    assert_ne!(first, other);
    assert_ne!(trace, other_trace);
    // The run order is the dispatch order the trace shows.
    let dispatched: Vec<usize> = trace.dispatches()[0]
        .order()
        .iter()
        .map(|id| *id.path().last().unwrap() as usize)
        .collect();
    assert_eq!(first, dispatched);
    let mut sorted = first;
    sorted.sort_unstable();
    assert_eq!(sorted, (0..12).collect::<Vec<_>>());
}

#[test]
fn joins_record_their_halves_in_the_order_they_went() {
    let swapped = (1..64)
        .map(|seed| {
            pool(2, seed)
                .record_trace(|| crate::join(|| 1, || 2))
                .unwrap()
        })
        .inspect(|&(result, _)| assert_eq!(result, (1, 2)))
        .filter(|(_, trace)| trace.dispatches()[0].order()[0].path() == [0, 1])
        .count();
    // Each seed picks one of the two orders; 63 seeds pick both.
    assert!(swapped > 0 && swapped < 63, "{swapped}");
}

#[test]
fn iterator_traces_do_not_depend_on_the_thread_count() {
    let record = |threads| {
        pool(threads, 5)
            .record_trace(|| (0..1000).into_par_iter().map(|x| x as f64).sum::<f64>())
            .unwrap()
    };
    let (sum, trace) = record(1);
    for threads in [2, 3] {
        let (other_sum, other_trace) = record(threads);
        assert_eq!(sum.to_bits(), other_sum.to_bits());
        assert_eq!(trace, other_trace);
    }
    assert!(trace.len() > 100, "{}", trace.len());
    assert!(trace.to_string().starts_with("join /0: "));
}
