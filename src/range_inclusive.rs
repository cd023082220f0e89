//! Parallel iterators over inclusive ranges: `(a..=b).into_par_iter()`.
//!
//! Ranges of `u8`, `u16`, `i8`, `i16` and `char` are indexed; ranges of wider integers are
//! not (their length may not fit in `usize`), though they still report their length through
//! `opt_len` whenever it fits. Character ranges skip the surrogates (`0xD800..=0xDFFF`).
//!
//! # Examples
//!
//! ```
//! use veda::prelude::*;
//!
//! let total: u64 = (1..=100u64).into_par_iter().sum();
//! assert_eq!(total, 5050);
//! assert_eq!(('a'..='z').into_par_iter().len(), 26);
//! ```

use crate::iter::plumbing::{
    bridge_unindexed, Consumer, Folder, ProducerCallback, UnindexedConsumer, UnindexedProducer,
};
use crate::iter::{IndexedParallelIterator, IntoParallelIterator, ParallelIterator};
use crate::range::WIDE_BLOCK;
use std::ops::RangeInclusive;

/// A parallel iterator over an inclusive range; see the [module docs](self).
#[derive(Clone, Debug)]
pub struct Iter<T> {
    range: RangeInclusive<T>,
}

impl<T> IntoParallelIterator for RangeInclusive<T>
where
    Iter<T>: ParallelIterator,
{
    type Item = <Iter<T> as ParallelIterator>::Item;
    type Iter = Iter<T>;

    fn into_par_iter(self) -> Iter<T> {
        Iter { range: self }
    }
}

impl<T: Copy> Iter<T>
where
    RangeInclusive<T>: Iterator,
{
    /// The first and last items, or `None` if the range is empty (or was exhausted).
    fn bounds(&self) -> Option<(T, T)> {
        let mut probe = self.range.clone();
        probe.next()?;
        Some((*self.range.start(), *self.range.end()))
    }
}

mod private {
    use super::Iter;
    use crate::iter::plumbing::{Consumer, ProducerCallback, UnindexedConsumer};

    /// The integer types an inclusive range can iterate in parallel (sealed). One generic
    /// impl per iterator trait keeps `{integer}` inference working.
    #[allow(unreachable_pub)] // appears in public bounds, unnameable outside, as in Rayon
    pub trait RangeInteger: Sized + Send {
        fn drive_unindexed<C>(iter: Iter<Self>, consumer: C) -> C::Result
        where
            C: UnindexedConsumer<Self>;

        fn opt_len(iter: &Iter<Self>) -> Option<usize>;
    }

    /// The integer types whose inclusive ranges are indexed.
    #[allow(unreachable_pub)] // as above
    pub trait IndexedRangeInteger: RangeInteger {
        fn drive<C>(iter: Iter<Self>, consumer: C) -> C::Result
        where
            C: Consumer<Self>;

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
        T::drive(self, consumer)
    }

    fn len(&self) -> usize {
        T::len(self)
    }

    fn with_producer<CB: ProducerCallback<T>>(self, callback: CB) -> CB::Output {
        T::with_producer(self, callback)
    }
}

/// Small types: the range becomes an exclusive range of `i32`, mapped back.
macro_rules! small_range {
    ($($t:ty)*) => {$(
        impl Iter<$t> {
            /// The same items as an exclusive range of `i32`.
            fn widened(&self) -> crate::range::Iter<i32> {
                match self.bounds() {
                    Some((start, end)) => (i32::from(start)..i32::from(end) + 1).into_par_iter(),
                    None => (0..0).into_par_iter(),
                }
            }
        }

        impl RangeInteger for $t {
            fn drive_unindexed<C>(iter: Iter<$t>, consumer: C) -> C::Result
            where
                C: UnindexedConsumer<$t>,
            {
                Self::drive(iter, consumer)
            }

            fn opt_len(iter: &Iter<$t>) -> Option<usize> {
                Some(Self::len(iter))
            }
        }

        impl IndexedRangeInteger for $t {
            fn drive<C>(iter: Iter<$t>, consumer: C) -> C::Result
            where
                C: Consumer<$t>,
            {
                // Every item of the widened range came from a `$t`, so the cast is exact.
                iter.widened().map(|x| x as $t).drive(consumer)
            }

            fn len(iter: &Iter<$t>) -> usize {
                iter.widened().len()
            }

            fn with_producer<CB>(iter: Iter<$t>, callback: CB) -> CB::Output
            where
                CB: ProducerCallback<$t>,
            {
                iter.widened().map(|x| x as $t).with_producer(callback)
            }
        }
    )*};
}

small_range! { u8 u16 i8 i16 }

/// Wider types: an indexed range of offsets from the start when the length fits in
/// `usize` (consumers that were told an exact length through `opt_len` expect indexed
/// splits), otherwise an unindexed producer of the inclusive bounds.
macro_rules! wide_range {
    ($($t:ty => $unsigned:ty),*) => {$(
        impl RangeInteger for $t {
            fn drive_unindexed<C>(iter: Iter<$t>, consumer: C) -> C::Result
            where
                C: UnindexedConsumer<$t>,
            {
                let Some((start, end)) = iter.bounds() else {
                    return (0..0 as $t).into_par_iter().drive_unindexed(consumer);
                };
                match Self::opt_len(&iter) {
                    // Offsets are below the length, so the wrapping add stays in range.
                    Some(len) => (0..len)
                        .into_par_iter()
                        .map(move |offset| start.wrapping_add(offset as $t))
                        .drive(consumer),
                    None => bridge_unindexed(InclusiveProducer { start, end }, consumer),
                }
            }

            fn opt_len(iter: &Iter<$t>) -> Option<usize> {
                match iter.bounds() {
                    None => Some(0),
                    Some((start, end)) => {
                        let span = end.wrapping_sub(start) as $unsigned;
                        usize::try_from(span).ok()?.checked_add(1)
                    }
                }
            }
        }

        impl UnindexedProducer for InclusiveProducer<$t> {
            type Item = $t;

            fn split(self) -> (Self, Option<Self>) {
                let span = self.end.wrapping_sub(self.start) as $unsigned;
                if span == 0 {
                    return (self, None);
                }
                // `start + span / 2` stays below `end`, so `mid + 1` cannot overflow.
                let mid = self.start.wrapping_add((span / 2) as $t);
                (
                    InclusiveProducer { start: self.start, end: mid },
                    Some(InclusiveProducer { start: mid + 1, end: self.end }),
                )
            }

            fn fold_with<F>(mut self, mut folder: F) -> F
            where
                F: Folder<$t>,
            {
                // In blocks, as for a wide half-open range.
                while !folder.full() {
                    let span = self.end.wrapping_sub(self.start) as $unsigned;
                    if span < WIDE_BLOCK as $unsigned {
                        return folder.consume_iter(self.start..=self.end);
                    }
                    let block_end = self.start.wrapping_add(WIDE_BLOCK as $t);
                    folder = folder.consume_iter(self.start..block_end);
                    self.start = block_end;
                }
                folder
            }
        }
    )*};
}

/// The unindexed producer of a non-empty inclusive range `start..=end`.
struct InclusiveProducer<T> {
    start: T,
    end: T,
}

wide_range! {
    u32 => u32, i32 => u32, usize => usize, isize => usize,
    u64 => u64, i64 => u64, u128 => u128, i128 => u128
}

impl Iter<char> {
    /// The same characters as an indexed iterator over surrogate-free code point indices.
    fn indices(&self) -> crate::range::CharIndices {
        match self.bounds() {
            Some((start, end)) => crate::range::char_indices(start, end, true),
            None => crate::range::char_indices('\0', '\0', false),
        }
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

#[cfg(test)]
mod tests {
    use super::InclusiveProducer;
    use crate::iter::plumbing::{Folder, UnindexedProducer};

    /// Collects what it is fed.
    struct Gather<T>(Vec<T>);

    impl<T> Folder<T> for Gather<T> {
        type Result = Vec<T>;

        fn consume(mut self, item: T) -> Self {
            self.0.push(item);
            self
        }

        fn complete(self) -> Vec<T> {
            self.0
        }

        fn full(&self) -> bool {
            false
        }
    }

    /// Splits `producer` `depth` times over and concatenates the pieces' items.
    fn split_and_fold(producer: InclusiveProducer<u128>, depth: u32) -> Vec<u128> {
        if depth == 0 {
            return producer.fold_with(Gather(Vec::new())).complete();
        }
        match producer.split() {
            (left, Some(right)) => {
                let mut items = split_and_fold(left, depth - 1);
                items.extend(split_and_fold(right, depth - 1));
                items
            }
            (whole, None) => split_and_fold(whole, 0),
        }
    }

    #[test]
    fn pieces_cover_the_range_once_in_order() {
        for (start, end) in [(u128::MAX - 9, u128::MAX), (5, 5), (0, 12)] {
            for depth in 0..5 {
                let items = split_and_fold(InclusiveProducer { start, end }, depth);
                assert!(
                    items.iter().copied().eq(start..=end),
                    "{start}..={end} at {depth}"
                );
            }
        }
    }

    #[test]
    fn full_width_ranges_split_in_halves() {
        let (left, right) = InclusiveProducer {
            start: 0u64,
            end: u64::MAX,
        }
        .split();
        let right = right.expect("a full range splits");
        assert_eq!((left.start, left.end), (0, u64::MAX / 2));
        assert_eq!((right.start, right.end), (u64::MAX / 2 + 1, u64::MAX));
        let (left, right) = InclusiveProducer {
            start: i128::MIN,
            end: i128::MAX,
        }
        .split();
        assert_eq!((left.start, left.end), (i128::MIN, -1));
        assert_eq!(right.map(|r| (r.start, r.end)), Some((0, i128::MAX)));
    }
}
