//! How often the bridges split: adaptively, by demand.
//!
//! A piece of work starts with a split budget of about one piece per thread. Each split
//! halves the budget of both halves; when the budget is spent, the piece runs sequentially.
//! But a piece that was *stolen* shows that some thread was idle: it gets a fresh budget,
//! so work keeps being exposed exactly where and while threads are hungry, and uniform work
//! on a busy pool is cut into few, large pieces.

use crate::current_num_threads;

/// The split budget of unindexed work.
#[derive(Clone, Copy, Debug)]
pub(super) struct Splitter {
    splits: usize,
}

impl Splitter {
    pub(super) fn new() -> Self {
        Splitter {
            splits: current_num_threads(),
        }
    }

    /// Whether to split now; `stolen` tells that this piece moved to another thread.
    #[inline]
    pub(super) fn try_split(&mut self, stolen: bool) -> bool {
        if stolen {
            // An idle thread took this piece: expose more work, at least a piece per thread.
            self.splits = current_num_threads().max(self.splits / 2);
            true
        } else if self.splits > 0 {
            self.splits /= 2;
            true
        } else {
            false
        }
    }
}

/// The split budget of indexed work, which also honours the producer's length limits.
#[derive(Clone, Copy, Debug)]
pub(super) struct LengthSplitter {
    inner: Splitter,
    /// Pieces are never cut below this many items.
    min: usize,
}

impl LengthSplitter {
    /// A splitter for `len` items whose pieces hold between `min` and `max` items (as far
    /// as halving allows).
    pub(super) fn new(min: usize, max: usize, len: usize) -> Self {
        let mut inner = Splitter::new();
        // Enough splits that no piece exceeds `max` items.
        let min_splits = len / max.max(1);
        inner.splits = inner.splits.max(min_splits);
        LengthSplitter {
            inner,
            min: min.max(1),
        }
    }

    #[inline]
    pub(super) fn try_split(&mut self, len: usize, stolen: bool) -> bool {
        len / 2 >= self.min && self.inner.try_split(stolen)
    }
}
