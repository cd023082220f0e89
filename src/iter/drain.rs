//! The draining traits: `par_drain()` on collections that can be emptied in parallel, and
//! `par_drain(range)` on those that can give up a contiguous range of their items.

use super::ParallelIterator;
use std::ops::RangeBounds;

/// Removes every item from a collection and yields them in parallel (`par_drain()`).
///
/// The collection is left empty once the iterator is dropped, whether or not it was used,
/// and keeps its allocation where it has one.
///
/// # Examples
///
/// ```
/// use std::collections::BinaryHeap;
/// use veda::prelude::*;
///
/// let mut heap: BinaryHeap<u32> = (1..=10).collect();
/// let total: u32 = heap.par_drain().sum();
/// assert_eq!(total, 55);
/// assert!(heap.is_empty());
/// ```
pub trait ParallelDrainFull {
    /// The draining parallel iterator.
    type Iter: ParallelIterator<Item = Self::Item>;
    /// The items removed; usually the collection's own item type.
    type Item: Send;

    /// Returns a parallel iterator that takes every item out of the collection.
    fn par_drain(self) -> Self::Iter;
}

/// Removes a range of items from a collection and yields them in parallel
/// (`par_drain(range)`).
///
/// The range is removed once the iterator is dropped, whether or not it was used (or used
/// to the end); the items after it move down to close the gap.
///
/// # Panics
///
/// `par_drain` panics if the range starts after it ends or ends past the collection's
/// length (and, for strings, if a bound does not fall on a character boundary).
///
/// # Examples
///
/// ```
/// use veda::prelude::*;
///
/// let mut values: Vec<i32> = (0..10).collect();
/// let middle: Vec<i32> = values.par_drain(3..7).collect();
/// assert_eq!(middle, [3, 4, 5, 6]);
/// assert_eq!(values, [0, 1, 2, 7, 8, 9]);
/// ```
pub trait ParallelDrainRange<Idx = usize> {
    /// The draining parallel iterator.
    type Iter: ParallelIterator<Item = Self::Item>;
    /// The items removed; usually the collection's own item type.
    type Item: Send;

    /// Returns a parallel iterator that takes the items of `range` out of the collection.
    fn par_drain<R: RangeBounds<Idx>>(self, range: R) -> Self::Iter;
}
