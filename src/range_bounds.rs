//! Turning any `RangeBounds<usize>` into a checked `Range<usize>` (for `par_drain(range)`).

use std::ops::{Bound, Range, RangeBounds};

/// Resolves `range` against a collection of `len` items.
///
/// # Panics
///
/// With Rayon's messages, checked in Rayon's order: if the range starts past `len`, if it
/// ends past `len`, then if it starts after it ends.
pub(crate) fn resolve(range: impl RangeBounds<usize>, len: usize) -> Range<usize> {
    let start = match range.start_bound() {
        Bound::Unbounded => Some(0),
        Bound::Included(&start) => (start <= len).then_some(start),
        Bound::Excluded(&start) => (start < len).then(|| start + 1),
    };
    let Some(start) = start else {
        panic!(
            "range start {:?} should be <= length {len}",
            range.start_bound()
        )
    };
    let end = match range.end_bound() {
        Bound::Unbounded => Some(len),
        Bound::Included(&end) => (end < len).then(|| end + 1),
        Bound::Excluded(&end) => (end <= len).then_some(end),
    };
    let Some(end) = end else {
        panic!(
            "range end {:?} should be <= length {len}",
            range.end_bound()
        )
    };
    if start > end {
        panic!(
            "range start {:?} should be <= range end {:?}",
            range.start_bound(),
            range.end_bound()
        );
    }
    start..end
}
