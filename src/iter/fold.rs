//! `fold` and `fold_with`: fold each piece of work into one value.

use super::plumbing::{Consumer, Folder, UnindexedConsumer};
use super::ParallelIterator;
use std::fmt;

/// Folds each piece of work into one value started from `identity()`; see
/// [`ParallelIterator::fold`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone)]
pub struct Fold<I, ID, F> {
    base: I,
    identity: ID,
    fold_op: F,
}

impl<I: fmt::Debug, ID, F> fmt::Debug for Fold<I, ID, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fold").field("base", &self.base).finish()
    }
}

impl<I, ID, F> Fold<I, ID, F> {
    pub(super) fn new(base: I, identity: ID, fold_op: F) -> Self {
        Fold {
            base,
            identity,
            fold_op,
        }
    }
}

impl<U, I, ID, F> ParallelIterator for Fold<I, ID, F>
where
    I: ParallelIterator,
    F: Fn(U, I::Item) -> U + Sync + Send,
    ID: Fn() -> U + Sync + Send,
    U: Send,
{
    type Item = U;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<U>,
    {
        self.base.drive_unindexed(FoldConsumer {
            base: consumer,
            identity: &self.identity,
            fold_op: &self.fold_op,
        })
    }
}

struct FoldConsumer<'f, C, ID, F> {
    base: C,
    identity: &'f ID,
    fold_op: &'f F,
}

impl<'f, T, U, C, ID, F> Consumer<T> for FoldConsumer<'f, C, ID, F>
where
    C: Consumer<U>,
    F: Fn(U, T) -> U + Sync,
    ID: Fn() -> U + Sync,
    U: Send,
{
    type Folder = FoldFolder<'f, C::Folder, U, F>;
    type Reducer = C::Reducer;
    type Result = C::Result;

    fn split_at(self, index: usize) -> (Self, Self, C::Reducer) {
        let (left, right, reducer) = self.base.split_at(index);
        (
            FoldConsumer { base: left, ..self },
            FoldConsumer {
                base: right,
                ..self
            },
            reducer,
        )
    }

    fn into_folder(self) -> Self::Folder {
        FoldFolder {
            base: self.base.into_folder(),
            item: (self.identity)(),
            fold_op: self.fold_op,
        }
    }

    fn full(&self) -> bool {
        self.base.full()
    }
}

impl<T, U, C, ID, F> UnindexedConsumer<T> for FoldConsumer<'_, C, ID, F>
where
    C: UnindexedConsumer<U>,
    F: Fn(U, T) -> U + Sync,
    ID: Fn() -> U + Sync,
    U: Send,
{
    fn split_off_left(&self) -> Self {
        FoldConsumer {
            base: self.base.split_off_left(),
            ..*self
        }
    }

    fn to_reducer(&self) -> C::Reducer {
        self.base.to_reducer()
    }
}

/// Folds the items of one piece into `item`, which goes to `base` when the piece is done.
struct FoldFolder<'f, C, U, F> {
    base: C,
    item: U,
    fold_op: &'f F,
}

impl<T, U, C, F> Folder<T> for FoldFolder<'_, C, U, F>
where
    C: Folder<U>,
    F: Fn(U, T) -> U,
{
    type Result = C::Result;

    fn consume(self, item: T) -> Self {
        FoldFolder {
            item: (self.fold_op)(self.item, item),
            ..self
        }
    }

    fn consume_iter<I>(self, iter: I) -> Self
    where
        I: IntoIterator<Item = T>,
    {
        let base = &self.base;
        let item = fold_items(self.item, iter, || base.full(), self.fold_op);
        FoldFolder { item, ..self }
    }

    fn complete(self) -> C::Result {
        self.base.consume(self.item).complete()
    }

    fn full(&self) -> bool {
        self.base.full()
    }
}

/// Folds each piece of work into one value started from a clone of `init`; see
/// [`ParallelIterator::fold_with`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone)]
pub struct FoldWith<I, U, F> {
    base: I,
    item: U,
    fold_op: F,
}

impl<I: fmt::Debug, U: fmt::Debug, F> fmt::Debug for FoldWith<I, U, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FoldWith")
            .field("base", &self.base)
            .field("item", &self.item)
            .finish()
    }
}

impl<I, U, F> FoldWith<I, U, F> {
    pub(super) fn new(base: I, item: U, fold_op: F) -> Self {
        FoldWith {
            base,
            item,
            fold_op,
        }
    }
}

impl<U, I, F> ParallelIterator for FoldWith<I, U, F>
where
    I: ParallelIterator,
    F: Fn(U, I::Item) -> U + Sync + Send,
    U: Send + Clone,
{
    type Item = U;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<U>,
    {
        self.base.drive_unindexed(FoldWithConsumer {
            base: consumer,
            item: self.item,
            fold_op: &self.fold_op,
        })
    }
}

struct FoldWithConsumer<'f, C, U, F> {
    base: C,
    item: U,
    fold_op: &'f F,
}

impl<'f, T, U, C, F> Consumer<T> for FoldWithConsumer<'f, C, U, F>
where
    C: Consumer<U>,
    F: Fn(U, T) -> U + Sync,
    U: Send + Clone,
{
    type Folder = FoldFolder<'f, C::Folder, U, F>;
    type Reducer = C::Reducer;
    type Result = C::Result;

    fn split_at(self, index: usize) -> (Self, Self, C::Reducer) {
        let (left, right, reducer) = self.base.split_at(index);
        (
            FoldWithConsumer {
                base: left,
                item: self.item.clone(),
                fold_op: self.fold_op,
            },
            FoldWithConsumer {
                base: right,
                item: self.item,
                fold_op: self.fold_op,
            },
            reducer,
        )
    }

    fn into_folder(self) -> Self::Folder {
        FoldFolder {
            base: self.base.into_folder(),
            item: self.item,
            fold_op: self.fold_op,
        }
    }

    fn full(&self) -> bool {
        self.base.full()
    }
}

impl<T, U, C, F> UnindexedConsumer<T> for FoldWithConsumer<'_, C, U, F>
where
    C: UnindexedConsumer<U>,
    F: Fn(U, T) -> U + Sync,
    U: Send + Clone,
{
    fn split_off_left(&self) -> Self {
        FoldWithConsumer {
            base: self.base.split_off_left(),
            item: self.item.clone(),
            fold_op: self.fold_op,
        }
    }

    fn to_reducer(&self) -> C::Reducer {
        self.base.to_reducer()
    }
}

/// Folds `items` into `acc` with `op`, item by item, until `stop()` says to stop: the loop
/// every folding folder runs, written for large accumulators (a histogram array, say).
///
/// - A plain loop, not `take_while(..).fold(..)`: that adaptor threads the accumulator
///   through `ControlFlow` values, which cost two more copies of it per item.
/// - The accumulator sits in a cache-line-aligned slot. Each step still copies it (into
///   `op`'s argument and back), and the speed of those copies depends on how the stack
///   happens to be aligned: measured on a 2 KiB array, an unaligned frame made the same
///   loop 1.4 times slower in one build of the crate than in another. An aligned slot
///   makes the frame aligned, whatever the depth of the call. An accumulator held in
///   registers (a number) never touches the slot.
pub(super) fn fold_items<T, U>(
    acc: U,
    items: impl IntoIterator<Item = T>,
    stop: impl Fn() -> bool,
    op: impl Fn(U, T) -> U,
) -> U {
    let mut slot = CacheLineAligned(acc);
    for item in items {
        if stop() {
            break;
        }
        slot.0 = op(slot.0, item);
    }
    slot.0
}

#[repr(align(64))]
struct CacheLineAligned<T>(T);
