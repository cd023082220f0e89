//! `skip_any`: leave out some `n` items, whichever come first.

use super::plumbing::{Consumer, Folder, UnindexedConsumer};
use super::take_any::take_one;
use super::ParallelIterator;
use crate::sync::AtomicUsize;

/// Leaves out `n` of the items (or all, if there are fewer), whichever are reached first;
/// see [`ParallelIterator::skip_any`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone, Debug)]
pub struct SkipAny<I> {
    base: I,
    count: usize,
}

impl<I> SkipAny<I> {
    pub(super) fn new(base: I, count: usize) -> Self {
        SkipAny { base, count }
    }
}

impl<I: ParallelIterator> ParallelIterator for SkipAny<I> {
    type Item = I::Item;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<I::Item>,
    {
        let left = AtomicUsize::new(self.count);
        self.base.drive_unindexed(SkipAnyConsumer {
            base: consumer,
            left: &left,
        })
    }
}

struct SkipAnyConsumer<'c, C> {
    base: C,
    /// How many more items to leave out, shared by all pieces.
    left: &'c AtomicUsize,
}

impl<'c, T, C> Consumer<T> for SkipAnyConsumer<'c, C>
where
    C: Consumer<T>,
    T: Send,
{
    type Folder = SkipAnyFolder<'c, C::Folder>;
    type Reducer = C::Reducer;
    type Result = C::Result;

    fn split_at(self, index: usize) -> (Self, Self, C::Reducer) {
        let (left, right, reducer) = self.base.split_at(index);
        (
            SkipAnyConsumer { base: left, ..self },
            SkipAnyConsumer {
                base: right,
                ..self
            },
            reducer,
        )
    }

    fn into_folder(self) -> Self::Folder {
        SkipAnyFolder {
            base: self.base.into_folder(),
            left: self.left,
        }
    }

    fn full(&self) -> bool {
        self.base.full()
    }
}

impl<T, C> UnindexedConsumer<T> for SkipAnyConsumer<'_, C>
where
    C: UnindexedConsumer<T>,
    T: Send,
{
    fn split_off_left(&self) -> Self {
        SkipAnyConsumer {
            base: self.base.split_off_left(),
            ..*self
        }
    }

    fn to_reducer(&self) -> C::Reducer {
        self.base.to_reducer()
    }
}

struct SkipAnyFolder<'c, C> {
    base: C,
    left: &'c AtomicUsize,
}

impl<T, C> Folder<T> for SkipAnyFolder<'_, C>
where
    C: Folder<T>,
{
    type Result = C::Result;

    fn consume(mut self, item: T) -> Self {
        if !take_one(self.left) {
            self.base = self.base.consume(item);
        }
        self
    }

    fn consume_iter<I>(mut self, iter: I) -> Self
    where
        I: IntoIterator<Item = T>,
    {
        let left = self.left;
        self.base = self
            .base
            .consume_iter(iter.into_iter().skip_while(|_| take_one(left)));
        self
    }

    fn complete(self) -> C::Result {
        self.base.complete()
    }

    fn full(&self) -> bool {
        self.base.full()
    }
}
