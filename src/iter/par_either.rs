//! `Either<L, R>` as a parallel iterator: whichever side is present runs.
//!
//! This lets a function return one of two differently typed parallel iterators (say a
//! filtered one and an unfiltered one) behind a single type, as long as both yield the same
//! items. The variant is chosen before any work starts, so driving an `Either` costs one
//! `match` and then exactly what driving the chosen side costs.

use super::plumbing::{Consumer, ProducerCallback, UnindexedConsumer};
use super::{IndexedParallelIterator, ParallelIterator};
use either::Either;

/// Runs whichever of the two iterators is present.
///
/// # Examples
///
/// ```
/// use veda::iter::Either;
/// use veda::prelude::*;
///
/// fn evens_or_all(data: &[u32], only_even: bool) -> impl ParallelIterator<Item = &u32> {
///     if only_even {
///         Either::Left(data.par_iter().filter(|&&x| x % 2 == 0))
///     } else {
///         Either::Right(data.par_iter())
///     }
/// }
///
/// let data = [1, 2, 3, 4, 5, 6];
/// assert_eq!(evens_or_all(&data, true).count(), 3);
/// assert_eq!(evens_or_all(&data, false).count(), 6);
/// ```
impl<L, R> ParallelIterator for Either<L, R>
where
    L: ParallelIterator,
    R: ParallelIterator<Item = L::Item>,
{
    type Item = L::Item;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<Self::Item>,
    {
        match self {
            Either::Left(left) => left.drive_unindexed(consumer),
            Either::Right(right) => right.drive_unindexed(consumer),
        }
    }

    fn opt_len(&self) -> Option<usize> {
        match self {
            Either::Left(left) => left.opt_len(),
            Either::Right(right) => right.opt_len(),
        }
    }
}

/// When both sides are indexed, so is the `Either`: its length, producer and positions are
/// those of the side that is present.
///
/// # Examples
///
/// ```
/// use veda::iter::Either;
/// use veda::prelude::*;
///
/// let data = vec![10, 20, 30];
/// let pick = |bump: bool| {
///     if bump {
///         Either::Left(data.par_iter().map(|&x| x + 1))
///     } else {
///         Either::Right(data.par_iter().copied())
///     }
/// };
/// assert_eq!(pick(false).len(), 3);
/// let pairs: Vec<(usize, i32)> = pick(false).enumerate().collect();
/// assert_eq!(pairs, [(0, 10), (1, 20), (2, 30)]);
/// let mut bumped = Vec::new();
/// pick(true).collect_into_vec(&mut bumped);
/// assert_eq!(bumped, [11, 21, 31]);
/// ```
impl<L, R> IndexedParallelIterator for Either<L, R>
where
    L: IndexedParallelIterator,
    R: IndexedParallelIterator<Item = L::Item>,
{
    fn drive<C: Consumer<Self::Item>>(self, consumer: C) -> C::Result {
        match self {
            Either::Left(left) => left.drive(consumer),
            Either::Right(right) => right.drive(consumer),
        }
    }

    fn len(&self) -> usize {
        match self {
            Either::Left(left) => left.len(),
            Either::Right(right) => right.len(),
        }
    }

    fn with_producer<CB: ProducerCallback<Self::Item>>(self, callback: CB) -> CB::Output {
        match self {
            Either::Left(left) => left.with_producer(callback),
            Either::Right(right) => right.with_producer(callback),
        }
    }
}
