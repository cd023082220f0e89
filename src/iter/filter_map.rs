//! `filter_map`: map every item to an option and keep the `Some`s.

use super::plumbing::{Consumer, Folder, UnindexedConsumer};
use super::ParallelIterator;
use std::fmt;

/// Maps every item to an option and keeps the `Some` values; see
/// [`ParallelIterator::filter_map`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone)]
pub struct FilterMap<I, P> {
    base: I,
    filter_op: P,
}

impl<I: fmt::Debug, P> fmt::Debug for FilterMap<I, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilterMap")
            .field("base", &self.base)
            .finish()
    }
}

impl<I, P> FilterMap<I, P> {
    pub(super) fn new(base: I, filter_op: P) -> Self {
        FilterMap { base, filter_op }
    }
}

impl<I, P, R> ParallelIterator for FilterMap<I, P>
where
    I: ParallelIterator,
    P: Fn(I::Item) -> Option<R> + Sync + Send,
    R: Send,
{
    type Item = R;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<R>,
    {
        self.base.drive_unindexed(FilterMapConsumer {
            base: consumer,
            filter_op: &self.filter_op,
        })
    }
}

struct FilterMapConsumer<'p, C, P> {
    base: C,
    filter_op: &'p P,
}

impl<'p, T, R, C, P> Consumer<T> for FilterMapConsumer<'p, C, P>
where
    C: Consumer<R>,
    P: Fn(T) -> Option<R> + Sync,
{
    type Folder = FilterMapFolder<'p, C::Folder, P>;
    type Reducer = C::Reducer;
    type Result = C::Result;

    fn split_at(self, index: usize) -> (Self, Self, C::Reducer) {
        let (left, right, reducer) = self.base.split_at(index);
        (
            FilterMapConsumer {
                base: left,
                filter_op: self.filter_op,
            },
            FilterMapConsumer {
                base: right,
                filter_op: self.filter_op,
            },
            reducer,
        )
    }

    fn into_folder(self) -> Self::Folder {
        FilterMapFolder {
            base: self.base.into_folder(),
            filter_op: self.filter_op,
        }
    }

    fn full(&self) -> bool {
        self.base.full()
    }

    fn split_independent(&self) -> bool {
        self.base.split_independent()
    }
}

impl<T, R, C, P> UnindexedConsumer<T> for FilterMapConsumer<'_, C, P>
where
    C: UnindexedConsumer<R>,
    P: Fn(T) -> Option<R> + Sync,
{
    fn split_off_left(&self) -> Self {
        FilterMapConsumer {
            base: self.base.split_off_left(),
            filter_op: self.filter_op,
        }
    }

    fn to_reducer(&self) -> C::Reducer {
        self.base.to_reducer()
    }
}

struct FilterMapFolder<'p, C, P> {
    base: C,
    filter_op: &'p P,
}

impl<T, R, C, P> Folder<T> for FilterMapFolder<'_, C, P>
where
    C: Folder<R>,
    P: Fn(T) -> Option<R>,
{
    type Result = C::Result;

    fn consume(self, item: T) -> Self {
        match (self.filter_op)(item) {
            Some(mapped) => FilterMapFolder {
                base: self.base.consume(mapped),
                filter_op: self.filter_op,
            },
            None => self,
        }
    }

    fn consume_iter<I>(self, iter: I) -> Self
    where
        I: IntoIterator<Item = T>,
    {
        FilterMapFolder {
            base: self
                .base
                .consume_iter(iter.into_iter().filter_map(self.filter_op)),
            filter_op: self.filter_op,
        }
    }

    fn complete(self) -> C::Result {
        self.base.complete()
    }

    fn full(&self) -> bool {
        self.base.full()
    }
}
