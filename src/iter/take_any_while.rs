//! `take_any_while`: keep items while a predicate holds, in no particular order.

use super::plumbing::{Consumer, Folder, UnindexedConsumer};
use super::ParallelIterator;
use crate::sync::{AtomicBool, Ordering};
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
        self.base.drive_unindexed(TakeAnyWhileConsumer {
            base: consumer,
            taking: &taking,
            predicate: &self.predicate,
        })
    }
}

/// Whether to take `item`: only while every item so far was accepted.
fn take<T>(item: &T, taking: &AtomicBool, predicate: &impl Fn(&T) -> bool) -> bool {
    if !taking.load(Ordering::Relaxed) {
        false
    } else if predicate(item) {
        true
    } else {
        taking.store(false, Ordering::Relaxed);
        false
    }
}

struct TakeAnyWhileConsumer<'p, C, P> {
    base: C,
    /// Cleared once any piece sees a refused item.
    taking: &'p AtomicBool,
    predicate: &'p P,
}

impl<'p, T, C, P> Consumer<T> for TakeAnyWhileConsumer<'p, C, P>
where
    C: Consumer<T>,
    P: Fn(&T) -> bool + Sync,
{
    type Folder = TakeAnyWhileFolder<'p, C::Folder, P>;
    type Reducer = C::Reducer;
    type Result = C::Result;

    fn split_at(self, index: usize) -> (Self, Self, C::Reducer) {
        let (left, right, reducer) = self.base.split_at(index);
        (
            TakeAnyWhileConsumer { base: left, ..self },
            TakeAnyWhileConsumer {
                base: right,
                ..self
            },
            reducer,
        )
    }

    fn into_folder(self) -> Self::Folder {
        TakeAnyWhileFolder {
            base: self.base.into_folder(),
            taking: self.taking,
            predicate: self.predicate,
        }
    }

    fn full(&self) -> bool {
        !self.taking.load(Ordering::Relaxed) || self.base.full()
    }
}

impl<T, C, P> UnindexedConsumer<T> for TakeAnyWhileConsumer<'_, C, P>
where
    C: UnindexedConsumer<T>,
    P: Fn(&T) -> bool + Sync,
{
    fn split_off_left(&self) -> Self {
        TakeAnyWhileConsumer {
            base: self.base.split_off_left(),
            ..*self
        }
    }

    fn to_reducer(&self) -> C::Reducer {
        self.base.to_reducer()
    }
}

struct TakeAnyWhileFolder<'p, C, P> {
    base: C,
    taking: &'p AtomicBool,
    predicate: &'p P,
}

impl<T, C, P> Folder<T> for TakeAnyWhileFolder<'_, C, P>
where
    C: Folder<T>,
    P: Fn(&T) -> bool,
{
    type Result = C::Result;

    fn consume(mut self, item: T) -> Self {
        if take(&item, self.taking, self.predicate) {
            self.base = self.base.consume(item);
        }
        self
    }

    fn consume_iter<I>(mut self, iter: I) -> Self
    where
        I: IntoIterator<Item = T>,
    {
        let (taking, predicate) = (self.taking, self.predicate);
        self.base = self.base.consume_iter(
            iter.into_iter()
                .take_while(|item| take(item, taking, predicate)),
        );
        self
    }

    fn complete(self) -> C::Result {
        self.base.complete()
    }

    fn full(&self) -> bool {
        !self.taking.load(Ordering::Relaxed) || self.base.full()
    }
}
