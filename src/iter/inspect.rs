//! `inspect`: look at every item as it passes.

use super::plumbing::{Consumer, Folder, Producer, ProducerCallback, UnindexedConsumer};
use super::{IndexedParallelIterator, ParallelIterator};
use std::fmt;

/// Calls a closure on a reference to every item as it passes; see
/// [`ParallelIterator::inspect`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone)]
pub struct Inspect<I, F> {
    base: I,
    inspect_op: F,
}

impl<I: fmt::Debug, F> fmt::Debug for Inspect<I, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inspect").field("base", &self.base).finish()
    }
}

impl<I, F> Inspect<I, F> {
    pub(super) fn new(base: I, inspect_op: F) -> Self {
        Inspect { base, inspect_op }
    }
}

impl<I, F> ParallelIterator for Inspect<I, F>
where
    I: ParallelIterator,
    F: Fn(&I::Item) + Sync + Send,
{
    type Item = I::Item;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<I::Item>,
    {
        self.base.drive_unindexed(InspectConsumer {
            base: consumer,
            inspect_op: &self.inspect_op,
        })
    }

    fn opt_len(&self) -> Option<usize> {
        self.base.opt_len()
    }
}

impl<I, F> IndexedParallelIterator for Inspect<I, F>
where
    I: IndexedParallelIterator,
    F: Fn(&I::Item) + Sync + Send,
{
    fn drive<C: Consumer<I::Item>>(self, consumer: C) -> C::Result {
        self.base.drive(InspectConsumer {
            base: consumer,
            inspect_op: &self.inspect_op,
        })
    }

    fn len(&self) -> usize {
        self.base.len()
    }

    fn with_producer<CB: ProducerCallback<I::Item>>(self, callback: CB) -> CB::Output {
        struct Callback<CB, F> {
            callback: CB,
            inspect_op: F,
        }

        impl<T, CB, F> ProducerCallback<T> for Callback<CB, F>
        where
            CB: ProducerCallback<T>,
            F: Fn(&T) + Sync,
        {
            type Output = CB::Output;

            fn callback<P>(self, base: P) -> CB::Output
            where
                P: Producer<Item = T>,
            {
                self.callback.callback(InspectProducer {
                    base,
                    inspect_op: &self.inspect_op,
                })
            }
        }

        self.base.with_producer(Callback {
            callback,
            inspect_op: self.inspect_op,
        })
    }
}

struct InspectProducer<'f, P, F> {
    base: P,
    inspect_op: &'f F,
}

impl<'f, P, F> Producer for InspectProducer<'f, P, F>
where
    P: Producer,
    F: Fn(&P::Item) + Sync,
{
    type Item = P::Item;
    type IntoIter = std::iter::Inspect<P::IntoIter, &'f F>;

    fn into_iter(self) -> Self::IntoIter {
        self.base.into_iter().inspect(self.inspect_op)
    }

    fn min_len(&self) -> usize {
        self.base.min_len()
    }

    fn max_len(&self) -> usize {
        self.base.max_len()
    }

    fn split_at(self, index: usize) -> (Self, Self) {
        let (left, right) = self.base.split_at(index);
        (
            InspectProducer { base: left, ..self },
            InspectProducer {
                base: right,
                ..self
            },
        )
    }

    fn fold_with<G>(self, folder: G) -> G
    where
        G: Folder<P::Item>,
    {
        self.base
            .fold_with(InspectFolder {
                base: folder,
                inspect_op: self.inspect_op,
            })
            .base
    }
}

struct InspectConsumer<'f, C, F> {
    base: C,
    inspect_op: &'f F,
}

impl<'f, T, C, F> Consumer<T> for InspectConsumer<'f, C, F>
where
    C: Consumer<T>,
    F: Fn(&T) + Sync,
{
    type Folder = InspectFolder<'f, C::Folder, F>;
    type Reducer = C::Reducer;
    type Result = C::Result;

    fn split_at(self, index: usize) -> (Self, Self, C::Reducer) {
        let (left, right, reducer) = self.base.split_at(index);
        (
            InspectConsumer { base: left, ..self },
            InspectConsumer {
                base: right,
                ..self
            },
            reducer,
        )
    }

    fn into_folder(self) -> Self::Folder {
        InspectFolder {
            base: self.base.into_folder(),
            inspect_op: self.inspect_op,
        }
    }

    fn full(&self) -> bool {
        self.base.full()
    }
}

impl<T, C, F> UnindexedConsumer<T> for InspectConsumer<'_, C, F>
where
    C: UnindexedConsumer<T>,
    F: Fn(&T) + Sync,
{
    fn split_off_left(&self) -> Self {
        InspectConsumer {
            base: self.base.split_off_left(),
            ..*self
        }
    }

    fn to_reducer(&self) -> C::Reducer {
        self.base.to_reducer()
    }
}

struct InspectFolder<'f, C, F> {
    base: C,
    inspect_op: &'f F,
}

impl<T, C, F> Folder<T> for InspectFolder<'_, C, F>
where
    C: Folder<T>,
    F: Fn(&T),
{
    type Result = C::Result;

    fn consume(self, item: T) -> Self {
        (self.inspect_op)(&item);
        InspectFolder {
            base: self.base.consume(item),
            ..self
        }
    }

    fn consume_iter<I>(self, iter: I) -> Self
    where
        I: IntoIterator<Item = T>,
    {
        InspectFolder {
            base: self
                .base
                .consume_iter(iter.into_iter().inspect(self.inspect_op)),
            ..self
        }
    }

    fn complete(self) -> C::Result {
        self.base.complete()
    }

    fn full(&self) -> bool {
        self.base.full()
    }
}
