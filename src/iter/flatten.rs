//! `flatten`: yield the items of every parallel iterator an iterator yields.

use super::plumbing::UnindexedConsumer;
use super::{FlatMap, IntoParallelIterator, ParallelIterator};
use std::convert::identity;

/// Yields the items of every item, each itself turned into a parallel iterator; see
/// [`ParallelIterator::flatten`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone, Debug)]
pub struct Flatten<I> {
    base: I,
}

impl<I> Flatten<I> {
    pub(super) fn new(base: I) -> Self {
        Flatten { base }
    }
}

impl<I> ParallelIterator for Flatten<I>
where
    I: ParallelIterator<Item: IntoParallelIterator>,
{
    type Item = <I::Item as IntoParallelIterator>::Item;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<Self::Item>,
    {
        FlatMap::new(self.base, identity).drive_unindexed(consumer)
    }
}
