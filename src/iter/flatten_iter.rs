//! `flatten_iter`: yield the items of every sequential iterator an iterator yields.

use super::plumbing::UnindexedConsumer;
use super::{FlatMapIter, ParallelIterator};
use std::convert::identity;

/// Yields the items of every item, each itself turned into a sequential iterator; see
/// [`ParallelIterator::flatten_iter`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone, Debug)]
pub struct FlattenIter<I> {
    base: I,
}

impl<I> FlattenIter<I> {
    pub(super) fn new(base: I) -> Self {
        FlattenIter { base }
    }
}

impl<I> ParallelIterator for FlattenIter<I>
where
    I: ParallelIterator<Item: IntoIterator<Item: Send>>,
{
    type Item = <I::Item as IntoIterator>::Item;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<Self::Item>,
    {
        FlatMapIter::new(self.base, identity).drive_unindexed(consumer)
    }
}
