//! `once()`: a parallel iterator with exactly one item.

use super::plumbing::{bridge, Consumer, Folder, Producer, ProducerCallback, UnindexedConsumer};
use super::{IndexedParallelIterator, ParallelIterator};

/// A parallel iterator that yields `item` once, like `std::iter::once`.
///
/// # Examples
///
/// ```
/// use veda::prelude::*;
///
/// let items: Vec<i32> = veda::iter::once(99).map(|x| x + 1).collect();
/// assert_eq!(items, [100]);
/// ```
pub fn once<T: Send>(item: T) -> Once<T> {
    Once { item }
}

/// The iterator with one item; see [`once()`].
#[derive(Clone, Debug)]
pub struct Once<T> {
    item: T,
}

impl<T: Send> ParallelIterator for Once<T> {
    type Item = T;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<T>,
    {
        bridge(self, consumer)
    }

    fn opt_len(&self) -> Option<usize> {
        Some(1)
    }
}

impl<T: Send> IndexedParallelIterator for Once<T> {
    fn drive<C: Consumer<T>>(self, consumer: C) -> C::Result {
        consumer.into_folder().consume(self.item).complete()
    }

    fn len(&self) -> usize {
        1
    }

    fn with_producer<CB: ProducerCallback<T>>(self, callback: CB) -> CB::Output {
        callback.callback(OnceProducer(Some(self.item)))
    }
}

/// Holds the item until it is produced; a split moves it to the side that owns index 0.
struct OnceProducer<T>(Option<T>);

impl<T: Send> Producer for OnceProducer<T> {
    type Item = T;
    type IntoIter = std::option::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }

    fn split_at(self, index: usize) -> (Self, Self) {
        if index == 0 {
            (OnceProducer(None), self)
        } else {
            (self, OnceProducer(None))
        }
    }
}
