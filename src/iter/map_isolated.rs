//! `map_isolated`: apply a function to every item, turning a panic into an `Err` for that
//! item alone.
//!
//! The same shape as `map`, with every call of the function run through
//! [`fault::isolate`](crate::fault): a panicking call yields `Err(TaskError::Panicked)`
//! for its item, and the other items are unaffected. Such panics do not print (see
//! [`report_isolated_panics`](crate::fault::report_isolated_panics)).

use super::plumbing::{Consumer, Folder, Producer, ProducerCallback, UnindexedConsumer};
use super::{IndexedParallelIterator, ParallelIterator};
use crate::fault::{isolate, TaskError};
use std::fmt;

/// Applies a function to every item, isolating its panics; see
/// [`ParallelIterator::map_isolated`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone)]
pub struct MapIsolated<I, F> {
    base: I,
    map_op: F,
}

impl<I: fmt::Debug, F> fmt::Debug for MapIsolated<I, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MapIsolated")
            .field("base", &self.base)
            .finish()
    }
}

impl<I, F> MapIsolated<I, F> {
    pub(super) fn new(base: I, map_op: F) -> Self {
        MapIsolated { base, map_op }
    }
}

/// Calls `map_op` on `item` in isolation.
fn call<T, R, F: Fn(T) -> R>(map_op: &F, item: T) -> Result<R, TaskError> {
    isolate(None, || map_op(item))
}

impl<I, F, R> ParallelIterator for MapIsolated<I, F>
where
    I: ParallelIterator,
    F: Fn(I::Item) -> R + Sync + Send,
    R: Send,
{
    type Item = Result<R, TaskError>;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<Self::Item>,
    {
        let map_op = &self.map_op;
        self.base.drive_unindexed(IsolatedConsumer {
            base: consumer,
            map_op,
        })
    }

    fn opt_len(&self) -> Option<usize> {
        self.base.opt_len()
    }
}

impl<I, F, R> IndexedParallelIterator for MapIsolated<I, F>
where
    I: IndexedParallelIterator,
    F: Fn(I::Item) -> R + Sync + Send,
    R: Send,
{
    fn drive<C: Consumer<Self::Item>>(self, consumer: C) -> C::Result {
        let map_op = &self.map_op;
        self.base.drive(IsolatedConsumer {
            base: consumer,
            map_op,
        })
    }

    fn len(&self) -> usize {
        self.base.len()
    }

    fn with_producer<CB: ProducerCallback<Self::Item>>(self, callback: CB) -> CB::Output {
        struct Callback<CB, F> {
            callback: CB,
            map_op: F,
        }

        impl<T, R, CB, F> ProducerCallback<T> for Callback<CB, F>
        where
            CB: ProducerCallback<Result<R, TaskError>>,
            F: Fn(T) -> R + Sync,
            R: Send,
        {
            type Output = CB::Output;

            fn callback<P>(self, base: P) -> CB::Output
            where
                P: Producer<Item = T>,
            {
                self.callback.callback(IsolatedProducer {
                    base,
                    map_op: &self.map_op,
                })
            }
        }

        self.base.with_producer(Callback {
            callback,
            map_op: self.map_op,
        })
    }
}

struct IsolatedProducer<'f, P, F> {
    base: P,
    map_op: &'f F,
}

impl<'f, P, F, R> Producer for IsolatedProducer<'f, P, F>
where
    P: Producer,
    F: Fn(P::Item) -> R + Sync,
    R: Send,
{
    type Item = Result<R, TaskError>;
    type IntoIter = IsolatedIter<'f, P::IntoIter, F>;

    fn into_iter(self) -> Self::IntoIter {
        IsolatedIter {
            base: self.base.into_iter(),
            map_op: self.map_op,
        }
    }

    fn min_len(&self) -> usize {
        self.base.min_len()
    }

    fn max_len(&self) -> usize {
        self.base.max_len()
    }

    fn split_at(self, index: usize) -> (Self, Self) {
        let (left, right) = self.base.split_at(index);
        (
            IsolatedProducer {
                base: left,
                map_op: self.map_op,
            },
            IsolatedProducer {
                base: right,
                map_op: self.map_op,
            },
        )
    }

    fn fold_with<G>(self, folder: G) -> G
    where
        G: Folder<Self::Item>,
    {
        self.base
            .fold_with(IsolatedFolder {
                base: folder,
                map_op: self.map_op,
            })
            .base
    }
}

/// The sequential iterator of an [`IsolatedProducer`].
struct IsolatedIter<'f, I, F> {
    base: I,
    map_op: &'f F,
}

impl<I, F, R> Iterator for IsolatedIter<'_, I, F>
where
    I: Iterator,
    F: Fn(I::Item) -> R,
{
    type Item = Result<R, TaskError>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.base.next()?;
        Some(call(self.map_op, item))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.base.size_hint()
    }
}

impl<I, F, R> DoubleEndedIterator for IsolatedIter<'_, I, F>
where
    I: DoubleEndedIterator,
    F: Fn(I::Item) -> R,
{
    fn next_back(&mut self) -> Option<Self::Item> {
        let item = self.base.next_back()?;
        Some(call(self.map_op, item))
    }
}

impl<I, F, R> ExactSizeIterator for IsolatedIter<'_, I, F>
where
    I: ExactSizeIterator,
    F: Fn(I::Item) -> R,
{
}

struct IsolatedConsumer<'f, C, F> {
    base: C,
    map_op: &'f F,
}

impl<'f, T, R, C, F> Consumer<T> for IsolatedConsumer<'f, C, F>
where
    C: Consumer<Result<R, TaskError>>,
    F: Fn(T) -> R + Sync,
    R: Send,
{
    type Folder = IsolatedFolder<'f, C::Folder, F>;
    type Reducer = C::Reducer;
    type Result = C::Result;

    fn split_at(self, index: usize) -> (Self, Self, C::Reducer) {
        let (left, right, reducer) = self.base.split_at(index);
        (
            IsolatedConsumer {
                base: left,
                map_op: self.map_op,
            },
            IsolatedConsumer {
                base: right,
                map_op: self.map_op,
            },
            reducer,
        )
    }

    fn into_folder(self) -> Self::Folder {
        IsolatedFolder {
            base: self.base.into_folder(),
            map_op: self.map_op,
        }
    }

    fn full(&self) -> bool {
        self.base.full()
    }

    fn split_independent(&self) -> bool {
        self.base.split_independent()
    }
}

impl<T, R, C, F> UnindexedConsumer<T> for IsolatedConsumer<'_, C, F>
where
    C: UnindexedConsumer<Result<R, TaskError>>,
    F: Fn(T) -> R + Sync,
    R: Send,
{
    fn split_off_left(&self) -> Self {
        IsolatedConsumer {
            base: self.base.split_off_left(),
            map_op: self.map_op,
        }
    }

    fn to_reducer(&self) -> C::Reducer {
        self.base.to_reducer()
    }
}

struct IsolatedFolder<'f, C, F> {
    base: C,
    map_op: &'f F,
}

impl<T, R, C, F> Folder<T> for IsolatedFolder<'_, C, F>
where
    C: Folder<Result<R, TaskError>>,
    F: Fn(T) -> R,
{
    type Result = C::Result;

    fn consume(self, item: T) -> Self {
        IsolatedFolder {
            base: self.base.consume(call(self.map_op, item)),
            map_op: self.map_op,
        }
    }

    fn consume_iter<I>(self, iter: I) -> Self
    where
        I: IntoIterator<Item = T>,
    {
        let map_op = self.map_op;
        IsolatedFolder {
            base: self
                .base
                .consume_iter(iter.into_iter().map(|item| call(map_op, item))),
            map_op,
        }
    }

    fn complete(self) -> C::Result {
        self.base.complete()
    }

    fn full(&self) -> bool {
        self.base.full()
    }
}
