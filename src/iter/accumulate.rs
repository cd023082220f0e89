//! A consumer that folds items into an accumulator and combines accumulators: the shared
//! engine of `sum` and `product`.

use super::plumbing::{Consumer, Folder, Reducer, UnindexedConsumer};
use std::marker::PhantomData;

/// How items of type `T` accumulate into `Self`.
pub(super) trait Accumulator<T>: Sized + Send {
    /// The accumulation of no items.
    fn empty() -> Self;
    /// The accumulation of `items`.
    fn accumulate<I: Iterator<Item = T>>(items: I) -> Self;
    /// Two adjacent accumulations combined, `self` first.
    fn combine(self, right: Self) -> Self;
}

pub(super) struct AccumulateConsumer<A, T> {
    marker: PhantomData<fn(T) -> A>,
}

impl<A, T> AccumulateConsumer<A, T> {
    pub(super) fn new() -> Self {
        AccumulateConsumer {
            marker: PhantomData,
        }
    }
}

impl<A: Accumulator<T>, T> Consumer<T> for AccumulateConsumer<A, T> {
    type Folder = AccumulateFolder<A>;
    type Reducer = Self;
    type Result = A;

    fn split_at(self, _index: usize) -> (Self, Self, Self) {
        (Self::new(), Self::new(), self)
    }

    fn into_folder(self) -> AccumulateFolder<A> {
        AccumulateFolder(A::empty())
    }

    fn full(&self) -> bool {
        false
    }
}

impl<A: Accumulator<T>, T> UnindexedConsumer<T> for AccumulateConsumer<A, T> {
    fn split_off_left(&self) -> Self {
        Self::new()
    }

    fn to_reducer(&self) -> Self {
        Self::new()
    }
}

impl<A: Accumulator<T>, T> Reducer<A> for AccumulateConsumer<A, T> {
    fn reduce(self, left: A, right: A) -> A {
        left.combine(right)
    }
}

pub(super) struct AccumulateFolder<A>(A);

impl<A: Accumulator<T>, T> Folder<T> for AccumulateFolder<A> {
    type Result = A;

    fn consume(self, item: T) -> Self {
        AccumulateFolder(self.0.combine(A::accumulate(std::iter::once(item))))
    }

    fn consume_iter<I>(self, iter: I) -> Self
    where
        I: IntoIterator<Item = T>,
    {
        AccumulateFolder(self.0.combine(A::accumulate(iter.into_iter())))
    }

    fn complete(self) -> A {
        self.0
    }

    fn full(&self) -> bool {
        false
    }
}
