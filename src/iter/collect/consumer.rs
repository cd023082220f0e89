//! The consumer that writes items into a slice of uninitialised memory.

use crate::iter::plumbing::{Consumer, Folder, Reducer, UnindexedConsumer};
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::ptr;

/// Writes the items of one piece of work into `target`, in order.
pub(in crate::iter) struct CollectConsumer<'c, T: Send> {
    target: &'c mut [MaybeUninit<T>],
}

impl<'c, T: Send> CollectConsumer<'c, T> {
    pub(super) fn new(target: &'c mut [MaybeUninit<T>]) -> Self {
        CollectConsumer { target }
    }
}

/// The items written so far into one contiguous slice; drops them unless ownership is
/// released (to the vector, or to the result of the piece on its left).
pub(in crate::iter) struct CollectResult<'c, T> {
    start: *mut T,
    total_len: usize,
    initialized_len: usize,
    /// Borrows the target slice mutably, and owns the written `T`s.
    marker: PhantomData<&'c mut T>,
}

// SAFETY: a result only owns `T`s (and a borrow of their memory), which may move between
// threads when `T: Send`.
unsafe impl<T: Send> Send for CollectResult<'_, T> {}

impl<T> CollectResult<'_, T> {
    pub(super) fn len(&self) -> usize {
        self.initialized_len
    }

    /// Gives up ownership of the written items: they now belong to the vector.
    pub(super) fn release_ownership(mut self) {
        self.initialized_len = 0;
    }
}

impl<T> Drop for CollectResult<'_, T> {
    fn drop(&mut self) {
        // SAFETY: exactly the first `initialized_len` slots from `start` hold items that
        // this result owns; dropping them in place frees nothing twice.
        unsafe {
            ptr::drop_in_place(ptr::slice_from_raw_parts_mut(
                self.start,
                self.initialized_len,
            ));
        }
    }
}

impl<'c, T: Send + 'c> Consumer<T> for CollectConsumer<'c, T> {
    type Folder = CollectResult<'c, T>;
    type Reducer = CollectReducer;
    type Result = CollectResult<'c, T>;

    fn split_at(self, index: usize) -> (Self, Self, CollectReducer) {
        let (left, right) = self.target.split_at_mut(index);
        (
            CollectConsumer::new(left),
            CollectConsumer::new(right),
            CollectReducer,
        )
    }

    fn into_folder(self) -> Self::Folder {
        CollectResult {
            start: self.target.as_mut_ptr().cast::<T>(),
            total_len: self.target.len(),
            initialized_len: 0,
            marker: PhantomData,
        }
    }

    fn full(&self) -> bool {
        false
    }
}

impl<'c, T: Send + 'c> Folder<T> for CollectResult<'c, T> {
    type Result = Self;

    fn consume(mut self, item: T) -> Self {
        assert!(
            self.initialized_len < self.total_len,
            "too many values pushed to consumer"
        );
        // SAFETY: the slot at `initialized_len` is inside the target (checked above) and
        // not yet initialised, so writing does not overwrite a live item.
        unsafe { self.start.add(self.initialized_len).write(item) };
        self.initialized_len += 1;
        self
    }

    fn complete(self) -> Self {
        self
    }

    fn full(&self) -> bool {
        false
    }
}

/// Collecting needs an indexed iterator: an iterator reporting a length drives its
/// consumer only through `split_at`.
impl<'c, T: Send + 'c> UnindexedConsumer<T> for CollectConsumer<'c, T> {
    fn split_off_left(&self) -> Self {
        unreachable!("collecting into a slice always goes through an indexed split")
    }

    fn to_reducer(&self) -> CollectReducer {
        CollectReducer
    }
}

/// Merges the results of adjacent pieces.
pub(in crate::iter) struct CollectReducer;

impl<'c, T> Reducer<CollectResult<'c, T>> for CollectReducer {
    fn reduce(
        self,
        mut left: CollectResult<'c, T>,
        right: CollectResult<'c, T>,
    ) -> CollectResult<'c, T> {
        // Merge only if the left piece was filled completely, so that the written items stay
        // one contiguous run; otherwise `right` drops its own items and the final count
        // check reports the short piece.
        // SAFETY: `left.start + left.total_len` is one past the end of left's slice, which
        // is the start of right's adjacent slice when they came from one split.
        let left_end = unsafe { left.start.add(left.total_len) };
        if left.initialized_len == left.total_len && left_end == right.start {
            left.total_len += right.total_len;
            left.initialized_len += right.initialized_len;
            right.release_ownership();
        }
        left
    }
}
