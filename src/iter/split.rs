//! `split()`: a parallel iterator over the pieces of a value that a closure splits
//! recursively.

use super::plumbing::{bridge_unindexed, Folder, UnindexedConsumer, UnindexedProducer};
use super::ParallelIterator;
use std::fmt;

/// Splits `data` with `splitter` as often as the work demands, and yields the pieces.
///
/// `splitter` returns the two halves of a piece, or the piece and `None` when it will not
/// split further. Pieces are split only while it helps to spread the work, so each piece
/// should still be processed sequentially by the consumer.
///
/// # Examples
///
/// ```
/// use veda::prelude::*;
///
/// fn halve(range: std::ops::Range<u64>) -> (std::ops::Range<u64>, Option<std::ops::Range<u64>>) {
///     if range.end - range.start < 1000 {
///         (range, None)
///     } else {
///         let middle = range.start + (range.end - range.start) / 2;
///         (range.start..middle, Some(middle..range.end))
///     }
/// }
///
/// let total: u64 = veda::iter::split(0..100_000u64, halve).map(|r| r.sum::<u64>()).sum();
/// assert_eq!(total, (0..100_000u64).sum());
/// ```
pub fn split<D, S>(data: D, splitter: S) -> Split<D, S>
where
    D: Send,
    S: Fn(D) -> (D, Option<D>) + Sync,
{
    Split { data, splitter }
}

/// The iterator over recursively split pieces; see [`split()`].
#[derive(Clone)]
pub struct Split<D, S> {
    data: D,
    splitter: S,
}

impl<D: fmt::Debug, S> fmt::Debug for Split<D, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Split").field("data", &self.data).finish()
    }
}

impl<D, S> ParallelIterator for Split<D, S>
where
    D: Send,
    S: Fn(D) -> (D, Option<D>) + Sync + Send,
{
    type Item = D;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<D>,
    {
        bridge_unindexed(
            SplitProducer {
                data: self.data,
                splitter: &self.splitter,
            },
            consumer,
        )
    }
}

struct SplitProducer<'s, D, S> {
    data: D,
    splitter: &'s S,
}

impl<D, S> UnindexedProducer for SplitProducer<'_, D, S>
where
    D: Send,
    S: Fn(D) -> (D, Option<D>) + Sync,
{
    type Item = D;

    fn split(self) -> (Self, Option<Self>) {
        let splitter = self.splitter;
        let (left, right) = splitter(self.data);
        (
            SplitProducer {
                data: left,
                splitter,
            },
            right.map(|data| SplitProducer { data, splitter }),
        )
    }

    fn fold_with<F: Folder<D>>(self, folder: F) -> F {
        folder.consume(self.data)
    }
}
