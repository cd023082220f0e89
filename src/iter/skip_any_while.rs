//! `skip_any_while`: leave out items while a predicate holds, in no particular order.

use super::any_prefix::{PrefixConsumer, WhilePrefix};
use super::plumbing::UnindexedConsumer;
use super::ParallelIterator;
use crate::sync::AtomicBool;
use std::fmt;

/// Leaves out items while `predicate` accepts them; once any item is refused, every later
/// item is kept (items elsewhere may have been left out already); see
/// [`ParallelIterator::skip_any_while`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone)]
pub struct SkipAnyWhile<I, P> {
    base: I,
    predicate: P,
}

impl<I: fmt::Debug, P> fmt::Debug for SkipAnyWhile<I, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SkipAnyWhile")
            .field("base", &self.base)
            .finish()
    }
}

impl<I, P> SkipAnyWhile<I, P> {
    pub(super) fn new(base: I, predicate: P) -> Self {
        SkipAnyWhile { base, predicate }
    }
}

impl<I, P> ParallelIterator for SkipAnyWhile<I, P>
where
    I: ParallelIterator,
    P: Fn(&I::Item) -> bool + Sync + Send,
{
    type Item = I::Item;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<I::Item>,
    {
        let skipping = AtomicBool::new(true);
        let prefix = WhilePrefix {
            open: &skipping,
            predicate: &self.predicate,
        };
        self.base
            .drive_unindexed(PrefixConsumer::skip(consumer, prefix))
    }
}
