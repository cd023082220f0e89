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
    /// As [`String::drain`]: if the range is out of order, ends past the string, or a bound
    /// is not on a character boundary.
    fn par_drain<R: RangeBounds<usize>>(self, range: R) -> Drain<'a> {
        let range = crate::range_bounds::resolve(range, self.len());
        assert!(
            self.is_char_boundary(range.start) && self.is_char_boundary(range.end),
            "drain range {range:?} does not fall on character boundaries"
        );
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
        self.string.drain(self.range.clone());
    }
}
