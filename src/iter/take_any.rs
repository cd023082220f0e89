//! `take_any`: keep some `n` items, whichever come first.

use super::plumbing::{Consumer, Folder, UnindexedConsumer};
use super::ParallelIterator;
use crate::sync::{AtomicUsize, Ordering};

/// Keeps `n` of the items (or all, if there are fewer), whichever are reached first; see
/// [`ParallelIterator::take_any`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone, Debug)]
pub struct TakeAny<I> {
    base: I,
    count: usize,
}

impl<I> TakeAny<I> {
    pub(super) fn new(base: I, count: usize) -> Self {
        TakeAny { base, count }
    }
}

impl<I: ParallelIterator> ParallelIterator for TakeAny<I> {
    type Item = I::Item;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<I::Item>,
    {
        let left = AtomicUsize::new(self.count);
        self.base.drive_unindexed(TakeAnyConsumer {
            base: consumer,
            left: &left,
        })
    }
}

/// Takes one from `counter` unless it is zero; true if it did.
pub(super) fn take_one(counter: &AtomicUsize) -> bool {
    counter
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
        .is_ok()
}

struct TakeAnyConsumer<'c, C> {
    base: C,
    /// How many more items may be kept, shared by all pieces.
    left: &'c AtomicUsize,
}

impl<'c, T, C> Consumer<T> for TakeAnyConsumer<'c, C>
where
    C: Consumer<T>,
    T: Send,
{
    type Folder = TakeAnyFolder<'c, C::Folder>;
    type Reducer = C::Reducer;
    type Result = C::Result;

    fn split_at(self, index: usize) -> (Self, Self, C::Reducer) {
        let (left, right, reducer) = self.base.split_at(index);
        (
            TakeAnyConsumer { base: left, ..self },
            TakeAnyConsumer {
                base: right,
                ..self
            },
            reducer,
        )
    }

    fn into_folder(self) -> Self::Folder {
        TakeAnyFolder {
            base: self.base.into_folder(),
            left: self.left,
        }
    }

    fn full(&self) -> bool {
        self.left.load(Ordering::Relaxed) == 0 || self.base.full()
    }
}

impl<T, C> UnindexedConsumer<T> for TakeAnyConsumer<'_, C>
where
    C: UnindexedConsumer<T>,
    T: Send,
{
    fn split_off_left(&self) -> Self {
        TakeAnyConsumer {
            base: self.base.split_off_left(),
            ..*self
        }
    }

    fn to_reducer(&self) -> C::Reducer {
        self.base.to_reducer()
    }
}

struct TakeAnyFolder<'c, C> {
    base: C,
    left: &'c AtomicUsize,
}

impl<T, C> Folder<T> for TakeAnyFolder<'_, C>
where
    C: Folder<T>,
{
    type Result = C::Result;

    fn consume(mut self, item: T) -> Self {
        if take_one(self.left) {
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
            .consume_iter(iter.into_iter().take_while(|_| take_one(left)));
        self
    }

    fn complete(self) -> C::Result {
        self.base.complete()
    }

    fn full(&self) -> bool {
        self.left.load(Ordering::Relaxed) == 0 || self.base.full()
    }
}
