//! The parallel unstable sort behind `par_sort_unstable` and its relatives: a quicksort in
//! the manner of pattern-defeating quicksort, whose two sides are sorted in parallel.
//!
//! - The pivot is the median of three medians of three (Tukey's ninther), which handles
//!   sorted, reversed and organ-pipe inputs well.
//! - Each call knows a *predecessor*: an item, outside its range, not greater than any item
//!   in it (the pivot that split it off as a right side). When the chosen pivot equals the
//!   predecessor, the range holds many copies of it: they are gathered at the front in one
//!   pass and left alone, so inputs with few distinct values take linear time per value.
//! - A partition that leaves one side with less than an eighth of the items is *bad*: it
//!   scrambles a few items to break the pattern that caused it, and after about log2(n) bad
//!   partitions the range is heapsorted, which guarantees O(n log n) comparisons, so no
//!   input makes the sort quadratic.
//! - Short ranges are sorted sequentially, the shortest by insertion sort.
//!
//! The sort is self-contained rather than built on `[T]::sort_unstable_by`, which may panic
//! when the comparison is not a total order; here such a comparison only yields an
//! unspecified order.
//!
//! The sort moves items only by swapping them inside the slice and never copies an item
//! out, so a panicking comparison leaves the slice holding every item exactly once, with
//! whatever changes the comparison made through interior mutability.

use super::{insertion_sort, sort_presorted};
use crate::join;
use std::cmp::Ordering;

/// Ranges at most this long are insertion-sorted.
const INSERTION_LEN: usize = 20;

/// Ranges at most this long are sorted sequentially.
const SEQ_LEN: usize = 2048;

/// Sorts `v` in parallel by `compare`, without keeping equal items in order.
pub(super) fn par_quicksort<T, F>(v: &mut [T], compare: &F)
where
    T: Send,
    F: Fn(&T, &T) -> Ordering + Sync,
{
    if sort_presorted(v, compare) {
        return;
    }
    let bad_partitions_allowed = usize::BITS - v.len().leading_zeros();
    sort(v, compare, None, bad_partitions_allowed);
}

fn sort<T, F>(v: &mut [T], compare: &F, pred: Option<&mut T>, bad_partitions_allowed: u32)
where
    T: Send,
    F: Fn(&T, &T) -> Ordering + Sync,
{
    let len = v.len();
    if len <= INSERTION_LEN {
        insertion_sort(v, compare);
        return;
    }
    let is_less = |a: &T, b: &T| compare(a, b) == Ordering::Less;
    if bad_partitions_allowed == 0 {
        heapsort(v, &is_less);
        return;
    }

    let pivot = choose_pivot(v, &is_less);
    // The predecessor is not greater than anything here, the pivot included: unless it is
    // less than the pivot, the two are equal.
    if pred
        .as_deref()
        .is_some_and(|pred| !is_less(pred, &v[pivot]))
    {
        let equal = partition_equal(v, pivot, &is_less);
        // The first `equal` items all equal the pivot: they are in place.
        sort(&mut v[equal..], compare, pred, bad_partitions_allowed);
        return;
    }

    let mid = partition(v, pivot, &is_less);
    let (left, rest) = v.split_at_mut(mid);
    let (pivot, right) = rest.split_at_mut(1);
    let mut allowed = bad_partitions_allowed;
    if left.len().min(right.len()) < len / 8 {
        allowed -= 1;
        break_patterns(left);
        break_patterns(right);
    }
    let pivot = Some(&mut pivot[0]);
    if len <= SEQ_LEN {
        sort(left, compare, pred, allowed);
        sort(right, compare, pivot, allowed);
    } else {
        join(
            || sort(left, compare, pred, allowed),
            || sort(right, compare, pivot, allowed),
        );
    }
}

/// The index of the median of `v[a]`, `v[b]` and `v[c]`.
fn median_of_3<T>(
    v: &[T],
    a: usize,
    b: usize,
    c: usize,
    is_less: &impl Fn(&T, &T) -> bool,
) -> usize {
    let (lo, hi) = if is_less(&v[b], &v[a]) {
        (b, a)
    } else {
        (a, b)
    };
    if is_less(&v[c], &v[lo]) {
        lo
    } else if is_less(&v[hi], &v[c]) {
        hi
    } else {
        c
    }
}

/// Sorts `v` by heapsort: O(n log n) comparisons whatever the input.
fn heapsort<T>(v: &mut [T], is_less: &impl Fn(&T, &T) -> bool) {
    // Restores the max-heap property below `node`, in `v`.
    let sift_down = |v: &mut [T], mut node: usize| loop {
        let mut child = 2 * node + 1;
        if child >= v.len() {
            break;
        }
        if child + 1 < v.len() && is_less(&v[child], &v[child + 1]) {
            child += 1;
        }
        if !is_less(&v[node], &v[child]) {
            break;
        }
        v.swap(node, child);
        node = child;
    };
    for node in (0..v.len() / 2).rev() {
        sift_down(v, node);
    }
    for end in (1..v.len()).rev() {
        v.swap(0, end);
        sift_down(&mut v[..end], 0);
    }
}

/// The index of the ninther: the median of the medians of three neighbourhoods around the
/// quartiles. `v` holds more than 8 items.
fn choose_pivot<T>(v: &[T], is_less: &impl Fn(&T, &T) -> bool) -> usize {
    let quarter = v.len() / 4;
    let around = |i: usize| median_of_3(v, i - 1, i, i + 1, is_less);
    median_of_3(
        v,
        around(quarter),
        around(2 * quarter),
        around(3 * quarter),
        is_less,
    )
}

/// Partitions `v` around `v[pivot]`: returns the pivot's final index `mid`, with the items
/// less than the pivot before it and the others after it.
fn partition<T>(v: &mut [T], pivot: usize, is_less: &impl Fn(&T, &T) -> bool) -> usize {
    let mid = partition_by(v, pivot, |item, pivot| is_less(item, pivot));
    // `v[mid]` is the last item less than the pivot (or the pivot itself when there is none).
    v.swap(0, mid);
    mid
}

/// Moves the items equal to `v[pivot]` (those it is not less than: the caller knows none is
/// less) to the front, the pivot first; returns how many there are.
fn partition_equal<T>(v: &mut [T], pivot: usize, is_less: &impl Fn(&T, &T) -> bool) -> usize {
    partition_by(v, pivot, |item, pivot| !is_less(pivot, item)) + 1
}

/// Moves `v[pivot]` to the front and the other items for which `goes_left(item, pivot)`
/// holds right after it; returns how many of those there are.
///
/// A branch-free Lomuto partition: each item is swapped into the next free left place and
/// that place is kept only when the item goes left, so there are no hard-to-predict branches.
fn partition_by<T>(v: &mut [T], pivot: usize, goes_left: impl Fn(&T, &T) -> bool) -> usize {
    v.swap(0, pivot);
    let (head, tail) = v.split_at_mut(1);
    let pivot = &head[0];
    // `tail[..left]` goes left and `tail[left..next]` does not.
    let mut left = 0;
    for next in 0..tail.len() {
        let moves_left = goes_left(&tail[next], pivot);
        tail.swap(left, next);
        left += usize::from(moves_left);
    }
    left
}

/// Swaps a few items near the middle of `v` with items at pseudo-random places, to break
/// up whatever pattern made the last partition bad.
fn break_patterns<T>(v: &mut [T]) {
    let len = v.len();
    if len < 8 {
        return;
    }
    // A xorshift generator seeded with the length: deterministic, and cheap.
    let mut state = len as u64 | 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        // The remainder is less than `len`, so it fits in `usize`.
        (state % len as u64) as usize
    };
    let middle = len / 4 * 2;
    for i in middle - 1..=middle + 1 {
        let other = next();
        v.swap(i, other);
    }
}
