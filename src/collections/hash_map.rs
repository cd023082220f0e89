//! Parallel iterators over a `HashMap`, in the map's (arbitrary) order.
//!
//! # Examples
//!
//! ```
//! use std::collections::HashMap;
//! use veda::prelude::*;
//!
//! let mut map: HashMap<u32, u32> = (0..10).map(|k| (k, k)).collect();
//! assert_eq!(map.par_iter().map(|(_, v)| v).sum::<u32>(), 45);
//! let drained: u32 = map.par_drain().map(|(k, _)| k).sum();
//! assert_eq!(drained, 45);
//! assert!(map.is_empty());
//! ```

use super::gather;
use crate::forward::forward_iterator;
use crate::iter::{IntoParallelIterator, ParallelDrainFull};
use crate::vec;
use std::collections::HashMap;
use std::marker::PhantomData;

/// A parallel iterator that moves the entries out of a `HashMap`.
#[derive(Debug)]
pub struct IntoIter<K, V> {
    inner: vec::IntoIter<(K, V)>,
}

impl<K: Send, V: Send, S> IntoParallelIterator for HashMap<K, V, S> {
    type Item = (K, V);
    type Iter = IntoIter<K, V>;

    fn into_par_iter(self) -> IntoIter<K, V> {
        IntoIter {
            inner: gather(self),
        }
    }
}

forward_iterator!([K: Send, V: Send] IntoIter<K, V> => (K, V));

/// A parallel iterator over shared references to the entries of a `HashMap`.
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

impl<'a, K: Sync, V: Sync, S> IntoParallelIterator for &'a HashMap<K, V, S> {
    type Item = (&'a K, &'a V);
    type Iter = Iter<'a, K, V>;

    fn into_par_iter(self) -> Iter<'a, K, V> {
        Iter {
            inner: gather(self),
        }
    }
}

forward_iterator!(['a, K: Sync + 'a, V: Sync + 'a] Iter<'a, K, V> => (&'a K, &'a V));

/// A parallel iterator over the entries of a `HashMap`, with mutable references to the
/// values.
#[derive(Debug)]
pub struct IterMut<'a, K, V> {
    inner: vec::IntoIter<(&'a K, &'a mut V)>,
}

impl<'a, K: Sync, V: Send, S> IntoParallelIterator for &'a mut HashMap<K, V, S> {
    type Item = (&'a K, &'a mut V);
    type Iter = IterMut<'a, K, V>;

    fn into_par_iter(self) -> IterMut<'a, K, V> {
        IterMut {
            inner: gather(self),
        }
    }
}

forward_iterator!(['a, K: Sync + 'a, V: Send + 'a] IterMut<'a, K, V> => (&'a K, &'a mut V));

/// A parallel iterator that takes every entry out of a `HashMap` (which is empty from the
/// start, and keeps its capacity); see [`ParallelDrainFull`].
#[derive(Debug)]
pub struct Drain<'a, K, V> {
    inner: vec::IntoIter<(K, V)>,
    map: PhantomData<&'a mut HashMap<K, V>>,
}

impl<'a, K: Send, V: Send, S> ParallelDrainFull for &'a mut HashMap<K, V, S> {
    type Iter = Drain<'a, K, V>;
    type Item = (K, V);

    fn par_drain(self) -> Drain<'a, K, V> {
        Drain {
            inner: gather(self.drain()),
            map: PhantomData,
        }
    }
}

forward_iterator!([K: Send, V: Send] Drain<'_, K, V> => (K, V));
