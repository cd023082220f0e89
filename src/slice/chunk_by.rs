//! `par_chunk_by` and `par_chunk_by_mut`: the maximal runs of a slice in which a predicate
//! holds for every pair of neighbours.
//!
//! The producer cuts the slice at a boundary (a pair of neighbours the predicate rejects)
//! near its middle; the runs of the whole are the runs of the two parts. Each producer
//! remembers the stretch at its end already found free of boundaries, so the predicate sees
//! every pair of neighbours exactly once.

use crate::iter::plumbing::{bridge_unindexed, Folder, UnindexedConsumer, UnindexedProducer};
use crate::iter::ParallelIterator;
use std::fmt;

/// A shared or mutable slice that can be cut and cut into runs sequentially.
trait RunSlice: Sized + Send {
    /// The item type.
    type Elem;

    fn items(&self) -> &[Self::Elem];

    /// Cuts into `[..index]` and `[index..]`.
    fn cut(self, index: usize) -> (Self, Self);

    /// Feeds the runs `[T]::chunk_by` yields.
    fn fold_runs<F, P>(self, pred: &P, folder: F) -> F
    where
        F: Folder<Self>,
        P: Fn(&Self::Elem, &Self::Elem) -> bool;
}

impl<T: Sync> RunSlice for &[T] {
    type Elem = T;

    fn items(&self) -> &[T] {
        self
    }

    fn cut(self, index: usize) -> (Self, Self) {
        self.split_at(index)
    }

    fn fold_runs<F, P>(self, pred: &P, folder: F) -> F
    where
        F: Folder<Self>,
        P: Fn(&T, &T) -> bool,
    {
        folder.consume_iter(self.chunk_by(pred))
    }
}

impl<T: Send> RunSlice for &mut [T] {
    type Elem = T;

    fn items(&self) -> &[T] {
        self
    }

    fn cut(self, index: usize) -> (Self, Self) {
        self.split_at_mut(index)
    }

    fn fold_runs<F, P>(self, pred: &P, folder: F) -> F
    where
        F: Folder<Self>,
        P: Fn(&T, &T) -> bool,
    {
        folder.consume_iter(self.chunk_by_mut(pred))
    }
}

/// The last boundary among the pairs `(j - 1, j)` for `j` in `1..end`: a run starts at the
/// returned `j`.
fn last_boundary<T>(items: &[T], pred: &impl Fn(&T, &T) -> bool, end: usize) -> Option<usize> {
    items[..end]
        .windows(2)
        .rposition(|pair| !pred(&pair[0], &pair[1]))
        .map(|p| p + 1)
}

/// Produces the runs of `slice`. The pairs `(j - 1, j)` with `j >= clear_from` are known to
/// satisfy the predicate.
struct RunProducer<'p, S, P> {
    slice: S,
    pred: &'p P,
    clear_from: usize,
}

impl<S, P> UnindexedProducer for RunProducer<'_, S, P>
where
    S: RunSlice,
    P: Fn(&S::Elem, &S::Elem) -> bool + Sync,
{
    type Item = S;

    fn split(self) -> (Self, Option<Self>) {
        let RunProducer {
            slice,
            pred,
            clear_from,
        } = self;
        let whole = |slice| RunProducer {
            slice,
            pred,
            clear_from: 0,
        };
        if clear_from < 2 {
            return (whole(slice), None);
        }
        let items = slice.items();
        let mid = clear_from / 2;
        // Look from the middle on first, then before it. The left part keeps the searched
        // stretch when the boundary lies after the middle; when it lies before, the right
        // part holds no boundary.
        let after_mid = items[mid - 1..clear_from]
            .windows(2)
            .position(|pair| !pred(&pair[0], &pair[1]))
            .map(|p| mid + p);
        let (index, left_clear, right_clear) = match after_mid {
            Some(index) => (index, mid, clear_from - index),
            None => match last_boundary(items, pred, mid) {
                Some(index) => (index, index, 0),
                None => return (whole(slice), None),
            },
        };
        let (left, right) = slice.cut(index);
        let left = RunProducer {
            slice: left,
            pred,
            clear_from: left_clear,
        };
        let right = RunProducer {
            slice: right,
            pred,
            clear_from: right_clear,
        };
        (left, Some(right))
    }

    fn fold_with<F>(self, folder: F) -> F
    where
        F: Folder<S>,
    {
        let RunProducer {
            slice,
            pred,
            clear_from,
        } = self;
        if clear_from >= slice.items().len() {
            return slice.fold_runs(pred, folder);
        }
        // The last run holds all of the cleared stretch: cut into runs only what comes
        // before it.
        match last_boundary(slice.items(), pred, clear_from) {
            Some(index) => {
                let (head, last) = slice.cut(index);
                let folder = head.fold_runs(pred, folder);
                if folder.full() {
                    folder
                } else {
                    folder.consume(last)
                }
            }
            None => folder.consume(slice),
        }
    }
}

/// A parallel iterator over the runs of a slice; see
/// [`ParallelSlice::par_chunk_by`](super::ParallelSlice::par_chunk_by).
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
pub struct ChunkBy<'data, T, P> {
    slice: &'data [T],
    pred: P,
}

/// A parallel iterator over the mutable runs of a slice; see
/// [`ParallelSliceMut::par_chunk_by_mut`](super::ParallelSliceMut::par_chunk_by_mut).
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
pub struct ChunkByMut<'data, T, P> {
    slice: &'data mut [T],
    pred: P,
}

/// The constructor, `Debug` (which skips the closure) and `ParallelIterator` impls of one
/// run iterator.
macro_rules! run_iterator {
    ($name:ident, $slice:ty, $bound:ident) => {
        impl<'data, T, P> $name<'data, T, P> {
            pub(super) fn new(slice: $slice, pred: P) -> Self {
                $name { slice, pred }
            }
        }

        impl<T: fmt::Debug, P> fmt::Debug for $name<'_, T, P> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("slice", &self.slice)
                    .finish()
            }
        }

        impl<'data, T, P> ParallelIterator for $name<'data, T, P>
        where
            T: $bound,
            P: Fn(&T, &T) -> bool + Send + Sync,
        {
            type Item = $slice;

            fn drive_unindexed<C>(self, consumer: C) -> C::Result
            where
                C: UnindexedConsumer<Self::Item>,
            {
                let producer = RunProducer {
                    clear_from: self.slice.len(),
                    slice: self.slice,
                    pred: &self.pred,
                };
                bridge_unindexed(producer, consumer)
            }
        }
    };
}

run_iterator!(ChunkBy, &'data [T], Sync);
run_iterator!(ChunkByMut, &'data mut [T], Send);

impl<T, P: Clone> Clone for ChunkBy<'_, T, P> {
    fn clone(&self) -> Self {
        ChunkBy {
            slice: self.slice,
            pred: self.pred.clone(),
        }
    }
}
