//! `take_any`: keep some `n` items, whichever come first.

use super::any_prefix::{CountPrefix, PrefixConsumer};
use super::plumbing::UnindexedConsumer;
use super::ParallelIterator;
use crate::sync::AtomicUsize;

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
        self.base
            .drive_unindexed(PrefixConsumer::take(consumer, CountPrefix(&left)))
    }
}
