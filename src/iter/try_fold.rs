//! `try_fold` and `try_fold_with`: fold each piece of work into one value, stopping the
//! piece at the first failure.

use super::plumbing::{Consumer, Folder, UnindexedConsumer};
use super::try_trait::Try;
use super::ParallelIterator;
use std::fmt;
use std::marker::PhantomData;
use std::ops::ControlFlow::{self, Break, Continue};

/// Folds each piece of work with a fallible operation started from `identity()`; see
/// [`ParallelIterator::try_fold`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
pub struct TryFold<I, U, ID, F> {
    base: I,
    identity: ID,
    fold_op: F,
    marker: PhantomData<U>,
}

impl<I: Clone, U, ID: Clone, F: Clone> Clone for TryFold<I, U, ID, F> {
    fn clone(&self) -> Self {
        TryFold {
            base: self.base.clone(),
            identity: self.identity.clone(),
            fold_op: self.fold_op.clone(),
            marker: PhantomData,
        }
    }
}

impl<I: fmt::Debug, U, ID, F> fmt::Debug for TryFold<I, U, ID, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TryFold").field("base", &self.base).finish()
    }
}

impl<I, U, ID, F> TryFold<I, U, ID, F> {
    pub(super) fn new(base: I, identity: ID, fold_op: F) -> Self {
        TryFold {
            base,
            identity,
            fold_op,
            marker: PhantomData,
        }
    }
}

impl<U, I, ID, F> ParallelIterator for TryFold<I, U, ID, F>
where
    I: ParallelIterator,
    F: Fn(U::Output, I::Item) -> U + Sync + Send,
    ID: Fn() -> U::Output + Sync + Send,
    U: Try + Send,
{
    type Item = U;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<U>,
    {
        self.base.drive_unindexed(TryFoldConsumer {
            base: consumer,
            identity: &self.identity,
            fold_op: &self.fold_op,
            marker: PhantomData,
        })
    }
}

struct TryFoldConsumer<'f, C, U, ID, F> {
    base: C,
    identity: &'f ID,
    fold_op: &'f F,
    marker: PhantomData<fn() -> U>,
}

impl<'f, T, U, C, ID, F> Consumer<T> for TryFoldConsumer<'f, C, U, ID, F>
where
    C: Consumer<U>,
    F: Fn(U::Output, T) -> U + Sync,
    ID: Fn() -> U::Output + Sync,
    U: Try + Send,
{
    type Folder = TryFoldFolder<'f, C::Folder, U, F>;
    type Reducer = C::Reducer;
    type Result = C::Result;

    fn split_at(self, index: usize) -> (Self, Self, C::Reducer) {
        let (left, right, reducer) = self.base.split_at(index);
        (
            TryFoldConsumer { base: left, ..self },
            TryFoldConsumer {
                base: right,
                ..self
            },
            reducer,
        )
    }

    fn into_folder(self) -> Self::Folder {
        TryFoldFolder {
            base: self.base.into_folder(),
            control: Continue((self.identity)()),
            fold_op: self.fold_op,
        }
    }

    fn full(&self) -> bool {
        self.base.full()
    }
}

impl<T, U, C, ID, F> UnindexedConsumer<T> for TryFoldConsumer<'_, C, U, ID, F>
where
    C: UnindexedConsumer<U>,
    F: Fn(U::Output, T) -> U + Sync,
    ID: Fn() -> U::Output + Sync,
    U: Try + Send,
{
    fn split_off_left(&self) -> Self {
        TryFoldConsumer {
            base: self.base.split_off_left(),
            ..*self
        }
    }

    fn to_reducer(&self) -> C::Reducer {
        self.base.to_reducer()
    }
}

/// Folds the items of one piece until the first failure; the outcome goes to `base` when
/// the piece is done.
struct TryFoldFolder<'f, C, U: Try, F> {
    base: C,
    control: ControlFlow<U::Residual, U::Output>,
    fold_op: &'f F,
}

impl<T, U, C, F> Folder<T> for TryFoldFolder<'_, C, U, F>
where
    C: Folder<U>,
    F: Fn(U::Output, T) -> U,
    U: Try,
{
    type Result = C::Result;

    fn consume(self, item: T) -> Self {
        let control = match self.control {
            Continue(acc) => (self.fold_op)(acc, item).branch(),
            stopped => stopped,
        };
        TryFoldFolder { control, ..self }
    }

    fn complete(self) -> C::Result {
        let outcome = match self.control {
            Continue(output) => U::from_output(output),
            Break(residual) => U::from_residual(residual),
        };
        self.base.consume(outcome).complete()
    }

    fn full(&self) -> bool {
        self.control.is_break() || self.base.full()
    }
}

/// Folds each piece of work with a fallible operation started from a clone of `init`; see
/// [`ParallelIterator::try_fold_with`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
pub struct TryFoldWith<I, U: Try, F> {
    base: I,
    item: U::Output,
    fold_op: F,
}

impl<I: Clone, U: Try<Output: Clone>, F: Clone> Clone for TryFoldWith<I, U, F> {
    fn clone(&self) -> Self {
        TryFoldWith {
            base: self.base.clone(),
            item: self.item.clone(),
            fold_op: self.fold_op.clone(),
        }
    }
}

impl<I: fmt::Debug, U: Try<Output: fmt::Debug>, F> fmt::Debug for TryFoldWith<I, U, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TryFoldWith")
            .field("base", &self.base)
            .field("item", &self.item)
            .finish()
    }
}

impl<I, U: Try, F> TryFoldWith<I, U, F> {
    pub(super) fn new(base: I, item: U::Output, fold_op: F) -> Self {
        TryFoldWith {
            base,
            item,
            fold_op,
        }
    }
}

impl<U, I, F> ParallelIterator for TryFoldWith<I, U, F>
where
    I: ParallelIterator,
    F: Fn(U::Output, I::Item) -> U + Sync + Send,
    U: Try<Output: Clone + Send> + Send,
{
    type Item = U;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<U>,
    {
        self.base.drive_unindexed(TryFoldWithConsumer {
            base: consumer,
            item: self.item,
            fold_op: &self.fold_op,
        })
    }
}

struct TryFoldWithConsumer<'f, C, U: Try, F> {
    base: C,
    item: U::Output,
    fold_op: &'f F,
}

impl<'f, T, U, C, F> Consumer<T> for TryFoldWithConsumer<'f, C, U, F>
where
    C: Consumer<U>,
    F: Fn(U::Output, T) -> U + Sync,
    U: Try<Output: Clone + Send> + Send,
{
    type Folder = TryFoldFolder<'f, C::Folder, U, F>;
    type Reducer = C::Reducer;
    type Result = C::Result;

    fn split_at(self, index: usize) -> (Self, Self, C::Reducer) {
        let (left, right, reducer) = self.base.split_at(index);
        (
            TryFoldWithConsumer {
                base: left,
                item: self.item.clone(),
                fold_op: self.fold_op,
            },
            TryFoldWithConsumer {
                base: right,
                item: self.item,
                fold_op: self.fold_op,
            },
            reducer,
        )
    }

    fn into_folder(self) -> Self::Folder {
        TryFoldFolder {
            base: self.base.into_folder(),
            control: Continue(self.item),
            fold_op: self.fold_op,
        }
    }

    fn full(&self) -> bool {
        self.base.full()
    }
}

impl<T, U, C, F> UnindexedConsumer<T> for TryFoldWithConsumer<'_, C, U, F>
where
    C: UnindexedConsumer<U>,
    F: Fn(U::Output, T) -> U + Sync,
    U: Try<Output: Clone + Send> + Send,
{
    fn split_off_left(&self) -> Self {
        TryFoldWithConsumer {
            base: self.base.split_off_left(),
            item: self.item.clone(),
            fold_op: self.fold_op,
        }
    }

    fn to_reducer(&self) -> C::Reducer {
        self.base.to_reducer()
    }
}
