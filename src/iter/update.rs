//! `update`: change every item in place as it passes.

use super::plumbing::{Consumer, Folder, Producer, ProducerCallback, UnindexedConsumer};
use super::{IndexedParallelIterator, ParallelIterator};
use std::fmt;

/// Calls a closure on a mutable reference to every item as it passes; see
/// [`ParallelIterator::update`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone)]
pub struct Update<I, F> {
    base: I,
    update_op: F,
}

impl<I: fmt::Debug, F> fmt::Debug for Update<I, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Update").field("base", &self.base).finish()
    }
}

impl<I, F> Update<I, F> {
    pub(super) fn new(base: I, update_op: F) -> Self {
        Update { base, update_op }
    }
}

impl<I, F> ParallelIterator for Update<I, F>
where
    I: ParallelIterator,
    F: Fn(&mut I::Item) + Sync + Send,
{
    type Item = I::Item;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<I::Item>,
    {
        self.base.drive_unindexed(UpdateConsumer {
            base: consumer,
            update_op: &self.update_op,
        })
    }

    fn opt_len(&self) -> Option<usize> {
        self.base.opt_len()
    }
}

impl<I, F> IndexedParallelIterator for Update<I, F>
where
    I: IndexedParallelIterator,
    F: Fn(&mut I::Item) + Sync + Send,
{
    fn drive<C: Consumer<I::Item>>(self, consumer: C) -> C::Result {
        self.base.drive(UpdateConsumer {
            base: consumer,
            update_op: &self.update_op,
        })
    }

    fn len(&self) -> usize {
        self.base.len()
    }

    fn with_producer<CB: ProducerCallback<I::Item>>(self, callback: CB) -> CB::Output {
        struct Callback<CB, F> {
            callback: CB,
            update_op: F,
        }

        impl<T, CB, F> ProducerCallback<T> for Callback<CB, F>
        where
            CB: ProducerCallback<T>,
            F: Fn(&mut T) + Sync,
        {
            type Output = CB::Output;

            fn callback<P>(self, base: P) -> CB::Output
            where
                P: Producer<Item = T>,
            {
                self.callback.callback(UpdateProducer {
                    base,
                    update_op: &self.update_op,
                })
            }
        }

        self.base.with_producer(Callback {
            callback,
            update_op: self.update_op,
        })
    }
}

struct UpdateProducer<'f, P, F> {
    base: P,
    update_op: &'f F,
}

impl<'f, P, F> Producer for UpdateProducer<'f, P, F>
where
    P: Producer,
    F: Fn(&mut P::Item) + Sync,
{
    type Item = P::Item;
    type IntoIter = UpdateIter<'f, P::IntoIter, F>;

    fn into_iter(self) -> Self::IntoIter {
        UpdateIter {
            base: self.base.into_iter(),
            update_op: self.update_op,
        }
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
            UpdateProducer { base: left, ..self },
            UpdateProducer {
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
            .fold_with(UpdateFolder {
                base: folder,
                update_op: self.update_op,
            })
            .base
    }
}

struct UpdateConsumer<'f, C, F> {
    base: C,
    update_op: &'f F,
}

impl<'f, T, C, F> Consumer<T> for UpdateConsumer<'f, C, F>
where
    C: Consumer<T>,
    F: Fn(&mut T) + Sync,
{
    type Folder = UpdateFolder<'f, C::Folder, F>;
    type Reducer = C::Reducer;
    type Result = C::Result;

    fn split_at(self, index: usize) -> (Self, Self, C::Reducer) {
        let (left, right, reducer) = self.base.split_at(index);
        (
            UpdateConsumer { base: left, ..self },
            UpdateConsumer {
                base: right,
                ..self
            },
            reducer,
        )
    }

    fn into_folder(self) -> Self::Folder {
        UpdateFolder {
            base: self.base.into_folder(),
            update_op: self.update_op,
        }
    }

    fn full(&self) -> bool {
        self.base.full()
    }

    fn split_independent(&self) -> bool {
        self.base.split_independent()
    }
}

impl<T, C, F> UnindexedConsumer<T> for UpdateConsumer<'_, C, F>
where
    C: UnindexedConsumer<T>,
    F: Fn(&mut T) + Sync,
{
    fn split_off_left(&self) -> Self {
        UpdateConsumer {
            base: self.base.split_off_left(),
            ..*self
        }
    }

    fn to_reducer(&self) -> C::Reducer {
        self.base.to_reducer()
    }
}

struct UpdateFolder<'f, C, F> {
    base: C,
    update_op: &'f F,
}

impl<T, C, F> Folder<T> for UpdateFolder<'_, C, F>
where
    C: Folder<T>,
    F: Fn(&mut T),
{
    type Result = C::Result;

    fn consume(self, mut item: T) -> Self {
        (self.update_op)(&mut item);
        UpdateFolder {
            base: self.base.consume(item),
            ..self
        }
    }

    fn consume_iter<I>(self, iter: I) -> Self
    where
        I: IntoIterator<Item = T>,
    {
        let update_op = self.update_op;
        UpdateFolder {
            base: self.base.consume_iter(iter.into_iter().map(|mut item| {
                update_op(&mut item);
                item
            })),
            update_op,
        }
    }

    fn complete(self) -> C::Result {
        self.base.complete()
    }

    fn full(&self) -> bool {
        self.base.full()
    }
}

/// The sequential iterator of an update producer.
struct UpdateIter<'f, I, F> {
    base: I,
    update_op: &'f F,
}

impl<I, F> UpdateIter<'_, I, F>
where
    I: Iterator,
    F: Fn(&mut I::Item),
{
    fn apply(&self, mut item: I::Item) -> I::Item {
        (self.update_op)(&mut item);
        item
    }
}

impl<I, F> Iterator for UpdateIter<'_, I, F>
where
    I: Iterator,
    F: Fn(&mut I::Item),
{
    type Item = I::Item;

    fn next(&mut self) -> Option<I::Item> {
        let item = self.base.next()?;
        Some(self.apply(item))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.base.size_hint()
    }
}

impl<I, F> DoubleEndedIterator for UpdateIter<'_, I, F>
where
    I: DoubleEndedIterator,
    F: Fn(&mut I::Item),
{
    fn next_back(&mut self) -> Option<I::Item> {
        let item = self.base.next_back()?;
        Some(self.apply(item))
    }
}

impl<I, F> ExactSizeIterator for UpdateIter<'_, I, F>
where
    I: ExactSizeIterator,
    F: Fn(&mut I::Item),
{
}
