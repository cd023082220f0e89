//! Parallel iterators over ranges of integers: `(a..b).into_par_iter()`.
//!
//! Ranges of types whose length always fits in `usize` (`u8`–`u32`, `i8`–`i32`, `usize`,
//! `isize`) are indexed; ranges of 64- and 128-bit integers are indexed internally whenever
//! their length fits in `usize`, and split unindexed otherwise.
//!
//! # Examples
//!
//! ```
//! use veda::prelude::*;
//!
//! let total: u64 = (0..1_000u64).into_par_iter().sum();
//! assert_eq!(total, 499_500);
//! ```

use crate::iter::plumbing::{
    bridge, bridge_unindexed, Consumer, Folder, Producer, ProducerCallback, UnindexedConsumer,
    UnindexedProducer,
};
use crate::iter::{IndexedParallelIterator, IntoParallelIterator, ParallelIterator};
use std::ops::Range;

/// A parallel iterator over a range; see the [module docs](self).
#[derive(Clone, Debug)]
pub struct Iter<T> {
    range: Range<T>,
}

impl<T> IntoParallelIterator for Range<T>
where
    Iter<T>: ParallelIterator,
{
    type Item = <Iter<T> as ParallelIterator>::Item;
    type Iter = Iter<T>;

    fn into_par_iter(self) -> Iter<T> {
        Iter { range: self }
    }
}

mod private {
    use super::Iter;
    use crate::iter::plumbing::{ProducerCallback, UnindexedConsumer};

    /// The integer types a range can iterate in parallel (sealed: implemented here only).
    /// One generic impl per iterator trait, rather than one per type, keeps `{integer}`
    /// inference working for `(0..n).into_par_iter()`.
    #[allow(unreachable_pub)] // appears in public bounds, unnameable outside, as in Rayon
    pub trait RangeInteger: Sized + Send {
        fn drive_unindexed<C>(iter: Iter<Self>, consumer: C) -> C::Result
        where
            C: UnindexedConsumer<Self>;

        fn opt_len(iter: &Iter<Self>) -> Option<usize>;
    }

    /// The integer types whose ranges are indexed.
    #[allow(unreachable_pub)] // as above
    pub trait IndexedRangeInteger: RangeInteger {
        fn len(iter: &Iter<Self>) -> usize;

        fn with_producer<CB>(iter: Iter<Self>, callback: CB) -> CB::Output
        where
            CB: ProducerCallback<Self>;
    }
}

use private::{IndexedRangeInteger, RangeInteger};

impl<T: RangeInteger> ParallelIterator for Iter<T> {
    type Item = T;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<T>,
    {
        T::drive_unindexed(self, consumer)
    }

    fn opt_len(&self) -> Option<usize> {
        T::opt_len(self)
    }
}

impl<T: IndexedRangeInteger> IndexedParallelIterator for Iter<T> {
    fn drive<C: Consumer<T>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn len(&self) -> usize {
        T::len(self)
    }

    fn with_producer<CB: ProducerCallback<T>>(self, callback: CB) -> CB::Output {
        T::with_producer(self, callback)
    }
}

/// The producer of an indexed range.
struct IterProducer<T> {
    range: Range<T>,
}

macro_rules! indexed_range {
    ($($t:ty)*) => {$(
        impl RangeInteger for $t {
            fn drive_unindexed<C>(iter: Iter<$t>, consumer: C) -> C::Result
            where
                C: UnindexedConsumer<$t>,
            {
                bridge(iter, consumer)
            }

            fn opt_len(iter: &Iter<$t>) -> Option<usize> {
                Some(iter.range.len())
            }
        }

        impl IndexedRangeInteger for $t {
            fn len(iter: &Iter<$t>) -> usize {
                iter.range.len()
            }

            fn with_producer<CB>(iter: Iter<$t>, callback: CB) -> CB::Output
            where
                CB: ProducerCallback<$t>,
            {
                callback.callback(IterProducer { range: iter.range })
            }
        }

        impl Producer for IterProducer<$t> {
            type Item = $t;
            type IntoIter = Range<$t>;

            fn into_iter(self) -> Range<$t> {
                self.range
            }

            fn split_at(self, index: usize) -> (Self, Self) {
                debug_assert!(index <= self.range.len());
                // `index` fits in the range's length, so the wrapping add lands inside it
                // (the length may exceed the type's positive half for signed types).
                let mid = self.range.start.wrapping_add(index as $t);
                (
                    IterProducer { range: self.range.start..mid },
                    IterProducer { range: mid..self.range.end },
                )
            }
        }
    )*};
}

indexed_range! { u8 u16 u32 usize i8 i16 i32 isize }

macro_rules! wide_range {
    ($($t:ty => $unsigned:ty),*) => {$(
        impl RangeInteger for $t {
            fn drive_unindexed<C>(iter: Iter<$t>, consumer: C) -> C::Result
            where
                C: UnindexedConsumer<$t>,
            {
                match Self::opt_len(&iter) {
                    Some(len) => {
                        let start = iter.range.start;
                        (0..len)
                            .into_par_iter()
                            .map(move |offset| start.wrapping_add(offset as $t))
                            .drive(consumer)
                    }
                    None => bridge_unindexed(WideProducer { range: iter.range }, consumer),
                }
            }

            fn opt_len(iter: &Iter<$t>) -> Option<usize> {
                usize::try_from(WideProducer::<$t>::wide_len(&iter.range)).ok()
            }
        }

        impl WideProducer<$t> {
            /// The number of items, as the unsigned type of the same width.
            fn wide_len(range: &Range<$t>) -> $unsigned {
                if range.start < range.end {
                    range.end.wrapping_sub(range.start) as $unsigned
                } else {
                    0
                }
            }
        }

        impl UnindexedProducer for WideProducer<$t> {
            type Item = $t;

            fn split(self) -> (Self, Option<Self>) {
                let len = Self::wide_len(&self.range);
                if len < 2 {
                    return (self, None);
                }
                let mid = self.range.start.wrapping_add((len / 2) as $t);
                (
                    WideProducer { range: self.range.start..mid },
                    Some(WideProducer { range: mid..self.range.end }),
                )
            }

            fn fold_with<F>(mut self, mut folder: F) -> F
            where
                F: Folder<$t>,
            {
                while !folder.full() {
                    if Self::wide_len(&self.range) <= WIDE_BLOCK as $unsigned {
                        return folder.consume_iter(self.range);
                    }
                    let block_end = self.range.start.wrapping_add(WIDE_BLOCK as $t);
                    folder = folder.consume_iter(self.range.start..block_end);
                    self.range.start = block_end;
                }
                folder
            }
        }
    )*};
}

/// How many items the producer of a range too long for `usize` hands its folder at a time,
/// asking in between whether the folder is full. A folder checks that as it takes each item,
/// but an adaptor may drop items before they reach it (a `filter` in front of a search), and
/// such a range is far too long to walk to its end.
pub(crate) const WIDE_BLOCK: usize = 1 << 16;

/// The unindexed producer of a range too long for `usize`.
struct WideProducer<T> {
    range: Range<T>,
}

wide_range! { u64 => u64, i64 => u64, u128 => u128, i128 => u128 }

/// A code point minus the surrogates below it: characters map to consecutive indices.
fn char_to_index(c: char) -> u32 {
    let code = u32::from(c);
    if code >= 0xE000 {
        code - 0x800
    } else {
        code
    }
}

/// The character at a surrogate-free index (see [`char_to_index`]).
fn index_to_char(index: u32) -> char {
    let code = if index >= 0xD800 {
        index + 0x800
    } else {
        index
    };
    // SAFETY: indices come from `char_to_index` of valid characters (or lie between two
    // such indices), so `code` is at most 0x10FFFF and never a surrogate: indices below
    // 0xD800 are themselves, and the others are moved past the surrogate block.
    unsafe { char::from_u32_unchecked(code) }
}

/// An indexed parallel iterator over a range of characters, as a range of indices.
pub(crate) type CharIndices = crate::iter::Map<Iter<u32>, fn(u32) -> char>;

/// The characters from `start` up to `end` (and `end` itself if `inclusive`).
pub(crate) fn char_indices(start: char, end: char, inclusive: bool) -> CharIndices {
    let first = char_to_index(start);
    let past = char_to_index(end) + u32::from(inclusive);
    let to_char: fn(u32) -> char = index_to_char;
    (first..past.max(first)).into_par_iter().map(to_char)
}

impl Iter<char> {
    fn indices(&self) -> CharIndices {
        char_indices(self.range.start, self.range.end, false)
    }
}

impl ParallelIterator for Iter<char> {
    type Item = char;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<char>,
    {
        self.drive(consumer)
    }

    fn opt_len(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl IndexedParallelIterator for Iter<char> {
    fn drive<C: Consumer<char>>(self, consumer: C) -> C::Result {
        self.indices().drive(consumer)
    }

    fn len(&self) -> usize {
        self.indices().len()
    }

    fn with_producer<CB: ProducerCallback<char>>(self, callback: CB) -> CB::Output {
        self.indices().with_producer(callback)
    }
}
