//! Parallel iterators over std's collections (`BinaryHeap`, `BTreeMap`, `BTreeSet`,
//! `HashMap`, `HashSet`, `LinkedList`, `VecDeque`), one module each.
//!
//! Collections without random access (trees, hash tables, linked lists) are first gathered
//! into a vector (of items, or of references to them), whose parallel iterator then does
//! the work; their iterators are not indexed. `BinaryHeap` and `VecDeque` are iterated in
//! place and are indexed.
//!
//! # Examples
//!
//! ```
//! use std::collections::BTreeMap;
//! use veda::prelude::*;
//!
//! let map: BTreeMap<u32, &str> = [(1, "a"), (2, "bb")].into_iter().collect();
//! let total: usize = map.par_iter().map(|(_, v)| v.len()).sum();
//! assert_eq!(total, 3);
//! ```

pub mod binary_heap;
pub mod btree_map;
pub mod btree_set;
pub mod hash_map;
pub mod hash_set;
pub mod linked_list;
pub mod vec_deque;

use std::mem;

/// Lends the items of a collection to a vector for the length of a borrow, and puts the
/// (possibly shortened) vector back into the collection when dropped, even on a panic.
struct Lent<'a, C: From<Vec<T>>, T> {
    collection: &'a mut C,
    vec: Vec<T>,
}

impl<'a, C, T> Lent<'a, C, T>
where
    C: Default + From<Vec<T>>,
    Vec<T>: From<C>,
{
    fn new(collection: &'a mut C) -> Self {
        let vec = Vec::from(mem::take(collection));
        Lent { collection, vec }
    }
}

impl<C: From<Vec<T>>, T> Drop for Lent<'_, C, T> {
    fn drop(&mut self) {
        *self.collection = C::from(mem::take(&mut self.vec));
    }
}

/// Gathers the items of a sequential iterator into a vector's parallel iterator.
fn gather<I: IntoIterator>(items: I) -> crate::vec::IntoIter<I::Item>
where
    I::Item: Send,
{
    use crate::iter::IntoParallelIterator;
    items.into_iter().collect::<Vec<_>>().into_par_iter()
}
