//! Parallel iterators that take the items out of a vector: `vec.into_par_iter()`.
//!
//! # Examples
//!
//! ```
//! use veda::prelude::*;
//!
//! let words = vec![String::from("a"), String::from("bc")];
//! let lengths: Vec<usize> = words.into_par_iter().map(|w| w.len()).collect();
//! assert_eq!(lengths, [1, 2]);
//! ```

use crate::iter::plumbing::{bridge, Consumer, Producer, ProducerCallback, UnindexedConsumer};
use crate::iter::{
    IndexedParallelIterator, IntoParallelIterator, ParallelDrainRange, ParallelIterator,
};
use std::iter::FusedIterator;
use std::mem;
use std::ops::{Range, RangeBounds};
use std::ptr;

/// A parallel iterator that moves the items out of a vector.
#[derive(Clone, Debug)]
pub struct IntoIter<T> {
    vec: Vec<T>,
}

impl<T: Send> IntoParallelIterator for Vec<T> {
    type Item = T;
    type Iter = IntoIter<T>;

    fn into_par_iter(self) -> IntoIter<T> {
        IntoIter { vec: self }
    }
}

impl<T: Send> ParallelIterator for IntoIter<T> {
    type Item = T;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<T>,
    {
        bridge(self, consumer)
    }

    fn opt_len(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<T: Send> IndexedParallelIterator for IntoIter<T> {
    fn drive<C: Consumer<T>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn len(&self) -> usize {
        self.vec.len()
    }

    fn with_producer<CB: ProducerCallback<T>>(mut self, callback: CB) -> CB::Output {
        let len = self.vec.len();
        // SAFETY: the vector forgets its items (its length becomes 0) before the producer
        // takes them over; the producer moves each item out or drops it exactly once, and
        // the vector frees only its buffer when dropped at the end of this function.
        unsafe {
            self.vec.set_len(0);
            let items = std::slice::from_raw_parts_mut(self.vec.as_mut_ptr(), len);
            callback.callback(DrainProducer::new(items))
        }
    }
}

impl<T: Send> IntoParallelIterator for Box<[T]> {
    type Item = T;
    type Iter = IntoIter<T>;

    fn into_par_iter(self) -> IntoIter<T> {
        IntoIter { vec: self.into() }
    }
}

impl<'data, T: Sync + 'data> IntoParallelIterator for &'data Box<[T]> {
    type Item = &'data T;
    type Iter = crate::slice::Iter<'data, T>;

    fn into_par_iter(self) -> Self::Iter {
        (**self).into_par_iter()
    }
}

impl<'data, T: Send + 'data> IntoParallelIterator for &'data mut Box<[T]> {
    type Item = &'data mut T;
    type Iter = crate::slice::IterMut<'data, T>;

    fn into_par_iter(self) -> Self::Iter {
        (**self).into_par_iter()
    }
}

/// A parallel iterator that moves a range of items out of a vector, which keeps its
/// capacity; see [`ParallelDrainRange`].
///
/// When it is dropped, the range is gone from the vector and the items after it have moved
/// down, whether the iterator ran to the end, stopped early, panicked, or never ran.
#[derive(Debug)]
pub struct Drain<'data, T: Send> {
    vec: &'data mut Vec<T>,
    range: Range<usize>,
    orig_len: usize,
}

impl<'data, T: Send> ParallelDrainRange<usize> for &'data mut Vec<T> {
    type Iter = Drain<'data, T>;
    type Item = T;

    fn par_drain<R: RangeBounds<usize>>(self, range: R) -> Drain<'data, T> {
        let orig_len = self.len();
        Drain {
            range: crate::range_bounds::resolve(range, orig_len),
            vec: self,
            orig_len,
        }
    }
}

impl<T: Send> ParallelIterator for Drain<'_, T> {
    type Item = T;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<T>,
    {
        bridge(self, consumer)
    }

    fn opt_len(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<T: Send> IndexedParallelIterator for Drain<'_, T> {
    fn drive<C: Consumer<T>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn len(&self) -> usize {
        self.range.len()
    }

    fn with_producer<CB: ProducerCallback<T>>(self, callback: CB) -> CB::Output {
        let Range { start, end } = self.range;
        // The vector forgets the drained range and, for now, its tail (its length becomes
        // `start`, which is within bounds); the producer owns the items of the range and
        // moves or drops each exactly once. `Drop for Drain` (which runs when this function
        // returns or unwinds, after the producer is gone) moves the tail down and restores
        // the length.
        // SAFETY: as just said; the pointer comes from the vector itself, so it may address
        // its whole buffer.
        unsafe {
            self.vec.set_len(start);
            let first = self.vec.as_mut_ptr().add(start);
            let items = std::slice::from_raw_parts_mut(first, end - start);
            callback.callback(DrainProducer::new(items))
        }
    }
}

impl<T: Send> Drop for Drain<'_, T> {
    fn drop(&mut self) {
        let Range { start, end } = self.range;
        if self.vec.len() == self.orig_len {
            // Never produced (or an empty range at the very end): an ordinary drain removes
            // the range.
            self.vec.drain(start..end);
            return;
        }
        // The producer has consumed the range; close the gap with the tail.
        let tail_len = self.orig_len - end;
        // The vector's length is `start`; the tail items `end..orig_len` are still
        // initialised and owned by nobody else, and the capacity covers `orig_len`.
        // SAFETY: so moving them (possibly overlapping, hence `copy`) to `start..` and then
        // counting them makes the length cover exactly the live items.
        unsafe {
            let base = self.vec.as_mut_ptr();
            ptr::copy(base.add(end), base.add(start), tail_len);
            self.vec.set_len(start + tail_len);
        }
    }
}

/// Moves items out of a slice whose items it owns; drops those it does not hand out.
pub(crate) struct DrainProducer<'data, T: Send> {
    slice: &'data mut [T],
}

impl<'data, T: Send> DrainProducer<'data, T> {
    /// # Safety
    /// The producer takes ownership of the items in `slice`: the caller must not use or
    /// drop them afterwards.
    pub(crate) unsafe fn new(slice: &'data mut [T]) -> Self {
        DrainProducer { slice }
    }
}

impl<'data, T: Send + 'data> Producer for DrainProducer<'data, T> {
    type Item = T;
    type IntoIter = SliceDrain<'data, T>;

    fn into_iter(mut self) -> Self::IntoIter {
        let slice = mem::take(&mut self.slice);
        SliceDrain {
            iter: slice.iter_mut(),
        }
    }

    fn split_at(mut self, index: usize) -> (Self, Self) {
        let slice = mem::take(&mut self.slice);
        let (left, right) = slice.split_at_mut(index);
        // SAFETY: the two halves own disjoint parts of the items this producer owned.
        unsafe { (DrainProducer::new(left), DrainProducer::new(right)) }
    }
}

impl<T: Send> Drop for DrainProducer<'_, T> {
    fn drop(&mut self) {
        let slice = mem::take(&mut self.slice);
        // SAFETY: the producer owns these items and never handed them out.
        unsafe { ptr::drop_in_place(slice) };
    }
}

/// The sequential iterator of a [`DrainProducer`].
pub(crate) struct SliceDrain<'data, T> {
    iter: std::slice::IterMut<'data, T>,
}

impl<T> Iterator for SliceDrain<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let item = self.iter.next()?;
        // SAFETY: the iterator owns the items it has not passed yet; this one is passed now
        // and never read again.
        Some(unsafe { ptr::read(item) })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.iter.size_hint()
    }
}

impl<T> DoubleEndedIterator for SliceDrain<'_, T> {
    fn next_back(&mut self) -> Option<T> {
        let item = self.iter.next_back()?;
        // SAFETY: as in `next`.
        Some(unsafe { ptr::read(item) })
    }
}

impl<T> ExactSizeIterator for SliceDrain<'_, T> {}

impl<T> FusedIterator for SliceDrain<'_, T> {}

impl<T> Drop for SliceDrain<'_, T> {
    fn drop(&mut self) {
        let remaining = mem::take(&mut self.iter).into_slice();
        // SAFETY: the items not yet passed are still owned here, and dropped once.
        unsafe { ptr::drop_in_place(remaining) };
    }
}
