//! Parallel iterators over an `Option`: at most one item, as `Option::iter` gives
//! sequentially.
//!
//! # Examples
//!
//! ```
//! use veda::prelude::*;
//!
//! let some: Vec<i32> = Some(3).into_par_iter().collect();
//! assert_eq!(some, [3]);
//! let none: Option<i32> = None;
//! assert_eq!(none.par_iter().count(), 0);
//! ```

use crate::forward::forward_indexed_iterator;
use crate::iter::plumbing::{bridge, Consumer, Producer, ProducerCallback, UnindexedConsumer};
use crate::iter::{IndexedParallelIterator, IntoParallelIterator, ParallelIterator};

/// A parallel iterator that moves the value out of an `Option`, if there is one.
#[derive(Clone, Debug)]
pub struct IntoIter<T> {
    opt: Option<T>,
}

impl<T> IntoIter<T> {
    pub(crate) fn new(opt: Option<T>) -> Self {
        IntoIter { opt }
    }
}

impl<T: Send> IntoParallelIterator for Option<T> {
    type Item = T;
    type Iter = IntoIter<T>;

    fn into_par_iter(self) -> IntoIter<T> {
        IntoIter { opt: self }
    }
}

impl<T: Send> ParallelIterator for IntoIter<T> {
    type Item = T;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<T>,
    {
        self.drive(consumer)
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
        usize::from(self.opt.is_some())
    }

    fn with_producer<CB: ProducerCallback<T>>(self, callback: CB) -> CB::Output {
        callback.callback(OptionProducer { opt: self.opt })
    }
}

/// A parallel iterator over a shared reference to the value of an `Option`, if any.
#[derive(Debug)]
pub struct Iter<'a, T> {
    inner: IntoIter<&'a T>,
}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Iter {
            inner: self.inner.clone(),
        }
    }
}

impl<'a, T: Sync> IntoParallelIterator for &'a Option<T> {
    type Item = &'a T;
    type Iter = Iter<'a, T>;

    fn into_par_iter(self) -> Iter<'a, T> {
        Iter {
            inner: IntoIter { opt: self.as_ref() },
        }
    }
}

/// A parallel iterator over a mutable reference to the value of an `Option`, if any.
#[derive(Debug)]
pub struct IterMut<'a, T> {
    inner: IntoIter<&'a mut T>,
}

impl<'a, T: Send> IntoParallelIterator for &'a mut Option<T> {
    type Item = &'a mut T;
    type Iter = IterMut<'a, T>;

    fn into_par_iter(self) -> IterMut<'a, T> {
        IterMut {
            inner: IntoIter { opt: self.as_mut() },
        }
    }
}

forward_indexed_iterator!(['a, T: Sync + 'a] Iter<'a, T> => &'a T);
forward_indexed_iterator!(['a, T: Send + 'a] IterMut<'a, T> => &'a mut T);

/// The producer of at most one item.
struct OptionProducer<T> {
    opt: Option<T>,
}

impl<T: Send> Producer for OptionProducer<T> {
    type Item = T;
    type IntoIter = std::option::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.opt.into_iter()
    }

    fn split_at(self, index: usize) -> (Self, Self) {
        let none = OptionProducer { opt: None };
        if index == 0 {
            (none, self)
        } else {
            (self, none)
        }
    }
}
