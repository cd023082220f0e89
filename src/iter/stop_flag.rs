//! A flag that tells every piece of a parallel search or fallible reduction to stop early.

use crate::sync::{AtomicUsize, Ordering};

/// Raised once by whichever piece finds what the whole run was looking for (an item, an
/// error); the other pieces read it to skip the work that is no longer needed.
///
/// It is only a hint for saving work, so relaxed ordering is enough: results travel back
/// through the joins, which synchronise.
#[derive(Debug)]
pub(super) struct StopFlag(AtomicUsize);

impl StopFlag {
    #[inline]
    pub(super) fn new() -> Self {
        StopFlag(AtomicUsize::new(0))
    }

    #[inline]
    pub(super) fn raise(&self) {
        self.0.store(1, Ordering::Relaxed);
    }

    #[inline]
    pub(super) fn is_raised(&self) -> bool {
        self.0.load(Ordering::Relaxed) != 0
    }
}
