//! `skip`: leave out the first `n` items of an indexed iterator.

use super::noop::NoopReducer;
use super::plumbing::{
    bridge, bridge_producer_consumer, Consumer, Folder, Producer, ProducerCallback,
    UnindexedConsumer,
};
use super::{IndexedParallelIterator, ParallelIterator};
use crate::in_place_scope;

/// Leaves out the first `n` items; see [`IndexedParallelIterator::skip`]. The left-out items
/// are still produced (so the side effects of earlier adaptors happen), then dropped.
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone, Debug)]
pub struct Skip<I> {
    base: I,
    /// How many items to leave out, at most the base's length.
    n: usize,
}

impl<I: IndexedParallelIterator> Skip<I> {
    pub(super) fn new(base: I, n: usize) -> Self {
        let n = n.min(base.len());
        Skip { base, n }
    }
}

impl<I: IndexedParallelIterator> ParallelIterator for Skip<I> {
    type Item = I::Item;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<I::Item>,
    {
        bridge(self, consumer)
    }

    fn opt_len(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<I: IndexedParallelIterator> IndexedParallelIterator for Skip<I> {
    fn drive<C: Consumer<I::Item>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn len(&self) -> usize {
        self.base.len() - self.n
    }

    fn with_producer<CB: ProducerCallback<I::Item>>(self, callback: CB) -> CB::Output {
        struct Callback<CB> {
            callback: CB,
            n: usize,
        }

        impl<T, CB: ProducerCallback<T>> ProducerCallback<T> for Callback<CB> {
            type Output = CB::Output;

            fn callback<P>(self, base: P) -> CB::Output
            where
                P: Producer<Item = T>,
            {
                let Callback { callback, n } = self;
                if n == 0 {
                    return callback.callback(base);
                }
                in_place_scope(|scope| {
                    let (skipped, kept) = base.split_at(n);
                    // The skipped items run beside the rest, for their side effects; a panic
                    // among them still reaches the caller through the scope.
                    scope.spawn(move |_| bridge_producer_consumer(n, skipped, Discard));
                    callback.callback(kept)
                })
            }
        }

        self.base.with_producer(Callback {
            callback,
            n: self.n,
        })
    }
}

/// Drops every item it is given.
struct Discard;

impl<T> Consumer<T> for Discard {
    type Folder = Discard;
    type Reducer = NoopReducer;
    type Result = ();

    fn split_at(self, _index: usize) -> (Self, Self, NoopReducer) {
        (Discard, Discard, NoopReducer)
    }

    fn into_folder(self) -> Self {
        self
    }

    fn full(&self) -> bool {
        false
    }
}

impl<T> Folder<T> for Discard {
    type Result = ();

    fn consume(self, item: T) -> Self {
        drop(item);
        self
    }

    fn consume_iter<I>(self, iter: I) -> Self
    where
        I: IntoIterator<Item = T>,
    {
        iter.into_iter().for_each(drop);
        self
    }

    fn complete(self) {}

    fn full(&self) -> bool {
        false
    }
}
