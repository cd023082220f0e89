//! Parallel iterators over a `LinkedList`, front to back.
//!
//! # Examples
//!
//! ```
//! use std::collections::LinkedList;
//! use veda::prelude::*;
//!
//! let list: LinkedList<i32> = (1..=3).collect();
//! let doubled: Vec<i32> = list.par_iter().map(|x| x * 2).collect();
//! assert_eq!(doubled, [2, 4, 6]);
//! ```

use super::gather;
use crate::forward::forward_iterator;
use crate::iter::IntoParallelIterator;
use crate::vec;
use std::collections::LinkedList;

/// A parallel iterator that moves the items out of a `LinkedList`.
#[derive(Clone, Debug)]
pub struct IntoIter<T> {
    inner: vec::IntoIter<T>,
}

impl<T: Send> IntoParallelIterator for LinkedList<T> {
    type Item = T;
    type Iter = IntoIter<T>;

    fn into_par_iter(self) -> IntoIter<T> {
        IntoIter {
            inner: gather(self),
        }
    }
}

forward_iterator!([T: Send] IntoIter<T> => T);

/// A parallel iterator over shared references to the items of a `LinkedList`.
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

impl<'a, T: Sync> IntoParallelIterator for &'a LinkedList<T> {
    type Item = &'a T;
    type Iter = Iter<'a, T>;

    fn into_par_iter(self) -> Iter<'a, T> {
        Iter {
            inner: gather(self),
        }
    }
}

forward_iterator!(['a, T: Sync + 'a] Iter<'a, T> => &'a T);

/// A parallel iterator over mutable references to the items of a `LinkedList`.
#[derive(Debug)]
pub struct IterMut<'a, T> {
    inner: vec::IntoIter<&'a mut T>,
}

impl<'a, T: Send> IntoParallelIterator for &'a mut LinkedList<T> {
    type Item = &'a mut T;
    type Iter = IterMut<'a, T>;

    fn into_par_iter(self) -> IterMut<'a, T> {
        IterMut {
            inner: gather(self),
        }
    }
}

forward_iterator!(['a, T: Send + 'a] IterMut<'a, T> => &'a mut T);
