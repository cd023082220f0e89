//! `positions`: the indices of the items a predicate accepts.

use super::plumbing::UnindexedConsumer;
use super::{IndexedParallelIterator, ParallelIterator};
use std::fmt;

/// Yields the indices of the items a predicate accepts; see
/// [`IndexedParallelIterator::positions`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone)]
pub struct Positions<I, P> {
    base: I,
    predicate: P,
}

impl<I: fmt::Debug, P> fmt::Debug for Positions<I, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Positions")
            .field("base", &self.base)
            .finish()
    }
}

impl<I, P> Positions<I, P> {
    pub(super) fn new(base: I, predicate: P) -> Self {
        Positions { base, predicate }
    }
}

impl<I, P> ParallelIterator for Positions<I, P>
where
    I: IndexedParallelIterator,
    P: Fn(I::Item) -> bool + Sync + Send,
{
    type Item = usize;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<usize>,
    {
        let predicate = &self.predicate;
        self.base
            .enumerate()
            .filter_map(|(index, item)| predicate(item).then_some(index))
            .drive_unindexed(consumer)
    }
}
