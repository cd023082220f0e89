//! Equivalence with std of the flattening, separating, early-stopping and multi-zip
//! adaptors, on random inputs and pools of 1–4 threads; ownership under panics.

mod common;

use proptest::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use veda::prelude::*;

fn input() -> impl Strategy<Value = (Vec<i32>, usize, usize)> {
    (
        prop::collection::vec(-1000..1000i32, 0..120),
        1..=4usize,
        1..40usize,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn flattening((v, threads, max) in input()) {
        common::pool(threads).install(|| {
            let expected: Vec<i32> = v.iter().flat_map(|&x| 0..x.rem_euclid(7)).collect();
            let got: Vec<i32> = v
                .par_iter()
                .with_max_len(max)
                .flat_map(|&x| (0..x.rem_euclid(7)).into_par_iter())
                .collect();
            assert_eq!(got, expected, "flat_map");
            let got: Vec<i32> = v
                .par_iter()
                .with_max_len(max)
                .flat_map_iter(|&x| 0..x.rem_euclid(7))
                .collect();
            assert_eq!(got, expected, "flat_map_iter");

            let nested: Vec<Vec<i32>> = v.iter().map(|&x| (0..x.rem_euclid(7)).collect()).collect();
            let got: Vec<i32> = nested.clone().into_par_iter().with_max_len(max).flatten().collect();
            assert_eq!(got, expected, "flatten");
            let got: Vec<i32> = nested.par_iter().with_max_len(max).flatten_iter().copied().collect();
            assert_eq!(got, expected, "flatten_iter");

            // Inner iterators that are themselves split finely.
            let got: Vec<i32> = v
                .par_iter()
                .flat_map(|&x| (0..x.rem_euclid(7)).into_par_iter().with_max_len(1))
                .collect();
            assert_eq!(got, expected, "flat_map of finely split inner iterators");
            let total: i64 = nested.par_iter().flatten().map(|&x| i64::from(x)).sum();
            assert_eq!(total, expected.iter().map(|&x| i64::from(x)).sum::<i64>());
        });
    }

    #[test]
    fn intersperse((v, threads, max) in input(), sep in -5..5i32) {
        common::pool(threads).install(|| {
            let mut expected = vec![];
            for (i, &x) in v.iter().enumerate() {
                if i > 0 {
                    expected.push(sep);
                }
                expected.push(x);
            }
            let it = v.par_iter().copied().intersperse(sep);
            assert_eq!(it.len(), expected.len());
            assert_eq!(it.opt_len(), Some(expected.len()));
            let got: Vec<i32> = v.par_iter().copied().intersperse(sep).collect();
            assert_eq!(&got, &expected);
            let got: Vec<i32> = v.par_iter().copied().intersperse(sep).with_max_len(1).collect();
            assert_eq!(&got, &expected, "split at every position");
            let got: Vec<i32> = v.par_iter().copied().intersperse(sep).with_max_len(max).rev().collect();
            assert_eq!(got, expected.iter().rev().copied().collect::<Vec<_>>(), "rev");
            let got: Vec<i32> = v.par_iter().copied().intersperse(sep).with_min_len(usize::MAX).rev().collect();
            assert_eq!(got, expected.iter().rev().copied().collect::<Vec<_>>(), "rev, one piece");
            let got: Vec<(usize, i32)> = v.par_iter().copied().intersperse(sep).with_max_len(max).enumerate().collect();
            assert_eq!(got, expected.iter().copied().enumerate().collect::<Vec<_>>(), "enumerate");
            // Driven through consumers: positional (base split at its own indices) and not.
            let got: Vec<i32> = v.par_iter().copied().with_max_len(max).intersperse(sep).collect();
            assert_eq!(&got, &expected, "base split");
            let got: Vec<i32> = v.par_iter().copied().filter(|_| true).intersperse(sep).collect();
            assert_eq!(&got, &expected, "unindexed base");
            let got: Vec<i32> = v.par_iter().copied().with_max_len(max).intersperse(sep).filter(|_| true).collect();
            assert_eq!(&got, &expected, "into an unindexed consumer");
        });
    }

    #[test]
    fn any_order_adaptors((v, threads, max) in input(), n in 0..140usize) {
        common::pool(threads).install(|| {
            let got: Vec<i32> = v.par_iter().copied().with_max_len(max).take_any(n).collect();
            assert_eq!(got.len(), n.min(v.len()));
            let rest: Vec<i32> = v.par_iter().copied().with_max_len(max).skip_any(n).collect();
            assert_eq!(rest.len(), v.len().saturating_sub(n));
            // Each keeps the relative order of what it keeps, and takes only input items.
            let mut all = got.clone();
            all.extend(&rest);
            for part in [&got, &rest] {
                let mut it = v.iter();
                assert!(part.iter().all(|x| it.any(|y| y == x)), "a subsequence");
            }

            let limit = 500;
            let taken: Vec<i32> = v.par_iter().copied().with_max_len(max).take_any_while(|&x| x < limit).collect();
            assert!(taken.iter().all(|&x| x < limit));
            let prefix = v.iter().take_while(|&&x| x < limit).count();
            if prefix == v.len() {
                assert_eq!(taken, v, "nothing refused: everything taken");
            }
            let kept: Vec<i32> = v.par_iter().copied().with_max_len(max).skip_any_while(|&x| x < limit).collect();
            let refused: Vec<i32> = v.iter().copied().filter(|&x| x >= limit).collect();
            assert!(refused.iter().all(|x| kept.contains(x)), "refused items are always kept");
            if threads == 1 {
                // One thread goes through the items in order.
                assert_eq!(taken, v[..prefix].to_vec());
                assert_eq!(kept, v[prefix..].to_vec());
            }

            let options: Vec<Option<i32>> = v.iter().map(|&x| (x < limit).then_some(x)).collect();
            let got: Vec<i32> = options.par_iter().copied().with_max_len(max).while_some().collect();
            assert!(got.iter().all(|&x| x < limit));
            assert!(got.len() >= if prefix == v.len() { v.len() } else { 0 });
            if threads == 1 || prefix == v.len() {
                assert_eq!(got, v[..prefix].to_vec());
            }
        });
    }

    #[test]
    fn multizip((v, threads, max) in input(), w in prop::collection::vec(-9..9i32, 0..60)) {
        common::pool(threads).install(|| {
            let n = v.len().min(w.len());
            let expected: Vec<(i32, i32, usize)> =
                v.iter().zip(&w).enumerate().map(|(i, (&x, &y))| (x, y, i)).collect();
            let range = 0..v.len();
            let z = (v.par_iter().copied(), w.clone(), range.clone()).into_par_iter();
            assert_eq!(z.len(), n);
            assert_eq!(z.opt_len(), Some(n));
            let got: Vec<(i32, i32, usize)> = (v.par_iter().copied(), w.clone(), range.clone())
                .into_par_iter()
                .with_max_len(max)
                .collect();
            assert_eq!(&got, &expected);
            let got: Vec<(i32, i32, usize)> = (v.par_iter().copied(), w.clone(), range)
                .into_par_iter()
                .rev()
                .with_max_len(1)
                .collect();
            assert_eq!(got, expected.iter().rev().copied().collect::<Vec<_>>());
            let got: Vec<(i32,)> = (v.clone(),).into_par_iter().filter(|_| true).collect();
            assert_eq!(got, v.iter().map(|&x| (x,)).collect::<Vec<_>>());
            let pair = (v.clone(), w.clone());
            let got: Vec<(&i32, &i32)> = pair.par_iter().collect();
            assert_eq!(got, v.iter().zip(&w).collect::<Vec<_>>());
            let mut pair = (v.clone(), w.clone());
            pair.par_iter_mut().for_each(|(x, y)| std::mem::swap(x, y));
            assert_eq!(&pair.0[..n], &w[..n]);
            assert_eq!(&pair.1[..n], &v[..n]);
        });
    }
}

#[test]
fn twelve_way_zip() {
    let v: Vec<u32> = (0..50).collect();
    let z = (
        &v,
        &v,
        &v,
        &v,
        &v,
        &v,
        &v,
        &v,
        &v,
        &v,
        &v,
        v[..40].par_iter(),
    );
    let it = z.into_par_iter();
    assert_eq!(it.len(), 40);
    let sums: Vec<u32> = it
        .map(|(a, b, c, d, e, f, g, h, i, j, k, l)| a + b + c + d + e + f + g + h + i + j + k + l)
        .collect();
    assert_eq!(sums, (0..40).map(|x| 12 * x).collect::<Vec<_>>());
}

#[test]
fn while_some_stops_early() {
    let seen = AtomicUsize::new(0);
    let got: Vec<usize> = common::pool(1).install(|| {
        (0..1_000_000usize)
            .into_par_iter()
            .map(|x| {
                seen.fetch_add(1, Ordering::Relaxed);
                (x < 10).then_some(x)
            })
            .while_some()
            .collect()
    });
    assert_eq!(got, (0..10).collect::<Vec<_>>());
    assert!(seen.into_inner() < 1_000_000);
}

#[test]
fn take_any_stops_early() {
    let seen = AtomicUsize::new(0);
    let got = common::pool(2).install(|| {
        (0..1_000_000usize)
            .into_par_iter()
            .inspect(|_| {
                seen.fetch_add(1, Ordering::Relaxed);
            })
            .take_any(10)
            .count()
    });
    assert_eq!(got, 10);
    assert!(seen.into_inner() < 1_000_000);
}

#[test]
fn panic_fuse_stops_other_work() {
    let seen = AtomicUsize::new(0);
    let result = catch_unwind(AssertUnwindSafe(|| {
        common::pool(2).install(|| {
            (0..1_000_000usize)
                .into_par_iter()
                .with_max_len(1000)
                .panic_fuse()
                .for_each(|x| {
                    seen.fetch_add(1, Ordering::Relaxed);
                    assert!(x != 10, "boom");
                })
        })
    }));
    assert!(result.is_err());
    assert!(seen.into_inner() < 1_000_000);
}

#[test]
fn panic_fuse_passes_everything_through() {
    let v: Vec<i32> = (0..1000).collect();
    let got: Vec<i32> = v
        .par_iter()
        .copied()
        .panic_fuse()
        .with_max_len(3)
        .rev()
        .collect();
    assert_eq!(got, v.iter().rev().copied().collect::<Vec<_>>());
    assert_eq!(v.par_iter().panic_fuse().len(), 1000);
    let got: Vec<i32> = v
        .par_iter()
        .copied()
        .filter(|_| true)
        .panic_fuse()
        .collect();
    assert_eq!(got, v);
}

#[test]
fn intersperse_edge_cases() {
    let empty: Vec<i32> = vec![];
    assert_eq!(empty.par_iter().intersperse(&0).len(), 0);
    assert_eq!(empty.par_iter().intersperse(&0).count(), 0);
    let one: Vec<i32> = vec![7].into_par_iter().intersperse(0).collect();
    assert_eq!(one, [7]);
    let strings: Vec<String> = vec!["a".to_string(), "b".to_string()]
        .into_par_iter()
        .intersperse(",".to_string())
        .collect();
    assert_eq!(strings.concat(), "a,b");
}

/// Counts live values, to check that every value is dropped exactly once.
struct Counted<'a>(&'a AtomicUsize, i32);

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn owned_items_are_dropped_once_when_a_closure_panics() {
    for threads in 1..=3 {
        let drops = AtomicUsize::new(0);
        let make = |range: std::ops::Range<i32>| -> Vec<Counted<'_>> {
            range.map(|i| Counted(&drops, i)).collect()
        };
        let (a, b) = (make(0..300), make(300..500));
        let result = catch_unwind(AssertUnwindSafe(|| {
            common::pool(threads).install(|| {
                a.into_par_iter()
                    .chain(b)
                    .rev()
                    .skip(3)
                    .step_by(2)
                    .chunks(5)
                    .interleave(make(500..600).into_par_iter().chunks(7))
                    .with_max_len(4)
                    .for_each(|chunk| {
                        assert!(!chunk.iter().any(|c| c.1 == 250), "boom");
                    });
            })
        }));
        assert!(result.is_err());
        assert_eq!(drops.into_inner(), 600, "{threads} threads");
    }
}

#[test]
fn flat_map_drops_inner_items_once_when_a_closure_panics() {
    for threads in 1..=3 {
        let (made, drops) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let result = catch_unwind(AssertUnwindSafe(|| {
            common::pool(threads).install(|| {
                (0..50)
                    .into_par_iter()
                    .flat_map(|i| {
                        made.fetch_add(10, Ordering::Relaxed);
                        (0..10)
                            .map(|j| Counted(&drops, i * 10 + j))
                            .collect::<Vec<_>>()
                    })
                    .for_each(|c| assert!(c.1 != 250, "boom"));
            })
        }));
        assert!(result.is_err());
        assert_eq!(drops.into_inner(), made.into_inner(), "{threads} threads");
    }
}

/// Counts the items reached before the panic at item 600 ends the run.
fn reached_before_panic(iter: impl ParallelIterator<Item = i32>) -> usize {
    let reached = AtomicUsize::new(0);
    let result = catch_unwind(AssertUnwindSafe(|| {
        iter.for_each(|_| {
            reached.fetch_add(1, Ordering::Relaxed);
        })
    }));
    assert!(result.is_err());
    reached.into_inner()
}

#[test]
fn panic_fuse_works_as_consumer_and_as_producer() {
    let check = |&x: &i32| assert!(x != 600, "boom");
    common::pool(1).install(|| {
        let items = || (0..1000).into_par_iter().with_max_len(1);
        // Without a fuse, every piece but the panicking one still runs.
        assert_eq!(reached_before_panic(items().inspect(check)), 999);
        assert!(reached_before_panic(items().inspect(check).panic_fuse()) < 999);
        assert!(reached_before_panic(items().panic_fuse().inspect(check)) < 999);
        // `rev` iterates the fused producer itself, not through its folder.
        assert!(reached_before_panic(items().panic_fuse().inspect(check).rev()) < 999);
    });
}
