//! Equivalence of the indexed and per-item adaptors with std's sequential iterators, on
//! random inputs, random split limits and pools of 1–4 threads; lengths of indexed adaptors;
//! producers split at every position (`with_max_len(1)`) and iterated from both ends.

mod common;

use proptest::prelude::*;
use std::fmt::Debug;
use std::sync::atomic::{AtomicUsize, Ordering};
use veda::iter::plumbing::{Producer, ProducerCallback};
use veda::prelude::*;

/// Checks an indexed iterator against the items it should yield, through every path: its
/// length, collecting whole and split at every position, from the back, through an
/// unindexed consumer, and with `enumerate` (which relies on each piece's exact length).
fn check_indexed<I, T>(make: impl Fn() -> I, expected: &[T], max: usize)
where
    I: IndexedParallelIterator<Item = T>,
    T: Send + PartialEq + Debug + Clone,
{
    check_split_everywhere(&make, expected);

    let it = make();
    assert_eq!(it.len(), expected.len(), "len");
    assert_eq!(it.opt_len(), Some(expected.len()), "opt_len");

    let whole: Vec<T> = make().collect();
    assert_eq!(whole, expected, "collect");

    let finest: Vec<T> = make().with_max_len(1).collect();
    assert_eq!(finest, expected, "split at every position");

    let limited: Vec<T> = make().with_max_len(max).collect();
    assert_eq!(limited, expected, "with_max_len({max})");

    let coarse: Vec<T> = make().with_min_len(max).collect();
    assert_eq!(coarse, expected, "with_min_len({max})");

    let reversed: Vec<T> = expected.iter().rev().cloned().collect();
    let back: Vec<T> = make().rev().collect();
    assert_eq!(back, reversed, "rev");
    let back_one_piece: Vec<T> = make().with_min_len(usize::MAX).rev().collect();
    assert_eq!(back_one_piece, reversed, "rev without splitting");
    let back_split: Vec<T> = make().rev().with_max_len(1).collect();
    assert_eq!(back_split, reversed, "rev split at every position");

    let unindexed: Vec<T> = make().with_max_len(max).filter(|_| true).collect();
    assert_eq!(unindexed, expected, "through an unindexed consumer");

    let numbered: Vec<(usize, T)> = make().with_max_len(max).enumerate().collect();
    let expected_numbered: Vec<(usize, T)> = expected.iter().cloned().enumerate().collect();
    assert_eq!(numbered, expected_numbered, "enumerate");

    // One piece iterated from the back through `zip`, which trims by the exact lengths.
    let numbered_back: Vec<(usize, T)> =
        make().enumerate().with_min_len(usize::MAX).rev().collect();
    let expected_back: Vec<(usize, T)> = expected_numbered.into_iter().rev().collect();
    assert_eq!(numbered_back, expected_back, "enumerate, rev");
    let numbered_back: Vec<(usize, T)> = make().enumerate().rev().with_max_len(max).collect();
    assert_eq!(numbered_back, expected_back, "enumerate, rev, split");

    let mut into = vec![];
    make().with_max_len(max).collect_into_vec(&mut into);
    assert_eq!(into, expected, "collect_into_vec");
}

/// std's model of `interleave_shortest`: alternate, stop when the side whose turn it is
/// has run out.
fn interleave_shortest(first: &[i32], second: &[i32]) -> Vec<i32> {
    let mut out = vec![];
    let mut second = second.iter();
    for &x in first {
        out.push(x);
        match second.next() {
            Some(&y) => out.push(y),
            None => break,
        }
    }
    out
}

/// Splits a producer at `at`, splits both halves again, and checks every piece's exact
/// length and items, front to back and back to front.
struct SplitCheck<'e, T> {
    at: usize,
    expected: &'e [T],
}

impl<T: PartialEq + Debug> ProducerCallback<T> for SplitCheck<'_, T> {
    type Output = ();

    fn callback<P: Producer<Item = T>>(self, producer: P) {
        let (left, right) = producer.split_at(self.at);
        let (left_expected, right_expected) = self.expected.split_at(self.at);
        let left_at = self.at / 2;
        let right_at = right_expected.len() / 3;
        for (piece, at, expected) in [
            (left, left_at, left_expected),
            (right, right_at, right_expected),
        ] {
            let (front, back) = piece.split_at(at);
            let (front_expected, back_expected) = expected.split_at(at);
            let front = front.into_iter();
            assert_eq!(front.len(), front_expected.len(), "front piece length");
            assert_eq!(front.collect::<Vec<_>>(), front_expected, "front piece");
            let back = back.into_iter();
            assert_eq!(back.len(), back_expected.len(), "back piece length");
            let mut backwards: Vec<T> = back.rev().collect();
            backwards.reverse();
            assert_eq!(backwards, back_expected, "back piece, from the back");
        }
    }
}

/// Checks the producer of `make()` split at every position (every few positions for long
/// inputs).
fn check_split_everywhere<I, T>(make: impl Fn() -> I, expected: &[T])
where
    I: IndexedParallelIterator<Item = T>,
    T: PartialEq + Debug,
{
    let stride = (expected.len() / 64).max(1);
    for at in (0..=expected.len()).step_by(stride).chain([expected.len()]) {
        make().with_producer(SplitCheck { at, expected });
    }
}

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
    fn rev_skip_take_step_by((v, threads, max) in input(), n in 0..140usize, step in 1..8usize) {
        common::pool(threads).install(|| {
            let expected: Vec<i32> = v.iter().rev().copied().collect();
            check_indexed(|| v.par_iter().copied().rev(), &expected, max);
            let expected: Vec<i32> = v.iter().skip(n).copied().collect();
            check_indexed(|| v.par_iter().copied().skip(n), &expected, max);
            let expected: Vec<i32> = v.iter().take(n).copied().collect();
            check_indexed(|| v.par_iter().copied().take(n), &expected, max);
            let expected: Vec<i32> = v.iter().step_by(step).copied().collect();
            check_indexed(|| v.par_iter().copied().step_by(step), &expected, max);
            let expected: Vec<i32> = v.iter().skip(n / 2).step_by(step).take(n).copied().collect();
            check_indexed(
                || v.clone().into_par_iter().skip(n / 2).step_by(step).take(n),
                &expected,
                max,
            );
        });
    }

    #[test]
    fn chunks_and_fold_chunks((v, threads, max) in input(), size in 1..10usize) {
        common::pool(threads).install(|| {
            let expected: Vec<Vec<i32>> = v.chunks(size).map(<[i32]>::to_vec).collect();
            check_indexed(|| v.par_iter().copied().chunks(size), &expected, max);
            let expected: Vec<i64> = v
                .chunks(size)
                .map(|c| c.iter().map(|&x| i64::from(x)).sum())
                .collect();
            check_indexed(
                || v.par_iter().fold_chunks(size, || 0i64, |a, &x| a + i64::from(x)),
                &expected,
                max,
            );
            let expected: Vec<i64> = v
                .chunks(size)
                .map(|c| c.iter().fold(7, |a, &x| a * 3 + i64::from(x)))
                .collect();
            check_indexed(
                || v.par_iter().fold_chunks_with(size, 7i64, |a, &x| a * 3 + i64::from(x)),
                &expected,
                max,
            );
        });
    }

    #[test]
    fn chain_interleave_zip_eq((v, threads, max) in input(), w in prop::collection::vec(-9..9i32, 0..60)) {
        common::pool(threads).install(|| {
            let expected: Vec<i32> = v.iter().chain(&w).copied().collect();
            check_indexed(|| v.par_iter().copied().chain(w.par_iter().copied()), &expected, max);
            let unindexed: Vec<i32> = v
                .par_iter()
                .copied()
                .filter(|_| true)
                .chain(w.clone())
                .collect();
            assert_eq!(unindexed, expected);

            let mut expected = vec![];
            let (mut a, mut b) = (v.iter().copied(), w.iter().copied());
            loop {
                match (a.next(), b.next()) {
                    (None, None) => break,
                    (x, y) => expected.extend(x.into_iter().chain(y)),
                }
            }
            check_indexed(|| v.par_iter().copied().interleave(w.clone()), &expected, max);

            let expected = interleave_shortest(&v, &w);
            check_indexed(|| v.par_iter().copied().interleave_shortest(w.clone()), &expected, max);
            let expected = interleave_shortest(&w, &v);
            check_indexed(|| w.par_iter().copied().interleave_shortest(v.clone()), &expected, max);

            let n = v.len().min(w.len());
            let expected: Vec<(i32, i32)> = v[..n].iter().copied().zip(w[..n].iter().copied()).collect();
            check_indexed(|| v[..n].par_iter().copied().zip_eq(w[..n].to_vec()), &expected, max);
        });
    }

    #[test]
    fn intersperse_multizip_panic_fuse_producers((v, threads, max) in input(), sep in -5..5i32) {
        common::pool(threads).install(|| {
            let mut expected = vec![];
            for (i, &x) in v.iter().enumerate() {
                if i > 0 {
                    expected.push(sep);
                }
                expected.push(x);
            }
            check_indexed(|| v.par_iter().copied().intersperse(sep), &expected, max);
            let expected: Vec<(i32, usize, i32)> =
                v.iter().enumerate().map(|(i, &x)| (x, i, -x)).collect();
            let negated: Vec<i32> = v.iter().map(|x| -x).collect();
            check_indexed(
                || (v.par_iter().copied(), 0..v.len() + 5, negated.clone()).into_par_iter(),
                &expected,
                max,
            );
            check_indexed(|| v.par_iter().copied().panic_fuse(), &v, max);
        });
    }

    #[test]
    fn per_item_adaptors((v, threads, max) in input()) {
        common::pool(threads).install(|| {
            let seen = AtomicUsize::new(0);
            check_indexed(
                || v.par_iter().copied().inspect(|_| { seen.fetch_add(1, Ordering::Relaxed); }),
                &v,
                max,
            );
            assert_eq!(seen.load(Ordering::Relaxed) % v.len().max(1), 0);

            let expected: Vec<i32> = v.iter().map(|x| x * 2).collect();
            check_indexed(|| v.par_iter().copied().update(|x| *x *= 2), &expected, max);

            let expected: Vec<i64> = v.iter().map(|&x| i64::from(x) + 5).collect();
            check_indexed(
                || v.par_iter().map_with(5i64, |five, &x| i64::from(x) + *five),
                &expected,
                max,
            );
            check_indexed(
                || v.par_iter().map_init(|| 5i64, |five, &x| i64::from(x) + *five),
                &expected,
                max,
            );

            let expected: Vec<usize> = v.iter().enumerate().filter(|(_, &x)| x % 3 == 0).map(|(i, _)| i).collect();
            let got: Vec<usize> = v.par_iter().with_max_len(max).positions(|&x| x % 3 == 0).collect();
            prop_assert_eq!(got, expected);
            Ok(())
        })?;
    }

    #[test]
    fn blocks((v, threads, max) in input(), size in 1..20usize) {
        common::pool(threads).install(|| {
            let got: Vec<i32> = v.par_iter().copied().by_exponential_blocks().collect();
            assert_eq!(got, v);
            let got: Vec<i32> = v.par_iter().copied().with_max_len(max).by_uniform_blocks(size).collect();
            assert_eq!(got, v);
            let total: i64 = v.par_iter().map(|&x| i64::from(x)).by_uniform_blocks(size).filter(|_| true).sum();
            assert_eq!(total, v.iter().map(|&x| i64::from(x)).sum::<i64>());
            // Rayon's block adaptors are not indexed and give no `opt_len`.
            assert_eq!(v.par_iter().by_exponential_blocks().opt_len(), None);
            assert_eq!(v.par_iter().by_uniform_blocks(size).opt_len(), None);
        });
    }

    #[test]
    fn folds((v, threads, max) in input()) {
        common::pool(threads).install(|| {
            let total: i64 = v.iter().map(|&x| i64::from(x)).sum();
            let pieces: Vec<i64> = v.par_iter().with_max_len(max).fold(|| 0i64, |a, &x| a + i64::from(x)).collect();
            assert_eq!(pieces.iter().sum::<i64>(), total);
            assert!(!pieces.is_empty());
            let pieces: Vec<Vec<i32>> = v.par_iter().with_max_len(max).fold_with(vec![], |mut a, &x| { a.push(x); a }).collect();
            assert_eq!(pieces.concat(), v);

            // try_fold stops each piece at its first failure and keeps the order of pieces.
            let pieces: Vec<Result<i64, i32>> = v
                .par_iter()
                .with_max_len(max)
                .try_fold(|| 0i64, |a, &x| if x > 900 { Err(x) } else { Ok(a + i64::from(x)) })
                .collect();
            let first_err = pieces.iter().find_map(|p| p.err());
            assert_eq!(first_err, v.iter().copied().find(|&x| x > 900));
            if first_err.is_none() {
                assert_eq!(pieces.iter().map(|p| p.unwrap()).sum::<i64>(), total);
            }
            let pieces: Vec<Option<Vec<i32>>> = v
                .par_iter()
                .with_max_len(max)
                .try_fold_with(vec![], |mut a, &x| { a.push(x); Some(a) })
                .collect();
            assert_eq!(pieces.into_iter().map(Option::unwrap).collect::<Vec<_>>().concat(), v);
        });
    }
}

#[test]
fn lengths() {
    let v: Vec<u8> = (0..10).collect();
    assert_eq!(v.par_iter().chunks(3).len(), 4);
    assert_eq!(v.par_iter().chunks(5).len(), 2);
    assert_eq!(v[..0].par_iter().chunks(5).len(), 0);
    assert_eq!(v.par_iter().fold_chunks(3, || 0, |a, _| a).len(), 4);
    assert_eq!(v.par_iter().fold_chunks_with(10, 0, |a, _| a).len(), 1);
    assert_eq!(v.par_iter().step_by(3).len(), 4);
    assert_eq!(v.par_iter().step_by(10).len(), 1);
    assert_eq!(v.par_iter().step_by(11).len(), 1);
    assert_eq!(v.par_iter().skip(3).len(), 7);
    assert_eq!(v.par_iter().skip(30).len(), 0);
    assert_eq!(v.par_iter().take(3).len(), 3);
    assert_eq!(v.par_iter().take(30).len(), 10);
    assert_eq!(v.par_iter().chain(&v[..4]).len(), 14);
    assert_eq!(v.par_iter().interleave(&v[..4]).len(), 14);
    assert_eq!(v.par_iter().interleave_shortest(&v[..4]).len(), 9);
    assert_eq!(v[..4].par_iter().interleave_shortest(&v).len(), 8);
    assert_eq!(v.par_iter().rev().len(), 10);
    assert_eq!(v.par_iter().positions(|_| true).opt_len(), None);
    assert_eq!(v.par_iter().fold(|| 0, |a, _| a).opt_len(), None);
}

#[test]
#[should_panic(expected = "chunk_size must not be zero")]
fn chunks_of_zero_panics() {
    let _ = (0..4).into_par_iter().chunks(0);
}

#[test]
#[should_panic(expected = "chunk_size must not be zero")]
fn fold_chunks_of_zero_panics() {
    let _ = (0..4).into_par_iter().fold_chunks(0, || 0, |a, _| a);
}

#[test]
#[should_panic(expected = "block_size must not be zero")]
fn uniform_blocks_of_zero_panics() {
    let _ = (0..4).into_par_iter().by_uniform_blocks(0);
}

/// The message of the panic that `f` raises; fails the test if it returns.
fn panic_text<R>(f: impl FnOnce() -> R) -> String {
    let payload = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(_) => panic!("expected a panic"),
        Err(payload) => payload,
    };
    common::panic_message(&*payload)
        .unwrap_or_default()
        .to_owned()
}

/// Rayon's `step_by(0)` is accepted; the zero step divides by zero when the length is asked
/// for or the iterator is driven.
#[test]
fn step_by_zero_panics_on_use_not_on_creation() {
    let stepped = (0..4).into_par_iter().step_by(0);
    for message in [
        panic_text(|| stepped.clone().len()),
        panic_text(|| stepped.opt_len()),
        panic_text(|| stepped.clone().count()),
    ] {
        assert!(message.contains("divide by zero"), "{message}");
    }
}

#[test]
#[should_panic(expected = "iterators must have the same length")]
fn zip_eq_of_different_lengths_panics() {
    let _ = (0..4).into_par_iter().zip_eq(0..5);
}

#[test]
fn map_init_calls_init_once_per_piece() {
    let inits = AtomicUsize::new(0);
    let out: Vec<usize> = common::pool(2).install(|| {
        (0..1000usize)
            .into_par_iter()
            .with_min_len(250)
            .map_init(
                || {
                    inits.fetch_add(1, Ordering::Relaxed);
                },
                |(), x| x,
            )
            .collect()
    });
    assert_eq!(out, (0..1000).collect::<Vec<_>>());
    let inits = inits.into_inner();
    assert!(
        (1..=4).contains(&inits),
        "{inits} pieces of at least 250 items"
    );
}

#[test]
fn exponential_blocks_visit_every_item_once() {
    let visited = AtomicUsize::new(0);
    let total: usize = common::pool(2).install(|| {
        (0..1_000_000usize)
            .into_par_iter()
            .by_exponential_blocks()
            .inspect(|_| {
                visited.fetch_add(1, Ordering::Relaxed);
            })
            .map(|_| 1)
            .sum()
    });
    assert_eq!(total, 1_000_000);
    assert_eq!(visited.into_inner(), 1_000_000);
}

/// Every adaptor is `Clone` (the clone yields the same items) and `Debug`.
fn check_clone_debug<I>(iter: I)
where
    I: ParallelIterator<Item: Debug + PartialEq> + Clone + Debug,
{
    assert!(!format!("{iter:?}").is_empty());
    let a: Vec<_> = iter.clone().collect();
    let b: Vec<_> = iter.collect();
    assert_eq!(a, b);
}

#[test]
fn adaptors_are_clone_and_debug() {
    let v: Vec<i32> = (0..100).collect();
    let nested: Vec<Vec<i32>> = (0..10).map(|n| (0..n).collect()).collect();
    let options: Vec<Option<i32>> = v.iter().map(|&x| Some(x)).collect();
    check_clone_debug(v.par_iter().by_exponential_blocks());
    check_clone_debug(v.par_iter().by_uniform_blocks(7));
    check_clone_debug(v.par_iter().chain(&v));
    check_clone_debug(v.par_iter().chunks(3));
    check_clone_debug(nested.par_iter().flat_map(|x| x.par_iter()));
    check_clone_debug(nested.par_iter().flat_map_iter(|x| x.iter()));
    check_clone_debug(nested.clone().into_par_iter().flatten());
    check_clone_debug(nested.par_iter().flatten_iter());
    check_clone_debug(v.par_iter().with_max_len(1).fold(|| 0, |a, &x| a + x));
    check_clone_debug(v.par_iter().with_max_len(1).fold_with(0, |a, &x| a + x));
    check_clone_debug(v.par_iter().fold_chunks(4, || 0, |a, &x| a + x));
    check_clone_debug(v.par_iter().fold_chunks_with(4, 0, |a, &x| a + x));
    check_clone_debug(
        v.par_iter()
            .with_max_len(1)
            .try_fold(|| 0, |a, &x| Some(a + x)),
    );
    check_clone_debug(
        v.par_iter()
            .with_max_len(1)
            .try_fold_with(0, |a, &x| Ok::<_, ()>(a + x)),
    );
    check_clone_debug(v.par_iter().inspect(|_| ()));
    check_clone_debug(v.par_iter().update(|_| ()));
    check_clone_debug(v.par_iter().interleave(&v[..10]));
    check_clone_debug(v.par_iter().interleave_shortest(&v[..10]));
    check_clone_debug(v.par_iter().intersperse(&-1));
    check_clone_debug(v.par_iter().map_with(1, |one, &x| x + *one));
    check_clone_debug(v.par_iter().map_init(|| 1, |one, &x| x + *one));
    check_clone_debug(v.par_iter().panic_fuse());
    check_clone_debug(v.par_iter().positions(|&x| x % 3 == 0));
    check_clone_debug(v.par_iter().rev());
    check_clone_debug(v.par_iter().skip(42));
    check_clone_debug(v.par_iter().take(42));
    check_clone_debug(v.par_iter().step_by(3));
    check_clone_debug(v.par_iter().skip_any_while(|_| false));
    check_clone_debug(v.par_iter().take_any_while(|_| true));
    check_clone_debug(options.par_iter().cloned().while_some());
    check_clone_debug(v.par_iter().zip_eq(&v));
    check_clone_debug((&v, &v, v.clone()).into_par_iter());
    let counted = v.par_iter().take_any(42);
    assert_eq!(counted.clone().count(), counted.count());
    let counted = v.par_iter().skip_any(42);
    assert!(!format!("{counted:?}").is_empty());
    assert_eq!(counted.clone().count(), counted.count());
}

#[test]
fn skip_still_runs_the_skipped_items() {
    for threads in 1..=3 {
        let seen = AtomicUsize::new(0);
        let kept = common::pool(threads).install(|| {
            (0..1000usize)
                .into_par_iter()
                .map(|x| seen.fetch_add(x, Ordering::Relaxed))
                .skip(600)
                .count()
        });
        assert_eq!(kept, 400);
        assert_eq!(seen.into_inner(), (0..1000).sum::<usize>());
    }
}

#[test]
fn skipped_owned_items_are_dropped() {
    let items: Vec<String> = (0..100).map(|i| i.to_string()).collect();
    let kept: Vec<String> = items.clone().into_par_iter().skip(90).collect();
    assert_eq!(kept, items[90..]);
    let kept: Vec<String> = items.clone().into_par_iter().take(10).collect();
    assert_eq!(kept, items[..10]);
}

/// Lengths past `usize::MAX`, as in Rayon: `opt_len` is `None` for `chain` and `intersperse`
/// (and panics for `interleave`), and `len` panics with "overflow".
#[test]
fn overflowing_lengths_match_rayon() {
    let huge = || (0..usize::MAX).into_par_iter();
    assert_eq!(huge().intersperse(0).opt_len(), None);
    assert_eq!(huge().chain(0..2).opt_len(), None);
    assert_eq!(panic_text(|| huge().intersperse(0).len()), "overflow");
    assert_eq!(panic_text(|| huge().chain(0..2).len()), "overflow");
    assert_eq!(panic_text(|| huge().interleave(0..2).len()), "overflow");
    assert_eq!(panic_text(|| huge().interleave(0..2).opt_len()), "overflow");
    assert_eq!((0..3).into_par_iter().intersperse(9).opt_len(), Some(5));
    assert_eq!((0..0).into_par_iter().intersperse(9).opt_len(), Some(0));
}

/// Rayon's block adaptors start their result from an empty leftmost piece, so `fold` yields
/// an identity item ahead of the blocks' own.
#[test]
fn blocks_lead_with_an_empty_piece_as_rayon_does() {
    let push = |mut v: Vec<i32>, x: i32| {
        v.push(x);
        v
    };
    for threads in 1..=3 {
        common::pool(threads).install(|| {
            let uniform: Vec<Vec<i32>> = (1..11)
                .into_par_iter()
                .by_uniform_blocks(3)
                .fold(Vec::new, push)
                .collect();
            let exponential: Vec<Vec<i32>> = (1..11)
                .into_par_iter()
                .by_exponential_blocks()
                .fold(Vec::new, push)
                .collect();
            for folded in [uniform, exponential] {
                assert!(folded[0].is_empty(), "{folded:?}");
                assert!(
                    folded[1..].iter().all(|piece| !piece.is_empty()),
                    "{folded:?}"
                );
                assert_eq!(folded.concat(), (1..11).collect::<Vec<_>>());
            }
        });
    }
}
