//! Parallel iterators over the `Ok` value of a `Result`: one item for `Ok`, none for `Err`.
//!
//! # Examples
//!
//! ```
//! use veda::prelude::*;
//!
//! let ok: Result<i32, String> = Ok(5);
//! assert_eq!(ok.par_iter().copied().sum::<i32>(), 5);
//! let err: Result<i32, String> = Err("no".into());
//! assert_eq!(err.into_par_iter().count(), 0);
//! ```

use crate::forward::forward_indexed_iterator;
use crate::iter::IntoParallelIterator;
use crate::option;

/// A parallel iterator that moves the `Ok` value out of a `Result`, if there is one.
#[derive(Clone, Debug)]
pub struct IntoIter<T> {
    inner: option::IntoIter<T>,
}

impl<T: Send, E> IntoParallelIterator for Result<T, E> {
    type Item = T;
    type Iter = IntoIter<T>;

    fn into_par_iter(self) -> IntoIter<T> {
        IntoIter {
            inner: option::IntoIter::new(self.ok()),
        }
    }
}

/// A parallel iterator over a shared reference to the `Ok` value of a `Result`, if any.
#[derive(Debug)]
pub struct Iter<'a, T> {
    inner: option::IntoIter<&'a T>,
}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Iter {
            inner: self.inner.clone(),
        }
    }
}

impl<'a, T: Sync, E> IntoParallelIterator for &'a Result<T, E> {
    type Item = &'a T;
    type Iter = Iter<'a, T>;

    fn into_par_iter(self) -> Iter<'a, T> {
        Iter {
            inner: option::IntoIter::new(self.as_ref().ok()),
        }
    }
}

/// A parallel iterator over a mutable reference to the `Ok` value of a `Result`, if any.
#[derive(Debug)]
pub struct IterMut<'a, T> {
    inner: option::IntoIter<&'a mut T>,
}

impl<'a, T: Send, E> IntoParallelIterator for &'a mut Result<T, E> {
    type Item = &'a mut T;
    type Iter = IterMut<'a, T>;

    fn into_par_iter(self) -> IterMut<'a, T> {
        IterMut {
            inner: option::IntoIter::new(self.as_mut().ok()),
        }
    }
}

forward_indexed_iterator!([T: Send] IntoIter<T> => T);
forward_indexed_iterator!(['a, T: Sync + 'a] Iter<'a, T> => &'a T);
forward_indexed_iterator!(['a, T: Send + 'a] IterMut<'a, T> => &'a mut T);
