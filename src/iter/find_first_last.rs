//! `find_first` and `find_last`: the match a sequential search from the front (or from the
//! back) would return, found in parallel.
//!
//! Every consumer owns a range of *virtual positions*: the whole run starts with all of
//! `0..usize::MAX`, and each split hands the left half of the range to the left piece. So
//! the ranges follow the order of the items without knowing the real indices (which
//! unindexed iterators do not have). A piece that finds a match publishes its rank in a
//! shared atomic minimum; every piece that ranks strictly worse than the best match found so
//! far stops early, while the pieces that could still hold a better match carry on. The
//! reducer prefers the left (or right) result, so the answer is exactly the sequential one.
//!
//! Very deep splitting can shrink a range to nothing, after which pieces share a rank: they
//! then never stop each other, which costs only the early exit, never the correctness.
//!
//! `find_any` in a deterministic pool is a `find_first` that the pool's watchdog may
//! *settle*: once a match has been known for a while but the pieces before it still scan,
//! the watchdog stores the rank every piece yields to, and the search returns the best
//! match found so far instead of running on (Rayon's `find_any` would have returned it).

use super::plumbing::{Consumer, Folder, Reducer, UnindexedConsumer};
use super::ParallelIterator;
use crate::deterministic::{self, SettleSearch};
use crate::sync::{Arc, AtomicUsize, Ordering, Weak};
use std::cell::Cell;

/// Which match wins.
#[derive(Clone, Copy, Debug)]
enum Side {
    First,
    Last,
}

pub(super) fn find_first<I, P>(pi: I, predicate: &P) -> Option<I::Item>
where
    I: ParallelIterator,
    P: Fn(&I::Item) -> bool + Sync,
{
    find(pi, predicate, Side::First)
}

pub(super) fn find_last<I, P>(pi: I, predicate: &P) -> Option<I::Item>
where
    I: ParallelIterator,
    P: Fn(&I::Item) -> bool + Sync,
{
    find(pi, predicate, Side::Last)
}

/// The first match, as `find_first` finds it, unless the deterministic watchdog settles
/// the search (see the module's documentation): `find_any` in a deterministic pool.
pub(super) fn find_first_or_settle<I, P>(pi: I, predicate: &P) -> Option<I::Item>
where
    I: ParallelIterator,
    P: Fn(&I::Item) -> bool + Sync,
{
    let best = Arc::new(BestRank::new());
    let search: Weak<BestRank> = Arc::downgrade(&best);
    deterministic::watch_search(search);
    drive(pi, predicate, Side::First, &best)
}

fn find<I, P>(pi: I, predicate: &P, side: Side) -> Option<I::Item>
where
    I: ParallelIterator,
    P: Fn(&I::Item) -> bool + Sync,
{
    drive(pi, predicate, side, &BestRank::new())
}

fn drive<I, P>(pi: I, predicate: &P, side: Side, best: &BestRank) -> Option<I::Item>
where
    I: ParallelIterator,
    P: Fn(&I::Item) -> bool + Sync,
{
    pi.drive_unindexed(FindConsumer {
        predicate,
        side,
        best,
        start: Cell::new(0),
        end: usize::MAX,
    })
}

/// The rank of the best match a search has found so far (lower is better). Ranks of
/// pieces start at 1: [`SETTLED`](Self::SETTLED) ranks before every piece.
struct BestRank(AtomicUsize);

impl BestRank {
    /// No match found yet.
    const NONE: usize = usize::MAX;
    /// The search was settled: every piece stops. (Only the deterministic watchdog settles.)
    #[cfg_attr(not(feature = "deterministic"), allow(dead_code))]
    const SETTLED: usize = 0;

    fn new() -> Self {
        BestRank(AtomicUsize::new(Self::NONE))
    }

    fn load(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }

    fn offer(&self, rank: usize) {
        self.0.fetch_min(rank, Ordering::Relaxed);
    }
}

impl SettleSearch for BestRank {
    fn has_match(&self) -> bool {
        self.load() != Self::NONE
    }

    fn settle(&self) {
        // Only a search that holds a match may stop everywhere: it then returns one.
        let _ = self
            .0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |best| {
                (best != Self::NONE).then_some(Self::SETTLED)
            });
    }
}

struct FindConsumer<'p, P> {
    predicate: &'p P,
    side: Side,
    best: &'p BestRank,
    /// This consumer's virtual positions are `start..end`; `split_off_left` (which only
    /// borrows `self`) gives away the lower half, hence the `Cell`.
    start: Cell<usize>,
    end: usize,
}

impl<P> FindConsumer<'_, P> {
    /// The rank of a match in this piece: the better the position, the lower the rank
    /// (from 1; the last ranks merge at `usize::MAX`, which only costs their early exit).
    fn rank(&self) -> usize {
        let before = match self.side {
            Side::First => self.start.get(),
            Side::Last => usize::MAX - self.end,
        };
        before.saturating_add(1)
    }
}

impl<'p, T, P> Consumer<T> for FindConsumer<'p, P>
where
    T: Send,
    P: Fn(&T) -> bool + Sync,
{
    type Folder = FindFolder<'p, T, P>;
    type Reducer = FindReducer;
    type Result = Option<T>;

    fn split_at(self, _index: usize) -> (Self, Self, FindReducer) {
        let reducer = FindReducer(self.side);
        (self.split_off_left(), self, reducer)
    }

    fn into_folder(self) -> Self::Folder {
        FindFolder {
            predicate: self.predicate,
            side: self.side,
            best: self.best,
            rank: self.rank(),
            item: None,
        }
    }

    fn full(&self) -> bool {
        self.best.load() < self.rank()
    }

    /// The answer is defined by position (or, for `any`/`all`, is a yes or no), not by
    /// the cuts.
    fn split_independent(&self) -> bool {
        true
    }
}

impl<T, P> UnindexedConsumer<T> for FindConsumer<'_, P>
where
    T: Send,
    P: Fn(&T) -> bool + Sync,
{
    fn split_off_left(&self) -> Self {
        let start = self.start.get();
        let middle = start + (self.end - start) / 2;
        self.start.set(middle);
        FindConsumer {
            predicate: self.predicate,
            side: self.side,
            best: self.best,
            start: Cell::new(start),
            end: middle,
        }
    }

    fn to_reducer(&self) -> FindReducer {
        FindReducer(self.side)
    }
}

struct FindFolder<'p, T, P> {
    predicate: &'p P,
    side: Side,
    best: &'p BestRank,
    rank: usize,
    item: Option<T>,
}

impl<T, P> Folder<T> for FindFolder<'_, T, P>
where
    P: Fn(&T) -> bool,
{
    type Result = Option<T>;

    fn consume(mut self, item: T) -> Self {
        // Searching for the first match, a piece keeps its first one; searching for the
        // last, every later match in the piece replaces the previous one.
        let wanted = match self.side {
            Side::First => self.item.is_none(),
            Side::Last => true,
        };
        if wanted && (self.predicate)(&item) {
            self.item = Some(item);
            self.best.offer(self.rank);
        }
        self
    }

    fn complete(self) -> Option<T> {
        self.item
    }

    fn full(&self) -> bool {
        let done_here = match self.side {
            Side::First => self.item.is_some(),
            Side::Last => false,
        };
        done_here || self.best.load() < self.rank
    }
}

/// Prefers the left piece's match when searching for the first, the right one's otherwise.
struct FindReducer(Side);

impl<T> Reducer<Option<T>> for FindReducer {
    fn reduce(self, left: Option<T>, right: Option<T>) -> Option<T> {
        match self.0 {
            Side::First => left.or(right),
            Side::Last => right.or(left),
        }
    }
}
