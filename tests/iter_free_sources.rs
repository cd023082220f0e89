//! The free-standing sources of checklist B.6/B.7: empty, once, repeat, repeat_n, split,
//! walk_tree*, and par_bridge.

mod common;

use proptest::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use veda::iter::{
    empty, once, repeat, repeat_n, split, walk_tree, walk_tree_postfix, walk_tree_prefix,
};
use veda::prelude::*;

fn in_pool<R: Send>(threads: usize, op: impl FnOnce() -> R + Send) -> R {
    common::pool(threads).install(op)
}

#[test]
fn empty_and_once() {
    let nothing = empty::<String>();
    assert_eq!(nothing.len(), 0);
    assert_eq!(nothing.opt_len(), Some(0));
    assert_eq!(format!("{nothing:?}"), "Empty");
    let collected: Vec<String> = nothing.clone().collect();
    assert!(collected.is_empty());
    assert_eq!(nothing.clone().count(), 0);
    let pairs: Vec<(String, u8)> = nothing.zip(vec![1u8, 2]).collect();
    assert!(pairs.is_empty());

    let one = once(String::from("x"));
    assert_eq!(one.len(), 1);
    assert_eq!(one.opt_len(), Some(1));
    let collected: Vec<String> = one.clone().collect();
    assert_eq!(collected, ["x"]);
    let zipped: Vec<(String, u8)> = one.clone().zip(vec![7u8, 8]).collect();
    assert_eq!(zipped, [(String::from("x"), 7)]);
    let zipped: Vec<(u8, String)> = vec![7u8].into_par_iter().zip(one.clone()).collect();
    assert_eq!(zipped, [(7, String::from("x"))]);
    assert_eq!(
        one.clone().enumerate().collect::<Vec<_>>(),
        [(0, String::from("x"))]
    );
    assert_eq!(one.find_first(|s| s == "x"), Some(String::from("x")));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn repeat_n_matches_std(n in 0usize..500, threads in 1usize..=4, max in 1usize..=64) {
        let items = repeat_n(String::from("ab"), n);
        prop_assert_eq!(items.len(), n);
        prop_assert_eq!(items.opt_len(), Some(n));
        let got: Vec<String> = in_pool(threads, || items.with_max_len(max).collect());
        prop_assert_eq!(got, std::iter::repeat_n(String::from("ab"), n).collect::<Vec<_>>());
        let indexed: Vec<(usize, u8)> =
            in_pool(threads, || repeat_n(3u8, n).enumerate().with_max_len(max).collect());
        prop_assert_eq!(indexed, (0..n).map(|i| (i, 3u8)).collect::<Vec<_>>());
    }

    #[test]
    fn repeat_take_and_zip(n in 0usize..300, threads in 1usize..=4) {
        let taken: Vec<i32> = in_pool(threads, || repeat(5).take(n).collect());
        prop_assert_eq!(taken, vec![5; n]);
        let other: Vec<usize> = (0..n).collect();
        let zipped: Vec<(char, usize)> = in_pool(threads, || repeat('z').zip(&other).map(|(c, &i)| (c, i)).collect());
        prop_assert_eq!(zipped, other.iter().map(|&i| ('z', i)).collect::<Vec<_>>());
    }

    #[test]
    fn split_yields_every_piece(len in 0u64..20_000, grain in 1u64..2000, threads in 1usize..=4) {
        let pieces: Vec<std::ops::Range<u64>> = in_pool(threads, || {
            split(0..len, |r: std::ops::Range<u64>| {
                if r.end - r.start <= grain {
                    (r, None)
                } else {
                    let middle = r.start + (r.end - r.start) / 2;
                    (r.start..middle, Some(middle..r.end))
                }
            })
            .collect()
        });
        // The pieces come in order and cover the range exactly once.
        let mut next = 0;
        for piece in &pieces {
            prop_assert_eq!(piece.start, next);
            next = piece.end;
        }
        prop_assert_eq!(next, len);
    }

    #[test]
    fn walk_tree_orders_match_sequential_walks(
        tree in prop::collection::vec(0usize..5, 1..200),
        threads in 1usize..=4,
    ) {
        // Node i has tree[i] children, numbered in breadth-first order; nodes past the end
        // are leaves.
        let children = children_table(&tree);
        let children_of = |&n: &usize| children[n].clone();
        let mut expected_prefix = Vec::new();
        prefix(&children, 0, &mut expected_prefix);
        let mut expected_postfix = Vec::new();
        postfix(&children, 0, &mut expected_postfix);

        let (pre, post, mut any, first, last) = in_pool(threads, || {
            (
                walk_tree_prefix(0, children_of).collect::<Vec<usize>>(),
                walk_tree_postfix(0, children_of).collect::<Vec<usize>>(),
                walk_tree(0, children_of).collect::<Vec<usize>>(),
                walk_tree_prefix(0, children_of).find_first(|&n| n % 3 == 2),
                walk_tree_postfix(0, children_of).find_last(|&n| n % 3 == 2),
            )
        });
        prop_assert_eq!(&pre, &expected_prefix);
        prop_assert_eq!(&post, &expected_postfix);
        any.sort_unstable();
        let mut all = expected_prefix.clone();
        all.sort_unstable();
        prop_assert_eq!(any, all);
        prop_assert_eq!(first, expected_prefix.iter().copied().find(|&n| n % 3 == 2));
        prop_assert_eq!(last, expected_postfix.iter().copied().rfind(|&n| n % 3 == 2));
    }

    #[test]
    fn par_bridge_yields_every_item(n in 0usize..2000, threads in 1usize..=4) {
        let mut got: Vec<usize> = in_pool(threads, || (0..n).par_bridge().map(|x| x * 2).collect());
        got.sort_unstable();
        prop_assert_eq!(got, (0..n).map(|x| x * 2).collect::<Vec<_>>());
    }
}

fn children_table(tree: &[usize]) -> Vec<Vec<usize>> {
    let mut children = Vec::new();
    let mut next = 1;
    for &count in tree {
        children.push((next..next + count).collect::<Vec<_>>());
        next += count;
    }
    children.resize(next.max(children.len()), Vec::new());
    children
}

fn prefix(children: &[Vec<usize>], node: usize, out: &mut Vec<usize>) {
    out.push(node);
    for &child in &children[node] {
        prefix(children, child, out);
    }
}

fn postfix(children: &[Vec<usize>], node: usize, out: &mut Vec<usize>) {
    for &child in &children[node] {
        postfix(children, child, out);
    }
    out.push(node);
}

#[test]
fn walk_tree_handles_deep_chains() {
    // A path of 200 000 nodes: neither the split nor the sequential walk may recurse.
    const DEPTH: u32 = 200_000;
    let next = |&n: &u32| if n + 1 < DEPTH { vec![n + 1] } else { vec![] };
    let total: u64 = in_pool(2, || walk_tree_postfix(0u32, next).map(u64::from).sum());
    assert_eq!(total, u64::from(DEPTH) * u64::from(DEPTH - 1) / 2);
    let first = in_pool(2, || walk_tree_prefix(0u32, next).find_first(|&n| n > 10));
    assert_eq!(first, Some(11));
}

#[test]
fn walk_tree_debug_skips_the_closure() {
    let walk = walk_tree_prefix(1u8, |_| Vec::new());
    assert!(format!("{walk:?}").contains("WalkTreePrefix"));
    let walk = walk_tree(1u8, |_| Vec::new());
    assert!(format!("{walk:?}").contains("WalkTree"));
}

#[test]
fn par_bridge_nested_in_a_parallel_iterator() {
    for threads in 1..=4 {
        let total: usize = in_pool(threads, || {
            (0..50usize)
                .into_par_iter()
                .map(|i| (0..i).par_bridge().map(|x| x + 1).sum::<usize>())
                .sum()
        });
        assert_eq!(total, (0..50usize).map(|i| i * (i + 1) / 2).sum());
    }
}

#[test]
fn par_bridge_whose_next_runs_parallel_work_does_not_deadlock() {
    // The sequential iterator calls `join` in `next`: while its thread holds the bridge's
    // lock and waits, it may pick up another piece of the same bridge.
    // The first half of the join waits a little for the second to be stolen, which makes
    // the waiting (and so the stealing of a piece of the bridge) likely.
    fn join_stolen(i: usize) -> (usize, String) {
        let stolen = std::sync::atomic::AtomicBool::new(false);
        veda::join(
            || {
                let start = std::time::Instant::now();
                while !stolen.load(Ordering::Relaxed)
                    && start.elapsed() < std::time::Duration::from_millis(1)
                {
                    std::thread::yield_now();
                }
                i
            },
            || {
                stolen.store(true, Ordering::Relaxed);
                i.to_string()
            },
        )
    }
    const N: usize = 2_000;
    let pool = common::pool(4);
    let mut got: Vec<(usize, String)> =
        pool.install(|| (0..N).map(join_stolen).par_bridge().collect());
    got.sort_unstable();
    let expected: Vec<(usize, String)> = (0..N).map(|i| (i, i.to_string())).collect();
    assert_eq!(got, expected);

    // Every thread of the pool runs many small such bridges at once, so that threads
    // waiting in `next` find pieces of their own bridge to steal (as Rayon's
    // `par_bridge_recursion` test does).
    let pool = common::pool(8);
    let counts = AtomicUsize::new(0);
    pool.broadcast(|_| {
        let got: Vec<usize> = (0..2_000usize)
            .into_par_iter()
            .map(|i| {
                (0..20)
                    .map(move |j| veda::join(move || i + j, move || j.to_string()).0)
                    .par_bridge()
                    .map(|x| veda::join(move || x, || ()).0)
                    .sum()
            })
            .collect();
        assert!(got.iter().enumerate().all(|(i, &sum)| sum == 20 * i + 190));
        counts.fetch_add(1, Ordering::Relaxed);
    });
    assert_eq!(counts.into_inner(), 8);
}

#[test]
fn par_bridge_stops_when_the_consumer_is_full() {
    let pulled = AtomicUsize::new(0);
    let found = in_pool(3, || {
        (0..usize::MAX)
            .inspect(|_| {
                pulled.fetch_add(1, Ordering::Relaxed);
            })
            .par_bridge()
            .find_any(|&x| x == 1000)
    });
    assert_eq!(found, Some(1000));
    assert!(pulled.into_inner() < 1_000_000);
}

/// Counts drops of the element and its clones.
#[derive(Debug)]
struct Counted<'a>(&'a AtomicUsize, &'a AtomicUsize);

impl Clone for Counted<'_> {
    fn clone(&self) -> Self {
        self.1.fetch_add(1, Ordering::Relaxed);
        Counted(self.0, self.1)
    }
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn repeat_n_drops_every_clone_once() {
    for n in [0, 1, 2, 1000] {
        for threads in 1..=4 {
            let drops = AtomicUsize::new(0);
            let clones = AtomicUsize::new(0);
            let items: Vec<Counted<'_>> = in_pool(threads, || {
                repeat_n(Counted(&drops, &clones), n)
                    .with_max_len(7)
                    .collect()
            });
            assert_eq!(items.len(), n);
            drop(items);
            // The original plus each clone is dropped exactly once.
            assert_eq!(
                drops.load(Ordering::Relaxed),
                clones.load(Ordering::Relaxed) + 1
            );

            let drops = AtomicUsize::new(0);
            let clones = AtomicUsize::new(0);
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                in_pool(threads, || {
                    repeat_n(Counted(&drops, &clones), n)
                        .enumerate()
                        .for_each(|(i, _)| assert!(i != 500, "consumer panics"))
                })
            }));
            assert_eq!(outcome.is_err(), n > 500);
            assert_eq!(
                drops.load(Ordering::Relaxed),
                clones.load(Ordering::Relaxed) + 1
            );
        }
    }
}

#[test]
fn par_bridge_stops_calling_an_iterator_that_panicked() {
    for threads in 1..=4 {
        let after_panic = AtomicUsize::new(0);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            in_pool(threads, || {
                (0..10_000)
                    .inspect(|&i| {
                        assert!(i != 100, "the sequential iterator panics");
                        if i > 100 {
                            after_panic.fetch_add(1, Ordering::Relaxed);
                        }
                    })
                    .par_bridge()
                    .for_each(|_| std::thread::yield_now())
            })
        }));
        assert!(outcome.is_err());
        assert_eq!(after_panic.into_inner(), 0);
    }
}
