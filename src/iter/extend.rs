//! `ParallelExtend`: adding the items of a parallel iterator to a collection.

use super::collect::collect_with_consumer;
use super::plumbing::{Consumer, Folder, Reducer, UnindexedConsumer};
use super::{IntoParallelIterator, ParallelIterator};
use std::collections::LinkedList;

/// Extends a collection with the items of a parallel iterator.
///
/// # Examples
///
/// ```
/// use veda::prelude::*;
///
/// let mut values = vec![0];
/// values.par_extend((1..4).into_par_iter());
/// assert_eq!(values, [0, 1, 2, 3]);
/// ```
pub trait ParallelExtend<T>
where
    T: Send,
{
    /// Adds every item of `par_iter` to `self`.
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = T>;
}

impl<T: Send> ParallelExtend<T> for Vec<T> {
    fn par_extend<I>(&mut self, par_iter: I)
    where
        I: IntoParallelIterator<Item = T>,
    {
        let par_iter = par_iter.into_par_iter();
        match par_iter.opt_len() {
            // An iterator that knows its length writes straight into the vector's memory.
            Some(len) => collect_with_consumer(self, len, |consumer| {
                par_iter.drive_unindexed(consumer)
            }),
            None => {
                let pieces = collect_vec_list(par_iter);
                self.reserve(pieces.iter().map(Vec::len).sum());
                for mut piece in pieces {
                    self.append(&mut piece);
                }
            }
        }
    }
}

/// Collects each piece of work into its own vector, in order.
pub(super) fn collect_vec_list<I: ParallelIterator>(par_iter: I) -> LinkedList<Vec<I::Item>> {
    par_iter.drive_unindexed(ListVecConsumer)
}

struct ListVecConsumer;

impl<T: Send> Consumer<T> for ListVecConsumer {
    type Folder = ListVecFolder<T>;
    type Reducer = ListReducer;
    type Result = LinkedList<Vec<T>>;

    fn split_at(self, _index: usize) -> (Self, Self, ListReducer) {
        (ListVecConsumer, ListVecConsumer, ListReducer)
    }

    fn into_folder(self) -> ListVecFolder<T> {
        ListVecFolder { items: Vec::new() }
    }

    fn full(&self) -> bool {
        false
    }
}

impl<T: Send> UnindexedConsumer<T> for ListVecConsumer {
    fn split_off_left(&self) -> Self {
        ListVecConsumer
    }

    fn to_reducer(&self) -> ListReducer {
        ListReducer
    }
}

struct ListVecFolder<T> {
    items: Vec<T>,
}

impl<T> Folder<T> for ListVecFolder<T> {
    type Result = LinkedList<Vec<T>>;

    fn consume(mut self, item: T) -> Self {
        self.items.push(item);
        self
    }

    fn consume_iter<I>(mut self, iter: I) -> Self
    where
        I: IntoIterator<Item = T>,
    {
        self.items.extend(iter);
        self
    }

    fn complete(self) -> Self::Result {
        let mut list = LinkedList::new();
        if !self.items.is_empty() {
            list.push_back(self.items);
        }
        list
    }

    fn full(&self) -> bool {
        false
    }
}

/// Concatenates lists of pieces, left first.
struct ListReducer;

impl<T> Reducer<LinkedList<T>> for ListReducer {
    fn reduce(self, mut left: LinkedList<T>, mut right: LinkedList<T>) -> LinkedList<T> {
        left.append(&mut right);
        left
    }
}
