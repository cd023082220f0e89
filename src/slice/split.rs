//! `par_split`, `par_split_inclusive` and their `_mut` twins: the pieces of a slice between
//! separator items.
//!
//! The producer cuts the slice at a separator near its middle: the pieces of the whole are
//! then the pieces of the part before the separator followed by those of the part after it
//! (for the inclusive split, the separator stays at the end of the first part). Each
//! producer remembers the stretch at its end already searched and found free of separators,
//! so no item is tested twice.

use crate::iter::plumbing::{bridge_unindexed, Folder, UnindexedConsumer, UnindexedProducer};
use crate::iter::ParallelIterator;
use std::fmt;

/// A shared or mutable slice that can be cut and split sequentially.
trait SplitSlice: Sized + Send {
    /// The item type.
    type Elem;

    fn items(&self) -> &[Self::Elem];

    /// Cuts into `[..index]` and `[index..]`.
    fn cut(self, index: usize) -> (Self, Self);

    /// Feeds the pieces `[T]::split` (or `split_inclusive` when `INCLUSIVE`) yields.
    fn fold_pieces<F, P, const INCLUSIVE: bool>(self, separator: &P, folder: F) -> F
    where
        F: Folder<Self>,
        P: Fn(&Self::Elem) -> bool;
}

impl<T: Sync> SplitSlice for &[T] {
    type Elem = T;

    fn items(&self) -> &[T] {
        self
    }

    fn cut(self, index: usize) -> (Self, Self) {
        self.split_at(index)
    }

    fn fold_pieces<F, P, const INCLUSIVE: bool>(self, separator: &P, folder: F) -> F
    where
        F: Folder<Self>,
        P: Fn(&T) -> bool,
    {
        if INCLUSIVE {
            folder.consume_iter(self.split_inclusive(separator))
        } else {
            folder.consume_iter(self.split(separator))
        }
    }
}

impl<T: Send> SplitSlice for &mut [T] {
    type Elem = T;

    fn items(&self) -> &[T] {
        self
    }

    fn cut(self, index: usize) -> (Self, Self) {
        self.split_at_mut(index)
    }

    fn fold_pieces<F, P, const INCLUSIVE: bool>(self, separator: &P, folder: F) -> F
    where
        F: Folder<Self>,
        P: Fn(&T) -> bool,
    {
        if INCLUSIVE {
            folder.consume_iter(self.split_inclusive_mut(separator))
        } else {
            folder.consume_iter(self.split_mut(separator))
        }
    }
}

/// Produces the pieces of `slice`. Items at positions `clear_from..` are known not to be
/// separators (in an inclusive split, the last item may be the separator that ends the
/// piece: it belongs to the last piece either way).
struct SplitProducer<'p, S, P, const INCLUSIVE: bool> {
    slice: S,
    separator: &'p P,
    clear_from: usize,
}

impl<S, P, const INCLUSIVE: bool> UnindexedProducer for SplitProducer<'_, S, P, INCLUSIVE>
where
    S: SplitSlice,
    P: Fn(&S::Elem) -> bool + Sync,
{
    type Item = S;

    fn split(self) -> (Self, Option<Self>) {
        let SplitProducer {
            slice,
            separator,
            clear_from,
        } = self;
        let items = slice.items();
        let mid = clear_from / 2;
        // Look after the middle first, then before it. The left part keeps the searched
        // stretch `[mid, index)` when the separator lies after the middle; when it lies
        // before, nothing after it can be a separator.
        let (index, left_clear, right_clear) =
            match items[mid..clear_from].iter().position(separator) {
                Some(offset) => (mid + offset, mid, clear_from - (mid + offset + 1)),
                None => match items[..mid].iter().rposition(separator) {
                    Some(index) => (index, index, 0),
                    None => {
                        let whole = SplitProducer {
                            slice,
                            separator,
                            clear_from: 0,
                        };
                        return (whole, None);
                    }
                },
            };
        let (left, right) = slice.cut(index + 1);
        let left = if INCLUSIVE { left } else { left.cut(index).0 };
        let left = SplitProducer {
            slice: left,
            separator,
            clear_from: left_clear,
        };
        let right = SplitProducer {
            slice: right,
            separator,
            clear_from: right_clear,
        };
        (left, Some(right))
    }

    fn fold_with<F>(self, folder: F) -> F
    where
        F: Folder<S>,
    {
        let SplitProducer {
            slice,
            separator,
            clear_from,
        } = self;
        if clear_from >= slice.items().len() {
            return slice.fold_pieces::<F, P, INCLUSIVE>(separator, folder);
        }
        // The last piece holds all of the cleared stretch: split only what comes before it.
        match slice.items()[..clear_from].iter().rposition(separator) {
            Some(index) => {
                let (head, last) = slice.cut(index + 1);
                let head = if INCLUSIVE { head } else { head.cut(index).0 };
                let folder = head.fold_pieces::<F, P, INCLUSIVE>(separator, folder);
                if folder.full() || (INCLUSIVE && last.items().is_empty()) {
                    folder
                } else {
                    folder.consume(last)
                }
            }
            None => folder.consume(slice),
        }
    }
}

/// A parallel iterator over the pieces of a slice between separators; see
/// [`ParallelSlice::par_split`](super::ParallelSlice::par_split).
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
pub struct Split<'data, T, P> {
    slice: &'data [T],
    separator: P,
}

/// A parallel iterator over the pieces of a slice that end with a separator; see
/// [`ParallelSlice::par_split_inclusive`](super::ParallelSlice::par_split_inclusive).
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
pub struct SplitInclusive<'data, T, P> {
    slice: &'data [T],
    separator: P,
}

/// A parallel iterator over the mutable pieces of a slice between separators; see
/// [`ParallelSliceMut::par_split_mut`](super::ParallelSliceMut::par_split_mut).
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
pub struct SplitMut<'data, T, P> {
    slice: &'data mut [T],
    separator: P,
}

/// A parallel iterator over the mutable pieces of a slice that end with a separator; see
/// [`ParallelSliceMut::par_split_inclusive_mut`](super::ParallelSliceMut::par_split_inclusive_mut).
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
pub struct SplitInclusiveMut<'data, T, P> {
    slice: &'data mut [T],
    separator: P,
}

/// The constructor, `Debug` (which skips the closure) and `ParallelIterator` impls of one
/// split iterator.
macro_rules! split_iterator {
    ($name:ident, $slice:ty, $bound:ident, $inclusive:literal) => {
        impl<'data, T, P> $name<'data, T, P> {
            pub(super) fn new(slice: $slice, separator: P) -> Self {
                $name { slice, separator }
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
            P: Fn(&T) -> bool + Sync + Send,
            T: $bound,
        {
            type Item = $slice;

            fn drive_unindexed<C>(self, consumer: C) -> C::Result
            where
                C: UnindexedConsumer<Self::Item>,
            {
                let producer = SplitProducer::<_, P, $inclusive> {
                    clear_from: self.slice.len(),
                    slice: self.slice,
                    separator: &self.separator,
                };
                bridge_unindexed(producer, consumer)
            }
        }
    };
}

split_iterator!(Split, &'data [T], Sync, false);
split_iterator!(SplitInclusive, &'data [T], Sync, true);
split_iterator!(SplitMut, &'data mut [T], Send, false);
split_iterator!(SplitInclusiveMut, &'data mut [T], Send, true);

impl<T, P: Clone> Clone for Split<'_, T, P> {
    fn clone(&self) -> Self {
        Split {
            slice: self.slice,
            separator: self.separator.clone(),
        }
    }
}

impl<T, P: Clone> Clone for SplitInclusive<'_, T, P> {
    fn clone(&self) -> Self {
        SplitInclusive {
            slice: self.slice,
            separator: self.separator.clone(),
        }
    }
}
