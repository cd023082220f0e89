//! Parallel iterators over a `BTreeSet`, in order.
//!
//! # Examples
//!
//! ```
//! use std::collections::BTreeSet;
//! use veda::prelude::*;
//!
//! let set: BTreeSet<u32> = [3, 1, 2].into_iter().collect();
//! let items: Vec<u32> = set.par_iter().copied().collect();
//! assert_eq!(items, [1, 2, 3]);
//! ```

use super::gather;
use crate::forward::forward_iterator;
use crate::iter::IntoParallelIterator;
use crate::vec;
use std::collections::BTreeSet;

/// A parallel iterator that moves the items out of a `BTreeSet`.
#[derive(Debug)]
pub struct IntoIter<T> {
    inner: vec::IntoIter<T>,
}

impl<T: Send> IntoParallelIterator for BTreeSet<T> {
    type Item = T;
    type Iter = IntoIter<T>;

    fn into_par_iter(self) -> IntoIter<T> {
        IntoIter {
            inner: gather(self),
        }
    }
}

forward_iterator!([T: Send] IntoIter<T> => T);

/// A parallel iterator over shared references to the items of a `BTreeSet`.
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

impl<'a, T: Sync> IntoParallelIterator for &'a BTreeSet<T> {
    type Item = &'a T;
    type Iter = Iter<'a, T>;

    fn into_par_iter(self) -> Iter<'a, T> {
        Iter {
            inner: gather(self),
        }
    }
}

forward_iterator!(['a, T: Sync + 'a] Iter<'a, T> => &'a T);
