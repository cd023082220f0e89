//! A private map adaptor whose closure gets a mutable per-piece state: the engine of
//! `for_each_with`/`for_each_init` and `try_for_each_with`/`try_for_each_init`.
//!
//! Every piece of work gets its own state from a [`StateSource`]: a clone of a value, or
//! the result of an initialising closure.

use super::plumbing::{Consumer, Folder, UnindexedConsumer};
use super::ParallelIterator;

/// Where each piece of work gets its state from.
pub(super) trait StateSource: Send {
    /// The state handed to the closure.
    type State;

    /// A source for another piece of work.
    fn split(&self) -> Self;

    /// The state for this piece of work.
    fn into_state(self) -> Self::State;
}

/// Each piece works on its own clone of a value.
pub(super) struct Cloning<T>(pub(super) T);

impl<T: Clone + Send> StateSource for Cloning<T> {
    type State = T;

    fn split(&self) -> Self {
        Cloning(self.0.clone())
    }

    fn into_state(self) -> T {
        self.0
    }
}

/// Each piece calls an initialising closure for its state.
pub(super) struct Initialising<'i, INIT>(pub(super) &'i INIT);

impl<T, INIT: Fn() -> T + Sync> StateSource for Initialising<'_, INIT> {
    type State = T;

    fn split(&self) -> Self {
        Initialising(self.0)
    }

    fn into_state(self) -> T {
        (self.0)()
    }
}

/// Maps every item with `map_op(&mut state, item)`.
pub(super) struct MapState<'f, I, S, F> {
    base: I,
    source: S,
    map_op: &'f F,
}

impl<'f, I, S, F> MapState<'f, I, S, F> {
    pub(super) fn new(base: I, source: S, map_op: &'f F) -> Self {
        MapState {
            base,
            source,
            map_op,
        }
    }
}

impl<I, S, F, R> ParallelIterator for MapState<'_, I, S, F>
where
    I: ParallelIterator,
    S: StateSource,
    F: Fn(&mut S::State, I::Item) -> R + Sync,
    R: Send,
{
    type Item = R;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<R>,
    {
        self.base.drive_unindexed(MapStateConsumer {
            base: consumer,
            source: self.source,
            map_op: self.map_op,
        })
    }
}

struct MapStateConsumer<'f, C, S, F> {
    base: C,
    source: S,
    map_op: &'f F,
}

impl<'f, T, R, C, S, F> Consumer<T> for MapStateConsumer<'f, C, S, F>
where
    C: Consumer<R>,
    S: StateSource,
    F: Fn(&mut S::State, T) -> R + Sync,
{
    type Folder = MapStateFolder<'f, C::Folder, S::State, F>;
    type Reducer = C::Reducer;
    type Result = C::Result;

    fn split_at(self, index: usize) -> (Self, Self, C::Reducer) {
        let (left, right, reducer) = self.base.split_at(index);
        (
            MapStateConsumer {
                base: left,
                source: self.source.split(),
                map_op: self.map_op,
            },
            MapStateConsumer {
                base: right,
                source: self.source,
                map_op: self.map_op,
            },
            reducer,
        )
    }

    fn into_folder(self) -> Self::Folder {
        MapStateFolder {
            base: self.base.into_folder(),
            state: self.source.into_state(),
            map_op: self.map_op,
        }
    }

    fn full(&self) -> bool {
        self.base.full()
    }
}

impl<T, R, C, S, F> UnindexedConsumer<T> for MapStateConsumer<'_, C, S, F>
where
    C: UnindexedConsumer<R>,
    S: StateSource,
    F: Fn(&mut S::State, T) -> R + Sync,
{
    fn split_off_left(&self) -> Self {
        MapStateConsumer {
            base: self.base.split_off_left(),
            source: self.source.split(),
            map_op: self.map_op,
        }
    }

    fn to_reducer(&self) -> C::Reducer {
        self.base.to_reducer()
    }
}

struct MapStateFolder<'f, C, T, F> {
    base: C,
    state: T,
    map_op: &'f F,
}

impl<T, U, R, C, F> Folder<T> for MapStateFolder<'_, C, U, F>
where
    C: Folder<R>,
    F: Fn(&mut U, T) -> R,
{
    type Result = C::Result;

    fn consume(mut self, item: T) -> Self {
        let mapped = (self.map_op)(&mut self.state, item);
        self.base = self.base.consume(mapped);
        self
    }

    fn consume_iter<I>(mut self, iter: I) -> Self
    where
        I: IntoIterator<Item = T>,
    {
        let map_op = self.map_op;
        let state = &mut self.state;
        self.base = self
            .base
            .consume_iter(iter.into_iter().map(|item| map_op(state, item)));
        self
    }

    fn complete(self) -> C::Result {
        self.base.complete()
    }

    fn full(&self) -> bool {
        self.base.full()
    }
}
