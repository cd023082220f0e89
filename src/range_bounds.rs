//! Turning any `RangeBounds<usize>` into a checked `Range<usize>` (for `par_drain(range)`).

use std::ops::{Bound, Range, RangeBounds};

/// Resolves `range` against a collection of `len` items.
///
/// # Panics
///
/// If the range starts after it ends, or ends past `len`, as the sequential `drain` does.
pub(crate) fn resolve(range: impl RangeBounds<usize>, len: usize) -> Range<usize> {
    let start = match range.start_bound() {
        Bound::Included(&start) => start,
        Bound::Excluded(&start) => start
            .checked_add(1)
            .unwrap_or_else(|| panic!("range start is past usize::MAX")),
        Bound::Unbounded => 0,
    };
    let end = match range.end_bound() {
        Bound::Included(&end) => end
            .checked_add(1)
            .unwrap_or_else(|| panic!("range end is past usize::MAX")),
        Bound::Excluded(&end) => end,
        Bound::Unbounded => len,
    };
    assert!(
        start <= end,
        "drain range starts at {start} but ends at {end}"
    );
    assert!(end <= len, "drain range end {end} is past the length {len}");
    start..end
}
