//! Parallel iterators over a `BinaryHeap`, in the heap's internal (arbitrary) order.
//!
//! # Examples
//!
//! ```
//! use std::collections::BinaryHeap;
//! use veda::prelude::*;
//!
//! let heap: BinaryHeap<u32> = (1..=4).collect();
//! assert_eq!(heap.par_iter().sum::<u32>(), 10);
//! ```

use super::Lent;
use crate::forward::forward_indexed_iterator;
use crate::iter::plumbing::{bridge, Consumer, ProducerCallback, UnindexedConsumer};
use crate::iter::{
    IndexedParallelIterator, IntoParallelIterator, ParallelDrainFull, ParallelDrainRange,
    ParallelIterator,
};
use crate::{slice, vec};
use std::collections::BinaryHeap;

/// A parallel iterator that moves the items out of a `BinaryHeap`.
#[derive(Clone, Debug)]
pub struct IntoIter<T> {
    inner: vec::IntoIter<T>,
}

impl<T: Send> IntoParallelIterator for BinaryHeap<T> {
    type Item = T;
    type Iter = IntoIter<T>;

    fn into_par_iter(self) -> IntoIter<T> {
        IntoIter {
            inner: self.into_vec().into_par_iter(),
        }
    }
}

forward_indexed_iterator!([T: Send] IntoIter<T> => T);

/// A parallel iterator over shared references to the items of a `BinaryHeap`.
#[derive(Debug)]
pub struct Iter<'a, T> {
    inner: slice::Iter<'a, T>,
}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Iter {
            inner: self.inner.clone(),
        }
    }
}

impl<'a, T: Sync> IntoParallelIterator for &'a BinaryHeap<T> {
    type Item = &'a T;
    type Iter = Iter<'a, T>;

    fn into_par_iter(self) -> Iter<'a, T> {
        Iter {
            inner: self.as_slice().into_par_iter(),
        }
    }
}

forward_indexed_iterator!(['a, T: Sync + 'a] Iter<'a, T> => &'a T);

/// A parallel iterator that takes every item out of a `BinaryHeap`, which is left empty
/// when the iterator is dropped; see [`ParallelDrainFull`].
#[derive(Debug)]
pub struct Drain<'a, T> {
    heap: &'a mut BinaryHeap<T>,
}

impl<'a, T: Ord + Send> ParallelDrainFull for &'a mut BinaryHeap<T> {
    type Iter = Drain<'a, T>;
    type Item = T;

    fn par_drain(self) -> Drain<'a, T> {
        Drain { heap: self }
    }
}

impl<T: Ord + Send> ParallelIterator for Drain<'_, T> {
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

impl<T: Ord + Send> IndexedParallelIterator for Drain<'_, T> {
    fn drive<C: Consumer<T>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn len(&self) -> usize {
        self.heap.len()
    }

    fn with_producer<CB: ProducerCallback<T>>(self, callback: CB) -> CB::Output {
        let mut lent = Lent::new(&mut *self.heap);
        lent.vec.par_drain(..).with_producer(callback)
    }
}

impl<T> Drop for Drain<'_, T> {
    fn drop(&mut self) {
        self.heap.clear();
    }
}
