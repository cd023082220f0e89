//! `try_reduce` and `try_reduce_with`: combine fallible items, stopping at the first failure
//! any piece meets.

use super::plumbing::{Consumer, Folder, Reducer, UnindexedConsumer};
use super::stop_flag::StopFlag;
use super::try_trait::Try;
use super::ParallelIterator;
use std::ops::ControlFlow::{self, Break, Continue};

/// Combines the items with `reduce_op`, each piece starting from `identity()`.
pub(super) fn try_reduce<PI, R, ID, T>(pi: PI, identity: &ID, reduce_op: &R) -> T
where
    PI: ParallelIterator<Item = T>,
    R: Fn(T::Output, T::Output) -> T + Sync,
    ID: Fn() -> T::Output + Sync,
    T: Try + Send,
{
    let seed = || Some(identity());
    drive(pi, &seed, reduce_op).unwrap_or_else(|| T::from_output(identity()))
}

/// Combines the items with `reduce_op`; `None` when there are no items.
pub(super) fn try_reduce_with<PI, R, T>(pi: PI, reduce_op: &R) -> Option<T>
where
    PI: ParallelIterator<Item = T>,
    R: Fn(T::Output, T::Output) -> T + Sync,
    T: Try + Send,
{
    drive(pi, &|| None, reduce_op)
}

/// Runs the reduction; every piece starts from `seed()`, and a piece that neither had a seed
/// nor met an item yields `None`.
fn drive<PI, R, S, T>(pi: PI, seed: &S, reduce_op: &R) -> Option<T>
where
    PI: ParallelIterator<Item = T>,
    R: Fn(T::Output, T::Output) -> T + Sync,
    S: Fn() -> Option<T::Output> + Sync,
    T: Try + Send,
{
    let stop = StopFlag::new();
    pi.drive_unindexed(TryReduceConsumer {
        seed,
        reduce_op,
        stop: &stop,
    })
}

/// Combines two partial results: the left failure wins, then the right one.
fn combine<R, T>(reduce_op: &R, left: T, right: T) -> T
where
    R: Fn(T::Output, T::Output) -> T,
    T: Try,
{
    match left.branch() {
        Continue(left) => match right.branch() {
            Continue(right) => reduce_op(left, right),
            Break(residual) => T::from_residual(residual),
        },
        Break(residual) => T::from_residual(residual),
    }
}

struct TryReduceConsumer<'r, R, S> {
    seed: &'r S,
    reduce_op: &'r R,
    stop: &'r StopFlag,
}

impl<R, S> Clone for TryReduceConsumer<'_, R, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R, S> Copy for TryReduceConsumer<'_, R, S> {}

impl<'r, R, S, T> Consumer<T> for TryReduceConsumer<'r, R, S>
where
    R: Fn(T::Output, T::Output) -> T + Sync,
    S: Fn() -> Option<T::Output> + Sync,
    T: Try + Send,
{
    type Folder = TryReduceFolder<'r, R, T>;
    type Reducer = Self;
    type Result = Option<T>;

    fn split_at(self, _index: usize) -> (Self, Self, Self) {
        (self, self, self)
    }

    fn into_folder(self) -> Self::Folder {
        TryReduceFolder {
            reduce_op: self.reduce_op,
            stop: self.stop,
            acc: (self.seed)().map(Continue),
        }
    }

    fn full(&self) -> bool {
        self.stop.is_raised()
    }
}

impl<R, S, T> UnindexedConsumer<T> for TryReduceConsumer<'_, R, S>
where
    R: Fn(T::Output, T::Output) -> T + Sync,
    S: Fn() -> Option<T::Output> + Sync,
    T: Try + Send,
{
    fn split_off_left(&self) -> Self {
        *self
    }

    fn to_reducer(&self) -> Self {
        *self
    }
}

impl<R, S, T> Reducer<Option<T>> for TryReduceConsumer<'_, R, S>
where
    R: Fn(T::Output, T::Output) -> T,
    T: Try,
{
    fn reduce(self, left: Option<T>, right: Option<T>) -> Option<T> {
        match (left, right) {
            (Some(left), Some(right)) => Some(combine(self.reduce_op, left, right)),
            (left, None) => left,
            (None, right) => right,
        }
    }
}

struct TryReduceFolder<'r, R, T: Try> {
    reduce_op: &'r R,
    stop: &'r StopFlag,
    /// `None` until the first item arrives (when there is no seed); `Break` once failed.
    acc: Option<ControlFlow<T::Residual, T::Output>>,
}

impl<R, T> Folder<T> for TryReduceFolder<'_, R, T>
where
    R: Fn(T::Output, T::Output) -> T,
    T: Try,
{
    type Result = Option<T>;

    fn consume(mut self, item: T) -> Self {
        let acc = match self.acc.take() {
            None => item.branch(),
            Some(Continue(acc)) => match item.branch() {
                Continue(item) => (self.reduce_op)(acc, item).branch(),
                Break(residual) => Break(residual),
            },
            Some(Break(residual)) => Break(residual),
        };
        if let Break(_) = acc {
            self.stop.raise();
        }
        self.acc = Some(acc);
        self
    }

    fn complete(self) -> Option<T> {
        self.acc.map(|acc| match acc {
            Continue(output) => T::from_output(output),
            Break(residual) => T::from_residual(residual),
        })
    }

    fn full(&self) -> bool {
        matches!(self.acc, Some(Break(_))) || self.stop.is_raised()
    }
}

/// The combining step of the `try_for_each` family: two successful pieces make a success.
pub(super) fn succeed<R: Try<Output = ()>>((): (), (): ()) -> R {
    R::from_output(())
}
