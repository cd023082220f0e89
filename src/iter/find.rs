//! `find_any`: some item that matches a predicate, whichever piece meets one first (in a
//! deterministic pool, the first one, as long as it can be certified in time).

use super::plumbing::{Consumer, Folder, Reducer, UnindexedConsumer};
use super::stop_flag::StopFlag;
use super::ParallelIterator;
use crate::deterministic;

pub(super) fn find_any<I, P>(pi: I, predicate: &P) -> Option<I::Item>
where
    I: ParallelIterator,
    P: Fn(&I::Item) -> bool + Sync,
{
    if deterministic::in_effect() {
        // The same item on every run, the first match, unless the watchdog settles a
        // search that cannot certify it.
        return super::find_first_last::find_first_or_settle(pi, predicate);
    }
    find_racing(pi, predicate)
}

/// Whichever match some piece finds first: `find_any` outside deterministic pools, and
/// `any`/`all` everywhere (their answer does not depend on which match is found).
pub(super) fn find_racing<I, P>(pi: I, predicate: &P) -> Option<I::Item>
where
    I: ParallelIterator,
    P: Fn(&I::Item) -> bool + Sync,
{
    let found = StopFlag::new();
    pi.drive_unindexed(FindAnyConsumer {
        predicate,
        found: &found,
    })
}

struct FindAnyConsumer<'p, P> {
    predicate: &'p P,
    /// Raised by the first piece that finds a match; every other piece then stops.
    found: &'p StopFlag,
}

impl<P> Clone for FindAnyConsumer<'_, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P> Copy for FindAnyConsumer<'_, P> {}

impl<'p, T, P> Consumer<T> for FindAnyConsumer<'p, P>
where
    T: Send,
    P: Fn(&T) -> bool + Sync,
{
    type Folder = FindAnyFolder<'p, T, P>;
    type Reducer = FirstSome;
    type Result = Option<T>;

    fn split_at(self, _index: usize) -> (Self, Self, FirstSome) {
        (self, self, FirstSome)
    }

    fn into_folder(self) -> Self::Folder {
        FindAnyFolder {
            predicate: self.predicate,
            found: self.found,
            item: None,
        }
    }

    fn full(&self) -> bool {
        self.found.is_raised()
    }

    /// The answer is defined by position (or, for `any`/`all`, is a yes or no), not by
    /// the cuts.
    fn split_independent(&self) -> bool {
        true
    }
}

impl<T, P> UnindexedConsumer<T> for FindAnyConsumer<'_, P>
where
    T: Send,
    P: Fn(&T) -> bool + Sync,
{
    fn split_off_left(&self) -> Self {
        *self
    }

    fn to_reducer(&self) -> FirstSome {
        FirstSome
    }
}

struct FindAnyFolder<'p, T, P> {
    predicate: &'p P,
    found: &'p StopFlag,
    item: Option<T>,
}

impl<T, P> Folder<T> for FindAnyFolder<'_, T, P>
where
    P: Fn(&T) -> bool,
{
    type Result = Option<T>;

    fn consume(mut self, item: T) -> Self {
        if self.item.is_none() && (self.predicate)(&item) {
            self.item = Some(item);
            self.found.raise();
        }
        self
    }

    fn complete(self) -> Option<T> {
        self.item
    }

    fn full(&self) -> bool {
        self.item.is_some() || self.found.is_raised()
    }
}

/// Keeps the left result if there is one, else the right one.
struct FirstSome;

impl<T> Reducer<Option<T>> for FirstSome {
    fn reduce(self, left: Option<T>, right: Option<T>) -> Option<T> {
        left.or(right)
    }
}
