//! Parallel iterators over a `HashSet`, in the set's (arbitrary) order.
//!
//! # Examples
//!
//! ```
//! use std::collections::HashSet;
//! use veda::prelude::*;
//!
//! let set: HashSet<u32> = (1..=4).collect();
//! assert_eq!(set.par_iter().sum::<u32>(), 10);
//! ```

use super::gather;
use crate::forward::forward_iterator;
use crate::iter::{IntoParallelIterator, ParallelDrainFull};
use crate::vec;
use std::collections::HashSet;
use std::marker::PhantomData;

/// A parallel iterator that moves the items out of a `HashSet`.
#[derive(Debug)]
pub struct IntoIter<T> {
    inner: vec::IntoIter<T>,
}

impl<T: Send, S> IntoParallelIterator for HashSet<T, S> {
    type Item = T;
    type Iter = IntoIter<T>;

    fn into_par_iter(self) -> IntoIter<T> {
        IntoIter {
            inner: gather(self),
        }
    }
}

forward_iterator!([T: Send] IntoIter<T> => T);

/// A parallel iterator over shared references to the items of a `HashSet`.
#[derive(Debug)]
pub struct Iter<'a, T> {
    inner: vec::IntoIter<&'a T>,
}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Iter {
            inner: self.inner.clone(),
        }
    }
}

impl<'a, T: Sync, S> IntoParallelIterator for &'a HashSet<T, S> {
    type Item = &'a T;
    type Iter = Iter<'a, T>;

    fn into_par_iter(self) -> Iter<'a, T> {
        Iter {
            inner: gather(self),
        }
    }
}

forward_iterator!(['a, T: Sync + 'a] Iter<'a, T> => &'a T);

/// A parallel iterator that takes every item out of a `HashSet` (which is empty from the
/// start, and keeps its capacity); see [`ParallelDrainFull`].
#[derive(Debug)]
pub struct Drain<'a, T> {
    inner: vec::IntoIter<T>,
    set: PhantomData<&'a mut HashSet<T>>,
}

impl<'a, T: Send, S> ParallelDrainFull for &'a mut HashSet<T, S> {
    type Iter = Drain<'a, T>;
    type Item = T;

    fn par_drain(self) -> Drain<'a, T> {
        Drain {
            inner: gather(self.drain()),
            set: PhantomData,
        }
    }
}

forward_iterator!([T: Send] Drain<'_, T> => T);
