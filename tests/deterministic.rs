//! Deterministic mode: bit-identical reductions for any thread count and run, fixed
//! search results, ordered collections, and traces that a seed fixes.
//!
//! The acceptance test (`f64_reductions_over_ten_million_values_are_bit_identical`) runs
//! 20 runs per thread count in release builds (`cargo test --release --features
//! deterministic`); unoptimised builds run 3 per thread count, to keep `cargo test` quick.

#![cfg(feature = "deterministic")]

use veda::prelude::*;
use veda::{SchedulingPolicy, ThreadPool, ThreadPoolBuilder};

const THREAD_COUNTS: [usize; 4] = [1, 2, 3, 8];

fn pool(threads: usize, seed: u64) -> ThreadPool {
    ThreadPoolBuilder::new()
        .num_threads(threads)
        .scheduling_policy(SchedulingPolicy::Deterministic { seed })
        .build()
        .unwrap()
}

/// Values whose sum depends on the order of additions: magnitudes spread over many
/// orders, both signs.
fn awkward_values(len: usize) -> Vec<f64> {
    (0..len)
        .map(|i| {
            let scale = 10f64.powi((i % 17) as i32 - 8);
            let sign = if i % 3 == 0 { -1.0 } else { 1.0 };
            sign * scale * (1.0 + (i as f64).sqrt().fract())
        })
        .collect()
}

/// The bits of several f64 reductions of `values`.
fn reductions(values: &[f64]) -> [u64; 7] {
    let add = |a: f64, b: f64| a + b;
    [
        values.par_iter().sum::<f64>().to_bits(),
        values
            .par_iter()
            .map(|x| 1.0 + x * 1e-9)
            .product::<f64>()
            .to_bits(),
        values.par_iter().copied().reduce(|| 0.0, add).to_bits(),
        values
            .par_iter()
            .fold(|| 0.0, |acc, &x| acc + x * x)
            .reduce(|| 0.0, add)
            .to_bits(),
        values
            .par_chunks(1000)
            .map(|chunk| chunk.iter().sum::<f64>())
            .sum::<f64>()
            .to_bits(),
        values
            .par_iter()
            .with_min_len(10_000)
            .map(|x| x.abs())
            .sum::<f64>()
            .to_bits(),
        values
            .par_iter()
            .filter(|x| **x > 0.0)
            .sum::<f64>()
            .to_bits(),
    ]
}

#[test]
fn f64_reductions_over_ten_million_values_are_bit_identical() {
    let runs = if cfg!(debug_assertions) { 3 } else { 20 };
    let values = awkward_values(10_000_000);
    let expected = pool(1, 0).install(|| reductions(&values));
    for threads in THREAD_COUNTS {
        let pool = pool(threads, 0);
        for run in 0..runs {
            assert_eq!(
                pool.install(|| reductions(&values)),
                expected,
                "{threads} threads, run {run}"
            );
        }
    }
}

#[test]
fn the_seed_does_not_change_results() {
    let values = awkward_values(100_000);
    let expected = pool(2, 0).install(|| reductions(&values));
    for seed in [1, 2, 99] {
        assert_eq!(pool(3, seed).install(|| reductions(&values)), expected);
    }
}

#[test]
fn unindexed_sources_reduce_identically() {
    let values = awkward_values(200_000);
    let sum_split = |threads| {
        pool(threads, 4).install(|| {
            veda::iter::split(&values[..], |slice| match slice.len() {
                0..=99 => (slice, None),
                len => {
                    let (left, right) = slice.split_at(len / 2);
                    (left, Some(right))
                }
            })
            .map(|slice| slice.iter().sum::<f64>())
            .sum::<f64>()
            .to_bits()
        })
    };
    let expected = sum_split(1);
    for threads in THREAD_COUNTS {
        for _ in 0..5 {
            assert_eq!(sum_split(threads), expected, "{threads} threads");
        }
    }
}

#[test]
fn par_bridge_is_fixed_by_the_iterator() {
    let values = awkward_values(100_003);
    let sum_bridged = |threads| {
        pool(threads, 8).install(|| values.iter().copied().par_bridge().sum::<f64>().to_bits())
    };
    let expected = sum_bridged(1);
    for threads in THREAD_COUNTS {
        for _ in 0..5 {
            assert_eq!(sum_bridged(threads), expected, "{threads} threads");
        }
    }
    for threads in THREAD_COUNTS {
        let pulled = std::sync::atomic::AtomicUsize::new(0);
        let found = pool(threads, 8).install(|| {
            (0..usize::MAX)
                .inspect(|_| {
                    pulled.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                })
                .par_bridge()
                .find_any(|&x| x % 3000 == 2999)
        });
        assert_eq!(found, Some(2999), "{threads} threads");
        assert!(
            pulled.into_inner() <= 4 * 1024,
            "the search stops after its batch"
        );
    }
}

#[test]
fn collect_unzip_and_partition_keep_order() {
    let len = 100_003;
    let sequential: Vec<u64> = (0..len as u64).map(|x| x * 3).collect();
    for threads in THREAD_COUNTS {
        pool(threads, 8).install(|| {
            let collected: Vec<u64> = (0..len as u64).into_par_iter().map(|x| x * 3).collect();
            assert_eq!(collected, sequential);
            let (left, right): (Vec<u64>, Vec<u64>) =
                (0..len as u64).into_par_iter().map(|x| (x, x * 3)).unzip();
            assert_eq!(left, (0..len as u64).collect::<Vec<_>>());
            assert_eq!(right, sequential);
            let (even, odd): (Vec<u64>, Vec<u64>) =
                sequential.par_iter().partition(|&&x| x % 2 == 0);
            assert_eq!(
                even,
                sequential
                    .iter()
                    .copied()
                    .filter(|x| x % 2 == 0)
                    .collect::<Vec<_>>()
            );
            assert_eq!(
                odd,
                sequential
                    .iter()
                    .copied()
                    .filter(|x| x % 2 == 1)
                    .collect::<Vec<_>>()
            );
            let filtered: Vec<u64> = sequential
                .par_iter()
                .copied()
                .filter(|x| x % 7 == 0)
                .collect();
            assert_eq!(
                filtered,
                sequential
                    .iter()
                    .copied()
                    .filter(|x| x % 7 == 0)
                    .collect::<Vec<_>>()
            );
        });
    }
}

#[test]
fn min_by_and_max_by_pick_the_same_tie_every_time() {
    // 10 000 items, keys 0..100: every key appears 100 times.
    let items: Vec<(u32, usize)> = (0..10_000).map(|i| ((i * 37 % 100) as u32, i)).collect();
    let pick = |threads| {
        pool(threads, 0).install(|| {
            (
                items.par_iter().min_by(|a, b| a.0.cmp(&b.0)).copied(),
                items.par_iter().max_by(|a, b| a.0.cmp(&b.0)).copied(),
                items.par_iter().min_by_key(|item| item.0).copied(),
                items.par_iter().max_by_key(|item| item.0).copied(),
            )
        })
    };
    let expected = pick(1);
    assert_eq!(expected.0.unwrap().0, 0);
    assert_eq!(expected.1.unwrap().0, 99);
    for threads in THREAD_COUNTS {
        for _ in 0..10 {
            assert_eq!(pick(threads), expected, "{threads} threads");
        }
    }
}

#[test]
fn find_any_returns_the_first_match() {
    let items: Vec<u32> = (0..100_000).collect();
    for threads in THREAD_COUNTS {
        pool(threads, 6).install(|| {
            for _ in 0..10 {
                assert_eq!(items.par_iter().find_any(|&&x| x % 1000 == 999), Some(&999));
                assert_eq!(items.par_iter().position_any(|&x| x >= 4242), Some(4242));
                assert_eq!(
                    items
                        .par_iter()
                        .find_map_any(|&x| (x % 5000 == 4999).then_some(x * 2)),
                    Some(9998)
                );
                assert_eq!(
                    items.par_iter().filter(|&&x| x % 3 == 2).find_any(|_| true),
                    Some(&2)
                );
            }
        });
    }
}

/// Searches give the same answer however the input is cut, so they are not held to the
/// fixed tree: a search in a huge input stops soon after its match, as under Rayon. On the
/// fixed tree, the last of its 256 pieces would hold 4·10^24 items to scan.
#[test]
fn searches_in_huge_inputs_stop_early() {
    const HUGE: u128 = 1 << 90;
    let flat = || {
        (0u32..1 << 30)
            .into_par_iter()
            .with_max_len(1 << 10)
            .flat_map(|i| {
                (0u32..1 << 30)
                    .into_par_iter()
                    .with_max_len(1 << 10)
                    .map(move |j| (u64::from(i) << 30) | u64::from(j))
            })
    };
    // At least two threads, as in Rayon's own test of this: one thread splits the input
    // once and then scans its halves in turn.
    for threads in [2, 3] {
        pool(threads, 8).install(|| {
            assert_eq!(
                (0..HUGE).into_par_iter().find_last(|_| true),
                Some(HUGE - 1)
            );
            assert_eq!(
                (0..HUGE)
                    .into_par_iter()
                    .map(|x| x / 2)
                    .find_first(|&x| x > 0),
                Some(1)
            );
            assert_eq!(flat().find_last(|_| true), Some((1 << 60) - 1));
            assert_eq!(flat().filter(|x| x % 7 == 3).find_first(|_| true), Some(3));
            assert!((0..HUGE).into_par_iter().any(|x| x > HUGE / 2));
            assert!(!(0..HUGE).into_par_iter().all(|x| x < HUGE / 2));
        });
    }
}

/// A mixed workload: a scope whose jobs spawn jobs and run parallel iterators, and a
/// nested `join`.
fn mixed_workload() -> u64 {
    let total = std::sync::atomic::AtomicU64::new(0);
    veda::scope(|s| {
        for i in 0..6u64 {
            let total = &total;
            s.spawn(move |s| {
                for j in 0..3u64 {
                    s.spawn(move |_| {
                        total.fetch_add(i * 10 + j, std::sync::atomic::Ordering::Relaxed);
                    });
                }
                let sum: u64 = (0..100u64).into_par_iter().map(|x| x * i).sum();
                total.fetch_add(sum, std::sync::atomic::Ordering::Relaxed);
            });
        }
        s.spawn(|_| {
            let (a, b) = veda::join(|| 1u64, || veda::join(|| 2u64, || 3u64).1);
            total.fetch_add(a + b, std::sync::atomic::Ordering::Relaxed);
        });
    });
    total.into_inner()
}

#[test]
fn equal_seeds_give_equal_traces_for_any_thread_count() {
    let record = |threads, seed| pool(threads, seed).record_trace(mixed_workload).unwrap();
    let (result, trace) = record(1, 42);
    assert!(trace.len() > 20, "{trace}");
    for threads in THREAD_COUNTS {
        for _ in 0..5 {
            let (other_result, other_trace) = record(threads, 42);
            assert_eq!(other_result, result);
            assert_eq!(other_trace, trace, "{threads} threads");
        }
    }
    let (other_result, other_trace) = record(2, 43);
    assert_eq!(other_result, result);
    assert_ne!(other_trace, trace);
    assert_eq!(other_trace.seed(), 43);
}

/// `find_any` returns the first match when it can certify it; when the items before the
/// match are too many to check (here 2^89), the watchdog settles the search after a second
/// and it returns the match it holds, as Rayon's would, instead of never returning.
#[test]
fn find_any_settles_a_search_that_cannot_certify_its_first_match() {
    const HUGE: u128 = 1 << 90;
    pool(2, 8).install(|| {
        let found = (0..HUGE).into_par_iter().find_any(|&x| x > HUGE / 2);
        assert!(found.is_some_and(|x| x > HUGE / 2), "{found:?}");
        let half = usize::MAX / 2;
        let position = (0..usize::MAX).into_par_iter().position_any(|x| x > half);
        assert!(position.is_some_and(|i| i > half), "{position:?}");
        // A match that can be certified is still the first one.
        assert_eq!(
            (0..HUGE).into_par_iter().find_any(|&x| x % 1000 == 999),
            Some(999)
        );
    });
}

/// A search's own joins depend on timing, but they all descend from its first cut: the
/// tasks its caller creates afterwards keep their ids and their recorded order.
#[test]
fn tasks_after_a_search_keep_their_trace() {
    let record = |threads| {
        let ((found, total), trace) = pool(threads, 42)
            .record_trace(|| {
                let found = (0..1u64 << 40).into_par_iter().any(|x| x == 12_345);
                (found, mixed_workload())
            })
            .unwrap();
        let search_id = [0];
        let around: Vec<_> = trace
            .dispatches()
            .iter()
            .filter(|dispatch| !dispatch.parent().path().starts_with(&search_id))
            .cloned()
            .collect();
        assert!(around.len() > 20, "{trace}");
        (found, total, around)
    };
    let expected = record(1);
    assert!(expected.0);
    for threads in THREAD_COUNTS {
        for _ in 0..3 {
            assert_eq!(record(threads), expected, "{threads} threads");
        }
    }
}

#[test]
fn a_one_thread_pool_runs_jobs_in_the_order_of_the_seed() {
    let run_order = |seed| {
        let order = std::sync::Mutex::new(Vec::new());
        pool(1, seed).scope(|s| {
            for i in 0..16 {
                let order = &order;
                s.spawn(move |_| order.lock().unwrap().push(i));
            }
        });
        order.into_inner().unwrap()
    };
    assert_eq!(run_order(7), run_order(7));
    assert_ne!(run_order(7), run_order(8));
    // Seed 0 keeps Rayon's order: a scope's jobs run last-spawned first on one thread.
    assert_eq!(run_order(0), (0..16).rev().collect::<Vec<_>>());
}

#[test]
fn policy_text_round_trips() {
    for policy in [
        SchedulingPolicy::Deterministic { seed: 0 },
        SchedulingPolicy::Deterministic { seed: 42 },
        SchedulingPolicy::Deterministic { seed: u64::MAX },
    ] {
        assert_eq!(policy.to_string().parse(), Ok(policy));
    }
    assert_eq!(
        SchedulingPolicy::Deterministic { seed: 0 }.to_string(),
        "deterministic"
    );
    assert_eq!(
        "Deterministic:42".parse(),
        Ok(SchedulingPolicy::Deterministic { seed: 42 })
    );
    assert!("deterministic:".parse::<SchedulingPolicy>().is_err());
    assert!("deterministic:-1".parse::<SchedulingPolicy>().is_err());
}

#[test]
fn a_task_blocked_on_its_own_spawn_outside_the_pool_is_released() {
    // Two threads at least: on one, the blocked task holds the only worker (as it would
    // under any policy, and under Rayon).
    for threads in [2, 3] {
        let received = pool(threads, 5).install(|| {
            let (sender, receiver) = std::sync::mpsc::channel();
            let mut received = None;
            let slot = &mut received;
            veda::scope(move |s| {
                s.spawn(move |_| {
                    // This task blocks on a channel, outside the pool, until the job it
                    // spawned has run: the watchdog must release that job.
                    veda::spawn(move || sender.send(42).unwrap());
                    *slot = receiver.recv().ok();
                });
            });
            received
        });
        assert_eq!(received, Some(42), "{threads} threads");
    }
}
