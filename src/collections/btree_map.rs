//! Parallel iterators over a `BTreeMap`, in key order.
//!
//! # Examples
//!
//! ```
//! use std::collections::BTreeMap;
//! use veda::prelude::*;
//!
//! let mut map: BTreeMap<&str, i32> = [("a", 1), ("b", 2)].into_iter().collect();
//! map.par_iter_mut().for_each(|(_, v)| *v *= 10);
//! let pairs: Vec<(&str, i32)> = map.into_par_iter().collect();
//! assert_eq!(pairs, [("a", 10), ("b", 20)]);
//! ```

use super::gather;
use crate::forward::forward_iterator;
use crate::iter::IntoParallelIterator;
use crate::vec;
use std::collections::BTreeMap;

/// A parallel iterator that moves the entries out of a `BTreeMap`.
#[derive(Debug)]
pub struct IntoIter<K, V> {
    inner: vec::IntoIter<(K, V)>,
}

impl<K: Send, V: Send> IntoParallelIterator for BTreeMap<K, V> {
    type Item = (K, V);
    type Iter = IntoIter<K, V>;

    fn into_par_iter(self) -> IntoIter<K, V> {
        IntoIter {
            inner: gather(self),
        }
    }
}

forward_iterator!([K: Send, V: Send] IntoIter<K, V> => (K, V));

/// A parallel iterator over shared references to the entries of a `BTreeMap`.
#[derive(Debug)]
pub struct Iter<'a, K, V> {
    inner: vec::IntoIter<(&'a K, &'a V)>,
}

impl<K, V> Clone for Iter<'_, K, V> {
    fn clone(&self) -> Self {
        Iter {
            inner: self.inner.clone(),
        }
    }
}

impl<'a, K: Sync, V: Sync> IntoParallelIterator for &'a BTreeMap<K, V> {
    type Item = (&'a K, &'a V);
    type Iter = Iter<'a, K, V>;

    fn into_par_iter(self) -> Iter<'a, K, V> {
        Iter {
            inner: gather(self),
        }
    }
}

forward_iterator!(['a, K: Sync + 'a, V: Sync + 'a] Iter<'a, K, V> => (&'a K, &'a V));

/// A parallel iterator over the entries of a `BTreeMap`, with mutable references to the
/// values.
#[derive(Debug)]
pub struct IterMut<'a, K, V> {
    inner: vec::IntoIter<(&'a K, &'a mut V)>,
}

impl<'a, K: Sync, V: Send> IntoParallelIterator for &'a mut BTreeMap<K, V> {
    type Item = (&'a K, &'a mut V);
    type Iter = IterMut<'a, K, V>;

    fn into_par_iter(self) -> IterMut<'a, K, V> {
        IterMut {
            inner: gather(self),
        }
    }
}

forward_iterator!(['a, K: Sync + 'a, V: Send + 'a] IterMut<'a, K, V> => (&'a K, &'a mut V));
