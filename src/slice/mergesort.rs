//! The parallel stable sort behind `par_sort`, `par_sort_by` and `par_sort_by_key`: a merge
//! sort over a buffer as long as the slice.
//!
//! A range is sorted by sorting its two halves (in parallel, unless the range is short) into
//! the *other* area — the buffer when the range's result belongs in the slice, the slice
//! when it belongs in the buffer — and merging them into the area the result belongs in.
//! Very short ranges are insertion-sorted in place and copied over when their result
//! belongs in the buffer. Long merges run in parallel: the longer run is cut at its middle
//! item, the other run at the matching place found by binary search, and the two smaller
//! merges write to disjoint parts of the destination.
//!
//! The sort is self-contained rather than built on `[T]::sort_by`, which may panic when the
//! comparison is not a total order; here such a comparison only yields an unspecified order.
//!
//! # Panic safety
//!
//! Items move between the areas only by bitwise copies; the area an item was copied out of
//! is treated as uninitialised from then on, and the buffer never drops anything. Every step
//! keeps this promise, even when the comparison panics: *when a step returns, normally or by
//! unwinding, each item of its range sits exactly once in the step's destination*, as the
//! same bits that were last compared (so changes made through interior mutability during a
//! comparison are kept). Guards that copy whatever is left into the destination when they
//! are dropped make the unwinding case hold. At the top the destination is the slice, so a
//! panic leaves the slice holding every item exactly once.

use super::{insertion_sort, sort_presorted};
use crate::join;
use crate::unwind::{halt_unwinding, resume_unwinding};
use std::cmp::Ordering;
use std::mem;
use std::ptr;
use std::slice;

/// Ranges at most this long are insertion-sorted.
const INSERTION_LEN: usize = 20;

/// Ranges at most this long are sorted sequentially.
const SEQ_SORT_LEN: usize = 4096;

/// Merges producing at most this many items run sequentially.
const SEQ_MERGE_LEN: usize = 8192;

/// Sorts `v` stably, in parallel, by `compare`.
pub(super) fn par_mergesort<T, F>(v: &mut [T], compare: &F)
where
    T: Send,
    F: Fn(&T, &T) -> Ordering + Sync,
{
    let len = v.len();
    if len <= INSERTION_LEN {
        insertion_sort(v, compare);
        return;
    }
    if sort_presorted(v, compare) {
        return;
    }
    // Only its memory is used: its length stays 0, so it never drops an item.
    let mut buf: Vec<T> = Vec::with_capacity(len);
    let areas = Areas {
        slice: Ptr(v.as_mut_ptr()),
        buf: Ptr(buf.as_mut_ptr()),
    };
    // SAFETY: `v` holds `len` initialised items and `buf` has room for `len` items; both are
    // borrowed exclusively for this call and do not overlap. `sort_range` leaves every item
    // in the slice exactly once, even when it unwinds.
    unsafe { sort_range(areas, len, Dest::Slice, compare) };
}

/// A raw pointer that may cross threads: the sort gives each task a disjoint range.
struct Ptr<T>(*mut T);

impl<T> Clone for Ptr<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Ptr<T> {}

// SAFETY: a `Ptr` is used only to move items of type `T: Send` to or from a range that
// the task holding it owns for the time being.
unsafe impl<T: Send> Send for Ptr<T> {}

impl<T> Ptr<T> {
    /// # Safety
    ///
    /// `self + count` must stay inside the allocation `self` points into.
    unsafe fn add(self, count: usize) -> Self {
        // SAFETY: the caller keeps the offset inside the allocation.
        Ptr(unsafe { self.0.add(count) })
    }
}

/// Where a range's sorted items belong.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dest {
    Slice,
    Buf,
}

impl Dest {
    fn other(self) -> Dest {
        match self {
            Dest::Slice => Dest::Buf,
            Dest::Buf => Dest::Slice,
        }
    }
}

/// The start of one range in the slice and at the same offset in the buffer.
struct Areas<T> {
    slice: Ptr<T>,
    buf: Ptr<T>,
}

impl<T> Clone for Areas<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Areas<T> {}

impl<T> Areas<T> {
    fn at(self, dest: Dest) -> Ptr<T> {
        match dest {
            Dest::Slice => self.slice,
            Dest::Buf => self.buf,
        }
    }

    /// # Safety
    ///
    /// Both areas must extend at least `count` items past their starts.
    unsafe fn add(self, count: usize) -> Self {
        // SAFETY: the caller keeps both offsets inside their allocations.
        unsafe {
            Areas {
                slice: self.slice.add(count),
                buf: self.buf.add(count),
            }
        }
    }
}

/// Copies `len` items from `src` to `dest` when dropped.
struct CopyOnDrop<T> {
    src: *const T,
    dest: *mut T,
    len: usize,
}

impl<T> Drop for CopyOnDrop<T> {
    fn drop(&mut self) {
        // SAFETY: whoever built the guard made `src` hold `len` items it owns, and `dest`
        // room for them that does not overlap `src` (the two areas are separate
        // allocations); after the copy the items are owned at `dest` only.
        unsafe { ptr::copy_nonoverlapping(self.src, self.dest, self.len) };
    }
}

/// Sorts the `len` items of the range that starts at `areas` (they start out in the slice
/// area) and leaves them in `dest`.
///
/// # Safety
///
/// The slice area must hold `len` initialised items and the buffer area room for `len`
/// items, both owned by the caller for the duration of the call. When the call returns,
/// normally or by unwinding, the items sit exactly once in `dest` and the other area holds
/// only stale bits.
unsafe fn sort_range<T, F>(areas: Areas<T>, len: usize, dest: Dest, compare: &F)
where
    T: Send,
    F: Fn(&T, &T) -> Ordering + Sync,
{
    if len <= INSERTION_LEN {
        // SAFETY: the slice area holds `len` initialised items owned by this call.
        let items = unsafe { slice::from_raw_parts_mut(areas.slice.0, len) };
        // Whether or not the sort panics, the items end up in `dest`. Insertion sort only
        // swaps, so they are all in the slice area when it returns or unwinds.
        let _to_buf = (dest == Dest::Buf).then_some(CopyOnDrop {
            src: areas.slice.0,
            dest: areas.buf.0,
            len,
        });
        insertion_sort(items, compare);
        return;
    }

    let mid = len / 2;
    let other = dest.other();
    // SAFETY: `mid < len`, so both offsets stay inside the range.
    let right = unsafe { areas.add(mid) };
    // If a half panics, both halves sit in `other` once `join` returns: move them to `dest`.
    let to_dest = CopyOnDrop {
        src: areas.at(other).0,
        dest: areas.at(dest).0,
        len,
    };
    // SAFETY: the halves are disjoint parts of this call's range.
    let sort_left = move || unsafe { sort_range(areas, mid, other, compare) };
    // SAFETY: as above.
    let sort_right = move || unsafe { sort_range(right, len - mid, other, compare) };
    if len <= SEQ_SORT_LEN {
        run_both(sort_left, sort_right);
    } else {
        join(sort_left, sort_right);
    }
    mem::forget(to_dest);

    let src = areas.at(other);
    // SAFETY: the two sorted halves sit in `src`, the destination has room for them, and
    // the areas do not overlap.
    unsafe { par_merge(src, mid, src.add(mid), len - mid, areas.at(dest), compare) };
}

/// Runs `first`, then `second` even if `first` panicked, then passes on the first panic:
/// `join`'s promise, on the current thread.
fn run_both(first: impl FnOnce(), second: impl FnOnce()) {
    let first = halt_unwinding(first);
    second();
    if let Err(payload) = first {
        resume_unwinding(payload);
    }
}

/// Merges the sorted runs `a` (`a_len` items) and `b` (`b_len` items) into `dest`, items of
/// `a` first among equals.
///
/// # Safety
///
/// `a` and `b` must hold their items, owned by the caller, and `dest` room for all of them;
/// `dest` must not overlap either run. When the call returns, normally or by unwinding,
/// every item sits exactly once in `dest`.
unsafe fn par_merge<T, F>(
    a: Ptr<T>,
    a_len: usize,
    b: Ptr<T>,
    b_len: usize,
    dest: Ptr<T>,
    compare: &F,
) where
    T: Send,
    F: Fn(&T, &T) -> Ordering + Sync,
{
    if a_len == 0 || b_len == 0 {
        // SAFETY: the caller's promises are `seq_merge`'s.
        unsafe { seq_merge(a.0, a_len, b.0, b_len, dest.0, compare) };
        return;
    }

    // Nothing has moved yet: if a comparison panics, move both runs over as they are.
    let a_guard = CopyOnDrop {
        src: a.0,
        dest: dest.0,
        len: a_len,
    };
    let b_guard = CopyOnDrop {
        src: b.0,
        // SAFETY: `dest` has room for `a_len + b_len` items.
        dest: unsafe { dest.0.add(a_len) },
        len: b_len,
    };
    // SAFETY: the runs hold initialised items, which only the comparison touches here.
    let (a_items, b_items) = unsafe {
        (
            slice::from_raw_parts(a.0, a_len),
            slice::from_raw_parts(b.0, b_len),
        )
    };
    if compare(&b_items[0], &a_items[a_len - 1]) != Ordering::Less {
        // The runs are already in order: the guards' copies are the whole merge.
        return;
    }
    if a_len + b_len <= SEQ_MERGE_LEN {
        mem::forget(a_guard);
        mem::forget(b_guard);
        // SAFETY: the caller's promises are `seq_merge`'s.
        unsafe { seq_merge(a.0, a_len, b.0, b_len, dest.0, compare) };
        return;
    }

    // Cut so that everything left of the cut may precede everything right of it: items of
    // `b` go left only when less than the cut item of `a`, items of `a` go left when not
    // greater than the cut item of `b`, which keeps equal items of `a` before those of `b`.
    let (a_cut, b_cut) = if a_len >= b_len {
        let a_cut = a_len / 2;
        let pivot = &a_items[a_cut];
        let b_cut = b_items.partition_point(|x| compare(x, pivot) == Ordering::Less);
        (a_cut, b_cut)
    } else {
        let b_cut = b_len / 2;
        let pivot = &b_items[b_cut];
        let a_cut = a_items.partition_point(|x| compare(x, pivot) != Ordering::Greater);
        (a_cut, b_cut)
    };
    mem::forget(a_guard);
    mem::forget(b_guard);

    // SAFETY: every offset is at most the length of the run or destination it applies to.
    let (a_right, b_right, dest_right) =
        unsafe { (a.add(a_cut), b.add(b_cut), dest.add(a_cut + b_cut)) };
    join(
        // SAFETY: the left parts of the runs fill exactly the left part of `dest`.
        move || unsafe { par_merge(a, a_cut, b, b_cut, dest, compare) },
        // SAFETY: the right parts fill the rest of `dest`, disjoint from the left part.
        move || unsafe {
            par_merge(
                a_right,
                a_len - a_cut,
                b_right,
                b_len - b_cut,
                dest_right,
                compare,
            )
        },
    );
}

/// The state of a sequential merge; dropping it moves the items not yet merged to the end
/// of the output, so that a panicking comparison loses nothing.
///
/// (Counts rather than end pointers keep it right for zero-sized items too.)
struct MergeState<T> {
    a: *const T,
    a_left: usize,
    b: *const T,
    b_left: usize,
    out: *mut T,
}

impl<T> Drop for MergeState<T> {
    fn drop(&mut self) {
        // SAFETY: `a` and `b` point at the `a_left` and `b_left` items not merged yet, and
        // `out` has room for exactly that many more items (the merge wrote one item per item
        // it took); the output does not overlap the runs.
        unsafe {
            ptr::copy_nonoverlapping(self.a, self.out, self.a_left);
            ptr::copy_nonoverlapping(self.b, self.out.add(self.a_left), self.b_left);
        }
    }
}

/// Merges the sorted runs `a` and `b` into `dest` sequentially; see [`par_merge`].
///
/// # Safety
///
/// As for [`par_merge`].
unsafe fn seq_merge<T, F>(
    a: *const T,
    a_len: usize,
    b: *const T,
    b_len: usize,
    dest: *mut T,
    compare: &F,
) where
    F: Fn(&T, &T) -> Ordering,
{
    let mut state = MergeState {
        a,
        a_left: a_len,
        b,
        b_left: b_len,
        out: dest,
    };
    while state.a_left > 0 && state.b_left > 0 {
        // SAFETY: both pointers are inside their runs, at items not merged yet.
        let take_b = unsafe { compare(&*state.b, &*state.a) } == Ordering::Less;
        // Branch-free: take from `b` or `a`, and advance that run only.
        let (from_b, from_a) = (usize::from(take_b), usize::from(!take_b));
        let from = if take_b { state.b } else { state.a };
        // SAFETY: `from` points at an item not merged yet and `out` at the next free slot of
        // the output; advancing the run taken from and the output keeps the state's promise.
        unsafe {
            ptr::copy_nonoverlapping(from, state.out, 1);
            state.b = state.b.add(from_b);
            state.a = state.a.add(from_a);
            state.out = state.out.add(1);
        }
        state.b_left -= from_b;
        state.a_left -= from_a;
    }
    // Dropping the state moves the rest of whichever run is left.
}
