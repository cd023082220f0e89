//! `par_rchunks`, `par_rchunks_exact` and their `_mut` twins: consecutive chunks of a slice,
//! counted from its end.

use super::chunk_iter::chunk_iter_impls;

/// A parallel iterator over consecutive chunks of a slice, counted from its end; see
/// [`ParallelSlice::par_rchunks`](super::ParallelSlice::par_rchunks).
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Debug)]
pub struct RChunks<'data, T> {
    chunk_size: usize,
    slice: &'data [T],
}

impl<'data, T> RChunks<'data, T> {
    pub(super) fn new(chunk_size: usize, slice: &'data [T]) -> Self {
        RChunks { chunk_size, slice }
    }
}

impl<T> Clone for RChunks<'_, T> {
    fn clone(&self) -> Self {
        RChunks {
            chunk_size: self.chunk_size,
            slice: self.slice,
        }
    }
}

chunk_iter_impls! {
    RChunks => RChunksProducer,
    item: &'data [T] where T: Sync,
    iter: RChunks = rchunks,
    split: split_at,
    exact: false,
    from_end: true,
}

/// A parallel iterator over consecutive chunks of exactly `chunk_size` items, counted from the
/// end of the slice; see
/// [`ParallelSlice::par_rchunks_exact`](super::ParallelSlice::par_rchunks_exact).
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Debug)]
pub struct RChunksExact<'data, T> {
    chunk_size: usize,
    slice: &'data [T],
    rem: &'data [T],
}

impl<'data, T> RChunksExact<'data, T> {
    pub(super) fn new(chunk_size: usize, slice: &'data [T]) -> Self {
        let (rem, slice) = slice.split_at(slice.len() % chunk_size);
        RChunksExact {
            chunk_size,
            slice,
            rem,
        }
    }

    /// Returns the items left over at the start, fewer than `chunk_size`, that no chunk holds.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// assert_eq!([1, 2, 3, 4, 5].par_rchunks_exact(3).remainder(), &[1, 2]);
    /// ```
    pub fn remainder(&self) -> &'data [T] {
        self.rem
    }
}

impl<T> Clone for RChunksExact<'_, T> {
    fn clone(&self) -> Self {
        RChunksExact {
            chunk_size: self.chunk_size,
            slice: self.slice,
            rem: self.rem,
        }
    }
}

chunk_iter_impls! {
    RChunksExact => RChunksExactProducer,
    item: &'data [T] where T: Sync,
    iter: RChunksExact = rchunks_exact,
    split: split_at,
    exact: true,
    from_end: true,
}

/// A parallel iterator over consecutive mutable chunks of a slice, counted from its end; see
/// [`ParallelSliceMut::par_rchunks_mut`](super::ParallelSliceMut::par_rchunks_mut).
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Debug)]
pub struct RChunksMut<'data, T> {
    chunk_size: usize,
    slice: &'data mut [T],
}

impl<'data, T> RChunksMut<'data, T> {
    pub(super) fn new(chunk_size: usize, slice: &'data mut [T]) -> Self {
        RChunksMut { chunk_size, slice }
    }
}

chunk_iter_impls! {
    RChunksMut => RChunksMutProducer,
    item: &'data mut [T] where T: Send,
    iter: RChunksMut = rchunks_mut,
    split: split_at_mut,
    exact: false,
    from_end: true,
}

/// A parallel iterator over consecutive mutable chunks of exactly `chunk_size` items, counted from
/// the end of the slice; see
/// [`ParallelSliceMut::par_rchunks_exact_mut`](super::ParallelSliceMut::par_rchunks_exact_mut).
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Debug)]
pub struct RChunksExactMut<'data, T: Send> {
    chunk_size: usize,
    slice: &'data mut [T],
    rem: &'data mut [T],
}

impl<'data, T: Send> RChunksExactMut<'data, T> {
    pub(super) fn new(chunk_size: usize, slice: &'data mut [T]) -> Self {
        let (rem, slice) = slice.split_at_mut(slice.len() % chunk_size);
        RChunksExactMut {
            chunk_size,
            slice,
            rem,
        }
    }

    /// Returns the items left over at the start, fewer than `chunk_size`, that no chunk holds,
    /// for as long as the iterator lives.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mut v = [1, 2, 3, 4, 5];
    /// let mut chunks = v.par_rchunks_exact_mut(3);
    /// chunks.remainder()[0] = 40;
    /// assert_eq!(chunks.remainder(), &[40, 2]);
    /// ```
    pub fn remainder(&mut self) -> &mut [T] {
        self.rem
    }

    /// Returns the items left over at the start, fewer than `chunk_size`, that no chunk holds,
    /// for the whole lifetime of the slice.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mut v = [1, 2, 3, 4, 5];
    /// let rest = v.par_rchunks_exact_mut(3).into_remainder();
    /// rest[1] = 20;
    /// assert_eq!(v, [1, 20, 3, 4, 5]);
    /// ```
    pub fn into_remainder(self) -> &'data mut [T] {
        self.rem
    }

    /// Takes the items left over at the start for the whole lifetime of the slice; the
    /// iterator keeps an empty remainder, so a second call returns an empty slice.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mut v = [1, 2, 3, 4, 5];
    /// let mut chunks = v.par_rchunks_exact_mut(3);
    /// let rest = chunks.take_remainder();
    /// assert!(chunks.take_remainder().is_empty());
    /// chunks.for_each(|chunk| chunk.fill(0));
    /// rest.fill(9);
    /// assert_eq!(v, [9, 9, 0, 0, 0]);
    /// ```
    pub fn take_remainder(&mut self) -> &'data mut [T] {
        std::mem::take(&mut self.rem)
    }
}

chunk_iter_impls! {
    RChunksExactMut => RChunksExactMutProducer,
    item: &'data mut [T] where T: Send,
    iter: RChunksExactMut = rchunks_exact_mut,
    split: split_at_mut,
    exact: true,
    from_end: true,
}
