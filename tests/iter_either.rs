//! `Either<L, R>` as a parallel iterator: whichever side is present runs, with its length,
//! its order and its split bounds, checked against std's sequential iterators on random
//! inputs, split sizes and pool sizes; and an owning `Either` drops every item exactly once
//! when a closure panics part-way through.

mod common;

use common::pool;
use proptest::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use veda::iter::plumbing::{Consumer, Folder, Producer, ProducerCallback, Reducer};
use veda::iter::{Either, IndexedParallelIterator, ParallelIterator};
use veda::prelude::*;

/// Random input: values, split bounds, a thread count and which side to take.
fn setup() -> impl Strategy<Value = (Vec<u32>, usize, usize, usize, bool)> {
    (
        prop::collection::vec(0u32..1000, 0..300),
        1usize..40,
        1usize..80,
        1usize..=4,
        any::<bool>(),
    )
}

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(64)
}

/// Two differently typed indexed iterators over `values` with the same items: the left
/// side maps, the right side copies and then maps through a different closure type.
fn indexed_either(
    values: &[u32],
    left: bool,
) -> Either<
    impl IndexedParallelIterator<Item = u64> + '_,
    impl IndexedParallelIterator<Item = u64> + '_,
> {
    if left {
        Either::Left(values.par_iter().map(|&v| u64::from(v) * 2))
    } else {
        Either::Right(values.par_iter().copied().map(|v| u64::from(v) + 7))
    }
}

fn expected_indexed(values: &[u32], left: bool) -> Vec<u64> {
    if left {
        values.iter().map(|&v| u64::from(v) * 2).collect()
    } else {
        values.iter().map(|&v| u64::from(v) + 7).collect()
    }
}

/// An indexed iterator on one side and an unindexed one on the other.
fn mixed_either(
    values: &[u32],
    left: bool,
) -> Either<impl ParallelIterator<Item = u32> + '_, impl ParallelIterator<Item = u32> + '_> {
    if left {
        Either::Left(values.par_iter().copied())
    } else {
        Either::Right(values.par_iter().copied().filter(|v| v % 3 != 0))
    }
}

fn expected_mixed(values: &[u32], left: bool) -> Vec<u32> {
    if left {
        values.to_vec()
    } else {
        values.iter().copied().filter(|v| v % 3 != 0).collect()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn indexed_either_matches_std((values, min, max, threads, left) in setup()) {
        pool(threads).install(|| {
            let expected = expected_indexed(&values, left);
            let either = indexed_either(&values, left);
            prop_assert_eq!(either.len(), values.len());
            prop_assert_eq!(either.opt_len(), Some(values.len()));

            let got: Vec<u64> = indexed_either(&values, left)
                .with_min_len(min)
                .with_max_len(max)
                .collect();
            prop_assert_eq!(&got, &expected);

            let mut into = vec![1, 2, 3];
            indexed_either(&values, left).with_max_len(max).collect_into_vec(&mut into);
            prop_assert_eq!(&into, &expected);

            let pairs: Vec<(usize, u64)> = indexed_either(&values, left)
                .with_min_len(min)
                .enumerate()
                .collect();
            prop_assert_eq!(pairs, expected.iter().copied().enumerate().collect::<Vec<_>>());

            let zipped: Vec<(u64, u64)> = indexed_either(&values, left)
                .zip(indexed_either(&values, !left).with_max_len(max))
                .collect();
            let other = expected_indexed(&values, !left);
            prop_assert_eq!(
                zipped,
                expected.iter().copied().zip(other.iter().copied()).collect::<Vec<_>>()
            );

            prop_assert_eq!(indexed_either(&values, left).sum::<u64>(), expected.iter().sum::<u64>());
            prop_assert_eq!(indexed_either(&values, left).count(), expected.len());
            prop_assert_eq!(indexed_either(&values, left).min(), expected.iter().copied().min());
            prop_assert_eq!(indexed_either(&values, left).max(), expected.iter().copied().max());
            Ok(())
        })?;
    }

    #[test]
    fn mixed_either_matches_std((values, _min, max, threads, left) in setup()) {
        pool(threads).install(|| {
            let expected = expected_mixed(&values, left);
            let either = mixed_either(&values, left);
            // Only the indexed side knows its length in advance.
            prop_assert_eq!(either.opt_len(), if left { Some(values.len()) } else { None });

            let got: Vec<u32> = mixed_either(&values, left).collect();
            prop_assert_eq!(&got, &expected);
            let doubled: Vec<u64> = mixed_either(&values, left).map(|v| u64::from(v) * 2).collect();
            prop_assert_eq!(doubled, expected.iter().map(|&v| u64::from(v) * 2).collect::<Vec<_>>());
            prop_assert_eq!(
                mixed_either(&values, left).reduce(|| 0, |a, b| a.max(b)),
                expected.iter().copied().max().unwrap_or(0)
            );

            // An unindexed side fed from a length-bounded indexed source keeps order too.
            let bounded = if left {
                Either::Left(values.par_iter().with_max_len(max).copied())
            } else {
                Either::Right(values.par_iter().with_max_len(max).copied().filter(|v| v % 3 != 0))
            };
            prop_assert_eq!(bounded.collect::<Vec<u32>>(), expected);
            Ok(())
        })?;
    }

    #[test]
    fn nested_either_matches_std(
        (values, min, _max, threads, left) in setup(),
        inner_left in any::<bool>(),
    ) {
        pool(threads).install(|| {
            let inner = indexed_either(&values, inner_left);
            let nested = if left {
                Either::Left(inner)
            } else {
                Either::Right(values.par_iter().map(|&v| u64::from(v) * 5))
            };
            prop_assert_eq!(nested.len(), values.len());
            let expected: Vec<u64> = if left {
                expected_indexed(&values, inner_left)
            } else {
                values.iter().map(|&v| u64::from(v) * 5).collect()
            };
            prop_assert_eq!(nested.with_min_len(min).collect::<Vec<u64>>(), expected);
            Ok(())
        })?;
    }
}

/// An unindexed iterator type that can be named.
type FnFilter<'a> = veda::iter::Filter<veda::slice::Iter<'a, u8>, fn(&&u8) -> bool>;

#[test]
fn either_implements_the_traits_for_any_two_matching_sides() {
    fn indexed<I: IndexedParallelIterator>(_: &I) {}
    fn parallel<I: ParallelIterator>(_: &I) {}

    let data = [1u8, 2, 3];
    let both: Either<veda::slice::Iter<'_, u8>, veda::vec::IntoIter<&u8>> =
        Either::Left(data.par_iter());
    indexed(&both);
    parallel(&both);
    assert_eq!(both.len(), 3);
    let one: Either<veda::slice::Iter<'_, u8>, FnFilter<'_>> = Either::Left(data.par_iter());
    parallel(&one);
    assert_eq!(one.opt_len(), Some(3));
    let other: Either<veda::slice::Iter<'_, u8>, FnFilter<'_>> =
        Either::Right(data.par_iter().filter(|&&x| x != 2));
    assert_eq!(other.opt_len(), None);
    assert_eq!(other.copied().collect::<Vec<u8>>(), [1, 3]);
}

#[test]
fn each_side_hands_its_own_producer_and_bounds_to_the_callback() {
    /// Reports the producer's split bounds and its items, in order.
    struct Probe;

    impl ProducerCallback<u32> for Probe {
        type Output = (usize, usize, Vec<u32>);

        fn callback<P: Producer<Item = u32>>(self, producer: P) -> Self::Output {
            (
                producer.min_len(),
                producer.max_len(),
                producer.into_iter().collect(),
            )
        }
    }

    let data: Vec<u32> = (0..20).collect();
    let left =
        Either::<_, veda::vec::IntoIter<u32>>::Left(data.par_iter().copied().with_min_len(4));
    assert_eq!(left.with_producer(Probe), (4, usize::MAX, data.clone()));
    let right = Either::<veda::iter::Copied<veda::slice::Iter<'_, u32>>, _>::Right(
        data.clone().into_par_iter().with_max_len(6),
    );
    assert_eq!(right.with_producer(Probe), (1, 6, data.clone()));
}

#[test]
fn drive_goes_to_the_present_side_only() {
    /// A consumer that records which items it folded, to check `drive` end to end.
    struct Record<'a>(&'a Mutex<Vec<u32>>);
    struct RecordReducer;

    impl<'a> Consumer<u32> for Record<'a> {
        type Folder = Record<'a>;
        type Reducer = RecordReducer;
        type Result = ();

        fn split_at(self, _index: usize) -> (Self, Self, RecordReducer) {
            (Record(self.0), Record(self.0), RecordReducer)
        }

        fn into_folder(self) -> Self {
            self
        }

        fn full(&self) -> bool {
            false
        }
    }

    impl Folder<u32> for Record<'_> {
        type Result = ();

        fn consume(self, item: u32) -> Self {
            self.0.lock().unwrap().push(item);
            self
        }

        fn complete(self) {}

        fn full(&self) -> bool {
            false
        }
    }

    impl Reducer<()> for RecordReducer {
        fn reduce(self, _left: (), _right: ()) {}
    }

    for threads in 1..=4 {
        pool(threads).install(|| {
            let seen = Mutex::new(Vec::new());
            let data: Vec<u32> = (0..500).collect();
            let either: Either<_, veda::vec::IntoIter<u32>> =
                Either::Left(data.par_iter().copied().with_max_len(7));
            either.drive(Record(&seen));
            let mut seen = seen.into_inner().unwrap();
            seen.sort_unstable();
            assert_eq!(seen, data);
        });
    }
}

/// Counts its own creations and drops.
struct Tracked<'c> {
    counts: &'c Counts,
}

#[derive(Default)]
struct Counts {
    made: AtomicUsize,
    dropped: AtomicUsize,
}

impl Counts {
    fn make(&self) -> Tracked<'_> {
        self.made.fetch_add(1, Ordering::Relaxed);
        Tracked { counts: self }
    }
}

impl Drop for Tracked<'_> {
    fn drop(&mut self) {
        self.counts.dropped.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn panic_in_an_owning_either_drops_each_item_once() {
    for threads in 1..=4 {
        for left in [true, false] {
            let counts = Counts::default();
            let result = catch_unwind(AssertUnwindSafe(|| {
                pool(threads).install(|| {
                    let items: Vec<Tracked<'_>> = (0..1000).map(|_| counts.make()).collect();
                    let either = if left {
                        Either::Left(items.into_par_iter().with_max_len(5))
                    } else {
                        Either::Right(items.into_par_iter().enumerate().map(|(_, t)| t))
                    };
                    let kept: Vec<Tracked<'_>> = either
                        .enumerate()
                        .map(|(i, t)| {
                            if i == 613 {
                                panic!("boom");
                            }
                            t
                        })
                        .collect();
                    drop(kept);
                })
            }));
            let payload = result.expect_err("the closure's panic should reach the caller");
            assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));
            assert_eq!(counts.made.load(Ordering::Relaxed), 1000);
            assert_eq!(
                counts.dropped.load(Ordering::Relaxed),
                1000,
                "threads {threads}, left {left}"
            );
        }
    }
}

#[test]
fn both_sides_of_one_type_run_the_side_that_is_present() {
    type Owned = veda::vec::IntoIter<i32>;
    let values: Vec<i32> = (0..1024).rev().collect();
    for threads in 1..=4 {
        pool(threads).install(|| {
            for side in [
                Either::<Owned, Owned>::Left(values.clone().into_par_iter()),
                Either::Right(values.clone().into_par_iter()),
            ] {
                let pairs: Vec<(usize, i32)> = side.enumerate().collect();
                assert_eq!(
                    pairs,
                    values.iter().copied().enumerate().collect::<Vec<_>>()
                );
            }
        });
    }
}
