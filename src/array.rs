//! Parallel iterators that move the items out of an array: `[a, b, c].into_par_iter()`.
//! (Shared and mutable references to arrays iterate like slices; see [`crate::slice`].)
//!
//! # Examples
//!
//! ```
//! use veda::prelude::*;
//!
//! let names = [String::from("x"), String::from("yz")];
//! let total: usize = names.into_par_iter().map(|s| s.len()).sum();
//! assert_eq!(total, 3);
//! ```

use crate::iter::plumbing::{bridge, Consumer, ProducerCallback, UnindexedConsumer};
use crate::iter::{IndexedParallelIterator, IntoParallelIterator, ParallelIterator};
use crate::vec::DrainProducer;
use std::mem::ManuallyDrop;

/// A parallel iterator that moves the items out of an array.
#[derive(Clone, Debug)]
pub struct IntoIter<T, const N: usize> {
    array: [T; N],
}

impl<T: Send, const N: usize> IntoParallelIterator for [T; N] {
    type Item = T;
    type Iter = IntoIter<T, N>;

    fn into_par_iter(self) -> IntoIter<T, N> {
        IntoIter { array: self }
    }
}

impl<T: Send, const N: usize> ParallelIterator for IntoIter<T, N> {
    type Item = T;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<T>,
    {
        bridge(self, consumer)
    }

    fn opt_len(&self) -> Option<usize> {
        Some(N)
    }
}

impl<T: Send, const N: usize> IndexedParallelIterator for IntoIter<T, N> {
    fn drive<C: Consumer<T>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn len(&self) -> usize {
        N
    }

    fn with_producer<CB: ProducerCallback<T>>(self, callback: CB) -> CB::Output {
        let mut array = ManuallyDrop::new(self.array);
        // SAFETY: the array will never drop its items (it is `ManuallyDrop`, and lives on
        // this stack frame until the producer is gone); the producer takes them over and
        // moves or drops each exactly once.
        let producer = unsafe { DrainProducer::new(&mut array[..]) };
        callback.callback(producer)
    }
}
