//! Parallel iterators under both scheduling policies: demand-driven splitting
//! (`SchedulingPolicy::Adaptive`) and Rayon's split budget (`SchedulingPolicy::WorkStealing`)
//! give the sequential results, honour `with_min_len`/`with_max_len`, stop early, and
//! propagate panics; under `Adaptive`, a small input driven from outside every pool begins on
//! the calling thread.

mod common;

use common::{assert_child_passed, describe, is_child, panic_message, run_child};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use veda::prelude::*;
use veda::SchedulingPolicy;

const POLICIES: [SchedulingPolicy; 2] =
    [SchedulingPolicy::Adaptive, SchedulingPolicy::WorkStealing];

fn pool(threads: usize, policy: SchedulingPolicy) -> veda::ThreadPool {
    veda::ThreadPoolBuilder::new()
        .num_threads(threads)
        .scheduling_policy(policy)
        .build()
        .expect("failed to build a thread pool")
}

/// Every pool the tests run on: 1 to 3 threads under each policy.
fn pools() -> Vec<veda::ThreadPool> {
    POLICIES
        .iter()
        .flat_map(|&policy| (1..=3).map(move |threads| pool(threads, policy)))
        .collect()
}

fn describe_pool(pool: &veda::ThreadPool) -> String {
    format!(
        "{} pool of {} threads",
        pool.scheduling_policy(),
        pool.current_num_threads()
    )
}

/// Some deterministic work whose cost grows with `rounds`.
fn work(seed: u64, rounds: u64) -> u64 {
    (0..rounds).fold(seed, |acc, round| {
        acc.rotate_left(5) ^ acc.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ round
    })
}

/// Cost of item `i` of a skewed input: every 997th item is 2000 times heavier.
fn skewed_rounds(i: u64) -> u64 {
    if i.is_multiple_of(997) {
        20_000
    } else {
        10
    }
}

const LENGTHS: [usize; 9] = [0, 1, 2, 3, 7, 64, 100, 1_000, 50_000];
const LIMITS: [(usize, usize); 6] = [
    (1, usize::MAX),
    (1, 1),
    (3, 10),
    (10, 3),
    (100, 7),
    (7, 100),
];

#[test]
fn results_match_sequential() {
    for pool in pools() {
        for len in LENGTHS {
            for (min, max) in LIMITS {
                let context = format!("{}, len {len}, min {min}, max {max}", describe_pool(&pool));
                let values: Vec<u64> = (0..len as u64).map(|i| work(i, 3)).collect();
                pool.install(|| {
                    let sum: u64 = values
                        .par_iter()
                        .with_min_len(min)
                        .with_max_len(max)
                        .map(|&v| v >> 24)
                        .sum();
                    assert_eq!(
                        sum,
                        values.iter().map(|&v| v >> 24).sum::<u64>(),
                        "{context}"
                    );

                    let collected: Vec<u64> = values
                        .par_iter()
                        .with_min_len(min)
                        .with_max_len(max)
                        .map(|&v| v ^ 1)
                        .collect();
                    let expected: Vec<u64> = values.iter().map(|&v| v ^ 1).collect();
                    assert_eq!(collected, expected, "{context}");

                    let target = values.get(len * 2 / 3).map(|&v| v % 10);
                    let first = values
                        .par_iter()
                        .with_min_len(min)
                        .with_max_len(max)
                        .position_first(|&v| Some(v % 10) == target);
                    assert_eq!(
                        first,
                        values.iter().position(|&v| Some(v % 10) == target),
                        "{context}"
                    );
                    let found = values
                        .par_iter()
                        .with_min_len(min)
                        .with_max_len(max)
                        .find_first(|&&v| Some(v % 10) == target);
                    assert_eq!(
                        found,
                        values.iter().find(|&&v| Some(v % 10) == target),
                        "{context}"
                    );

                    let folded: Vec<u64> = values
                        .par_iter()
                        .with_min_len(min)
                        .with_max_len(max)
                        .fold(Vec::new, |mut piece, &v| {
                            piece.push(v);
                            piece
                        })
                        .flatten()
                        .collect();
                    assert_eq!(folded, values, "{context}");
                });
            }
        }
    }
}

#[test]
fn folded_pieces_respect_min_and_max_len() {
    for pool in pools() {
        for len in LENGTHS {
            for (min, max) in LIMITS {
                let context = format!("{}, len {len}, min {min}, max {max}", describe_pool(&pool));
                let pieces: Vec<Vec<usize>> = pool.install(|| {
                    (0..len)
                        .into_par_iter()
                        .with_min_len(min)
                        .with_max_len(max)
                        .fold(Vec::new, |mut piece, i| {
                            piece.push(i);
                            piece
                        })
                        .collect()
                });
                let flat: Vec<usize> = pieces.iter().flatten().copied().collect();
                assert_eq!(flat, (0..len).collect::<Vec<_>>(), "{context}");
                for piece in pieces.iter().filter(|piece| !piece.is_empty()) {
                    assert!(
                        piece.len() >= min.min(len),
                        "{context}: piece of {}",
                        piece.len()
                    );
                    assert!(
                        piece.len() <= max.max(2 * min - 1),
                        "{context}: piece of {}",
                        piece.len()
                    );
                }
                if (1..2 * min).contains(&len) {
                    assert_eq!(pieces.len(), 1, "{context}: {len} items cannot be cut");
                }
            }
        }
    }
}

#[test]
fn skewed_costs_give_sequential_results() {
    let len = 20_000u64;
    let expected: Vec<u64> = (0..len).map(|i| work(i, skewed_rounds(i))).collect();
    for pool in pools() {
        let context = describe_pool(&pool);
        pool.install(|| {
            let got: Vec<u64> = (0..len)
                .into_par_iter()
                .map(|i| work(i, skewed_rounds(i)))
                .collect();
            assert_eq!(got, expected, "{context}");
            // Heavy items at the start only, then at the end only.
            let front: u64 = (0..len)
                .into_par_iter()
                .map(|i| work(i, if i < 8 { 50_000 } else { 5 }))
                .reduce(|| 0, u64::wrapping_add);
            let expected_front = (0..len)
                .map(|i| work(i, if i < 8 { 50_000 } else { 5 }))
                .fold(0, u64::wrapping_add);
            assert_eq!(front, expected_front, "{context}");
            let back: u64 = (0..len)
                .into_par_iter()
                .map(|i| work(i, if i >= len - 8 { 50_000 } else { 5 }))
                .reduce(|| 0, u64::wrapping_add);
            let expected_back = (0..len)
                .map(|i| work(i, if i >= len - 8 { 50_000 } else { 5 }))
                .fold(0, u64::wrapping_add);
            assert_eq!(back, expected_back, "{context}");
        });
    }
}

#[test]
fn nested_and_unindexed_work_gives_sequential_results() {
    for pool in pools() {
        let context = describe_pool(&pool);
        pool.install(|| {
            let nested: u64 = (0..200u64)
                .into_par_iter()
                .flat_map(|i| (0..i).into_par_iter().map(move |j| work(i * j, 2)))
                .reduce(|| 0, u64::wrapping_add);
            let expected = (0..200u64)
                .flat_map(|i| (0..i).map(move |j| work(i * j, 2)))
                .fold(0, u64::wrapping_add);
            assert_eq!(nested, expected, "{context}");

            let halves: Vec<u64> = veda::iter::split(0..5_000u64, |range| {
                if range.end - range.start < 2 {
                    return (range, None);
                }
                let mid = range.start + (range.end - range.start) / 2;
                (range.start..mid, Some(mid..range.end))
            })
            .flat_map_iter(|range| range.map(|i| work(i, skewed_rounds(i) / 10)))
            .collect();
            let expected: Vec<u64> = (0..5_000).map(|i| work(i, skewed_rounds(i) / 10)).collect();
            assert_eq!(halves, expected, "{context}");

            let bridged: Vec<u64> = (0..3_000u64).par_bridge().map(|i| i * 3).collect();
            let mut bridged = bridged;
            bridged.sort_unstable();
            assert_eq!(
                bridged,
                (0..3_000).map(|i| i * 3).collect::<Vec<_>>(),
                "{context}"
            );
        });
    }
}

#[test]
fn consumers_stop_early_on_a_single_thread() {
    // On one thread nothing runs concurrently, so an early stop is exact: items after the
    // first match are never visited, under either policy.
    for policy in POLICIES {
        let visited = AtomicUsize::new(0);
        let found = pool(1, policy).install(|| {
            (0..1_000_000u64).into_par_iter().find_first(|&i| {
                visited.fetch_add(1, Ordering::Relaxed);
                i == 10
            })
        });
        assert_eq!(found, Some(10), "{policy}");
        assert_eq!(
            visited.load(Ordering::Relaxed),
            11,
            "{policy}: visited past the match"
        );

        let visited = AtomicUsize::new(0);
        let any = pool(1, policy).install(|| {
            (0..1_000_000u64).into_par_iter().any(|i| {
                visited.fetch_add(1, Ordering::Relaxed);
                i == 100
            })
        });
        assert!(any, "{policy}");
        assert!(
            visited.load(Ordering::Relaxed) < 1_000_000,
            "{policy}: no early stop"
        );
    }
}

#[test]
fn consumers_stop_early_on_any_pool() {
    for pool in pools() {
        let context = describe_pool(&pool);
        pool.install(|| {
            let error = (0..100_000u64).into_par_iter().try_for_each(|i| {
                if i == 777 {
                    Err(i)
                } else {
                    Ok(())
                }
            });
            assert_eq!(error, Err(777), "{context}");
            let taken: Vec<u64> = (0..100_000usize)
                .into_par_iter()
                .map(|i| work(i as u64, 2))
                .take(1_234)
                .collect();
            let expected: Vec<u64> = (0..1_234).map(|i| work(i, 2)).collect();
            assert_eq!(taken, expected, "{context}");
            let last = (0..100_000u64)
                .into_par_iter()
                .find_last(|i| i % 1_000 == 3);
            assert_eq!(last, Some(99_003), "{context}");
        });
    }
}

#[test]
fn panics_propagate() {
    for pool in pools() {
        for (len, bad) in [
            (1usize, 0usize),
            (10, 9),
            (10_000, 0),
            (10_000, 5_000),
            (10_000, 9_999),
        ] {
            let context = format!("{}, panic at {bad} of {len}", describe_pool(&pool));
            let completed = AtomicUsize::new(0);
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
                pool.install(|| {
                    (0..len).into_par_iter().for_each(|i| {
                        if i == bad {
                            panic!("item {i} fails");
                        }
                        completed.fetch_add(1, Ordering::Relaxed);
                    })
                })
            }));
            let payload = outcome.expect_err(&context);
            assert_eq!(
                panic_message(&*payload),
                Some(format!("item {bad} fails").as_str()),
                "{context}"
            );
            assert!(completed.load(Ordering::Relaxed) < len, "{context}");
        }
    }
    // And from outside every pool, through the global pool (inline start or not).
    let outcome = panic::catch_unwind(|| {
        (0..10_000usize).into_par_iter().for_each(|i| {
            assert!(i != 4_321, "outside item fails");
        })
    });
    let payload = outcome.expect_err("the panic must reach the caller");
    assert_eq!(panic_message(&*payload), Some("outside item fails"));
}

#[test]
fn a_panic_leaves_the_other_pieces_running() {
    // As under Rayon: without `panic_fuse`, every piece but the panicking one runs to its
    // end, and pieces of one item each leave out only the panicking item.
    for policy in POLICIES {
        for threads in 1..=2 {
            let reached = AtomicUsize::new(0);
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
                pool(threads, policy).install(|| {
                    (0..1_000).into_par_iter().with_max_len(1).for_each(|i| {
                        assert!(i != 600, "boom");
                        reached.fetch_add(1, Ordering::Relaxed);
                    })
                })
            }));
            assert!(outcome.is_err(), "{policy}, {threads} threads");
            assert_eq!(reached.into_inner(), 999, "{policy}, {threads} threads");
        }
    }
}

/// Where each of `len` items ran when driven from the current thread: its worker index,
/// or `None` on a thread outside every pool.
fn placements(len: usize) -> Vec<Option<usize>> {
    (0..len)
        .into_par_iter()
        .map(|_| veda::current_thread_index())
        .collect()
}

/// Checks placement from outside every pool under the global policy named by
/// `VEDA_SCHEDULING_POLICY`.
#[test]
#[ignore = "run as a child process by placement_from_outside_follows_the_policy"]
fn child_placement_from_outside() {
    if !is_child() {
        return;
    }
    let policy: SchedulingPolicy = std::env::var("VEDA_SCHEDULING_POLICY")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(veda::current_thread_index(), None);
    for _ in 0..100 {
        let small = placements(1_000);
        match policy {
            // The first chunk always runs on the calling thread; a small input usually
            // finishes there, though a preempted caller may hand its rest to the pool.
            SchedulingPolicy::Adaptive => assert_eq!(small[0], None, "{small:?}"),
            _ => assert!(small.iter().all(Option::is_some), "{small:?}"),
        }
    }
    // A long input goes to the pool's workers under either policy, as under Rayon.
    let large = placements(100_000);
    assert!(
        large.iter().all(Option::is_some),
        "an item ran outside the pool"
    );
    // Results stay in order whoever ran them.
    let doubled: Vec<usize> = (0..100_000usize).into_par_iter().map(|i| i * 2).collect();
    assert_eq!(doubled, (0..100_000).map(|i| i * 2).collect::<Vec<_>>());
}

#[test]
fn placement_from_outside_follows_the_policy() {
    for policy in ["adaptive", "work-stealing"] {
        let output = run_child(
            "child_placement_from_outside",
            &[
                ("VEDA_SCHEDULING_POLICY", policy),
                ("VEDA_NUM_THREADS", "2"),
            ],
        );
        assert!(output.status.success(), "{policy}:\n{}", describe(&output));
        assert_child_passed(&output);
    }
}

#[test]
fn placement_inside_a_pool_stays_on_its_workers() {
    for pool in pools() {
        let context = describe_pool(&pool);
        let placed = pool.install(|| placements(10_000));
        assert!(placed.iter().all(Option::is_some), "{context}");
    }
}

/// An input cut to one item per piece (`with_max_len(1)`) is split up front, as Rayon
/// splits it, under both policies: while its first item runs (standing for a blocking call),
/// an idle thread already takes other items. A piece of work that chunked it on demand
/// instead could not cut anything before that first item returned.
#[test]
fn items_capped_by_max_len_start_on_idle_threads_while_the_first_one_runs() {
    use std::time::{Duration, Instant};

    for policy in POLICIES {
        let started = AtomicUsize::new(0);
        pool(2, policy).install(|| {
            (0..64).into_par_iter().with_max_len(1).for_each(|i| {
                started.fetch_add(1, Ordering::SeqCst);
                if i == 0 {
                    let deadline = Instant::now() + Duration::from_secs(10);
                    while started.load(Ordering::SeqCst) < 2 {
                        assert!(
                            Instant::now() < deadline,
                            "{policy}: no other item started while the first one ran"
                        );
                        std::thread::yield_now();
                    }
                }
            });
        });
        assert_eq!(started.into_inner(), 64);
    }
}
