//! `skip_any`: leave out some `n` items, whichever come first.

use super::any_prefix::{CountPrefix, PrefixConsumer};
use super::plumbing::UnindexedConsumer;
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
        self.base
            .drive_unindexed(PrefixConsumer::skip(consumer, CountPrefix(&left)))
    }
}
