//! The draining parallel iterator of a `String`: `string.par_drain(range)`.
//!
//! # Examples
//!
//! ```
//! use veda::prelude::*;
//!
//! let mut text = String::from("héllo world");
//! let taken: String = text.par_drain(..6).collect::<Vec<char>>().into_iter().collect();
//! assert_eq!(taken, "héllo");
//! assert_eq!(text, " world");
//! ```

use crate::iter::plumbing::UnindexedConsumer;
use crate::iter::{ParallelDrainRange, ParallelIterator};
use crate::str::ParallelString;
use std::ops::{Range, RangeBounds};

/// A parallel iterator over the characters of a range of a `String`, which removes the
/// range when it is dropped (whether or not it was used); see [`ParallelDrainRange`].
#[derive(Debug)]
pub struct Drain<'a> {
    string: &'a mut String,
    range: Range<usize>,
}

impl<'a> ParallelDrainRange<usize> for &'a mut String {
    type Iter = Drain<'a>;
    type Item = char;

    /// # Panics
    ///
    /// Here, if the range is out of order or ends past the string. A bound inside a
    /// character is accepted here, as in Rayon, and panics later: when the iterator is
    /// driven (slicing the string) or dropped unused (draining it).
    fn par_drain<R: RangeBounds<usize>>(self, range: R) -> Drain<'a> {
        let range = crate::range_bounds::resolve(range, self.len());
        Drain {
            string: self,
            range,
        }
    }
}

impl ParallelIterator for Drain<'_> {
    type Item = char;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<char>,
    {
        self.string[self.range.clone()]
            .par_chars()
            .drive_unindexed(consumer)
    }
}

impl Drop for Drain<'_> {
    fn drop(&mut self) {
        let Range { start, end } = self.range;
        let on_boundaries =
            self.string.is_char_boundary(start) && self.string.is_char_boundary(end);
        // Driving a range that cuts a character has already panicked (slicing the string);
        // draining it now would panic again while unwinding, and abort.
        if on_boundaries || !std::thread::panicking() {
            self.string.drain(start..end);
        }
    }
}
