//! `skip_any_while`: leave out items while a predicate holds, in no particular order.

use super::plumbing::{Consumer, Folder, UnindexedConsumer};
use super::ParallelIterator;
use crate::sync::{AtomicBool, Ordering};
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
        self.base.drive_unindexed(SkipAnyWhileConsumer {
            base: consumer,
            skipping: &skipping,
            predicate: &self.predicate,
        })
    }
}

/// Whether to leave `item` out: only while every item so far was accepted.
fn skip<T>(item: &T, skipping: &AtomicBool, predicate: &impl Fn(&T) -> bool) -> bool {
    if !skipping.load(Ordering::Relaxed) {
        false
    } else if predicate(item) {
        true
    } else {
        skipping.store(false, Ordering::Relaxed);
        false
    }
}

struct SkipAnyWhileConsumer<'p, C, P> {
    base: C,
    /// Cleared once any piece sees a refused item.
    skipping: &'p AtomicBool,
    predicate: &'p P,
}

impl<'p, T, C, P> Consumer<T> for SkipAnyWhileConsumer<'p, C, P>
where
    C: Consumer<T>,
    P: Fn(&T) -> bool + Sync,
{
    type Folder = SkipAnyWhileFolder<'p, C::Folder, P>;
    type Reducer = C::Reducer;
    type Result = C::Result;

    fn split_at(self, index: usize) -> (Self, Self, C::Reducer) {
        let (left, right, reducer) = self.base.split_at(index);
        (
            SkipAnyWhileConsumer { base: left, ..self },
            SkipAnyWhileConsumer {
                base: right,
                ..self
            },
            reducer,
        )
    }

    fn into_folder(self) -> Self::Folder {
        SkipAnyWhileFolder {
            base: self.base.into_folder(),
            skipping: self.skipping,
            predicate: self.predicate,
        }
    }

    fn full(&self) -> bool {
        self.base.full()
    }
}

impl<T, C, P> UnindexedConsumer<T> for SkipAnyWhileConsumer<'_, C, P>
where
    C: UnindexedConsumer<T>,
    P: Fn(&T) -> bool + Sync,
{
    fn split_off_left(&self) -> Self {
        SkipAnyWhileConsumer {
            base: self.base.split_off_left(),
            ..*self
        }
    }

    fn to_reducer(&self) -> C::Reducer {
        self.base.to_reducer()
    }
}

struct SkipAnyWhileFolder<'p, C, P> {
    base: C,
    skipping: &'p AtomicBool,
    predicate: &'p P,
}

impl<T, C, P> Folder<T> for SkipAnyWhileFolder<'_, C, P>
where
    C: Folder<T>,
    P: Fn(&T) -> bool,
{
    type Result = C::Result;

    fn consume(mut self, item: T) -> Self {
        if !skip(&item, self.skipping, self.predicate) {
            self.base = self.base.consume(item);
        }
        self
    }

    fn consume_iter<I>(mut self, iter: I) -> Self
    where
        I: IntoIterator<Item = T>,
    {
        let (skipping, predicate) = (self.skipping, self.predicate);
        self.base = self.base.consume_iter(
            iter.into_iter()
                .skip_while(|item| skip(item, skipping, predicate)),
        );
        self
    }

    fn complete(self) -> C::Result {
        self.base.complete()
    }

    fn full(&self) -> bool {
        self.base.full()
    }
}
