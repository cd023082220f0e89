//! `take_any_while`: keep items while a predicate holds, in no particular order.

use super::any_prefix::{PrefixConsumer, WhilePrefix};
use super::plumbing::UnindexedConsumer;
use super::ParallelIterator;
use crate::sync::AtomicBool;
use std::fmt;

/// Keeps items while `predicate` accepts them; once any item is refused, no more items are
/// taken (items elsewhere may have been taken already); see
/// [`ParallelIterator::take_any_while`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone)]
pub struct TakeAnyWhile<I, P> {
    base: I,
    predicate: P,
}

impl<I: fmt::Debug, P> fmt::Debug for TakeAnyWhile<I, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TakeAnyWhile")
            .field("base", &self.base)
            .finish()
    }
}

impl<I, P> TakeAnyWhile<I, P> {
    pub(super) fn new(base: I, predicate: P) -> Self {
        TakeAnyWhile { base, predicate }
    }
}

impl<I, P> ParallelIterator for TakeAnyWhile<I, P>
where
    I: ParallelIterator,
    P: Fn(&I::Item) -> bool + Sync + Send,
{
    type Item = I::Item;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<I::Item>,
    {
        let taking = AtomicBool::new(true);
        let prefix = WhilePrefix {
            open: &taking,
            predicate: &self.predicate,
        };
        self.base
            .drive_unindexed(PrefixConsumer::take(consumer, prefix))
    }
}
