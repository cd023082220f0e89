//! `par_chunks`, `par_chunks_exact` and their `_mut` twins: consecutive chunks of a slice,
//! counted from its start.

use super::chunk_iter::chunk_iter_impls;

/// A parallel iterator over consecutive chunks of a slice; see
/// [`ParallelSlice::par_chunks`](super::ParallelSlice::par_chunks).
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Debug)]
pub struct Chunks<'data, T> {
    chunk_size: usize,
    slice: &'data [T],
}

impl<'data, T> Chunks<'data, T> {
    pub(super) fn new(chunk_size: usize, slice: &'data [T]) -> Self {
        Chunks { chunk_size, slice }
    }
}

impl<T> Clone for Chunks<'_, T> {
    fn clone(&self) -> Self {
        Chunks {
            chunk_size: self.chunk_size,
            slice: self.slice,
        }
    }
}

chunk_iter_impls! {
    Chunks => ChunksProducer,
    item: &'data [T] where T: Sync,
    iter: Chunks = chunks,
    split: split_at,
    exact: false,
    from_end: false,
}

/// A parallel iterator over consecutive chunks of exactly `chunk_size` items; see
/// [`ParallelSlice::par_chunks_exact`](super::ParallelSlice::par_chunks_exact).
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Debug)]
pub struct ChunksExact<'data, T> {
    chunk_size: usize,
    slice: &'data [T],
    rem: &'data [T],
}

impl<'data, T> ChunksExact<'data, T> {
    pub(super) fn new(chunk_size: usize, slice: &'data [T]) -> Self {
        let whole = slice.len() - slice.len() % chunk_size;
        let (slice, rem) = slice.split_at(whole);
        ChunksExact {
            chunk_size,
            slice,
            rem,
        }
    }

    /// Returns the items left over at the end, fewer than `chunk_size`, that no chunk holds.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// assert_eq!([1, 2, 3, 4, 5].par_chunks_exact(3).remainder(), &[4, 5]);
    /// ```
    pub fn remainder(&self) -> &'data [T] {
        self.rem
    }
}

impl<T> Clone for ChunksExact<'_, T> {
    fn clone(&self) -> Self {
        ChunksExact {
            chunk_size: self.chunk_size,
            slice: self.slice,
            rem: self.rem,
        }
    }
}

chunk_iter_impls! {
    ChunksExact => ChunksExactProducer,
    item: &'data [T] where T: Sync,
    iter: ChunksExact = chunks_exact,
    split: split_at,
    exact: true,
    from_end: false,
}

/// A parallel iterator over consecutive mutable chunks of a slice; see
/// [`ParallelSliceMut::par_chunks_mut`](super::ParallelSliceMut::par_chunks_mut).
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Debug)]
pub struct ChunksMut<'data, T> {
    chunk_size: usize,
    slice: &'data mut [T],
}

impl<'data, T> ChunksMut<'data, T> {
    pub(super) fn new(chunk_size: usize, slice: &'data mut [T]) -> Self {
        ChunksMut { chunk_size, slice }
    }
}

chunk_iter_impls! {
    ChunksMut => ChunksMutProducer,
    item: &'data mut [T] where T: Send,
    iter: ChunksMut = chunks_mut,
    split: split_at_mut,
    exact: false,
    from_end: false,
}

/// A parallel iterator over consecutive mutable chunks of exactly `chunk_size` items; see
/// [`ParallelSliceMut::par_chunks_exact_mut`](super::ParallelSliceMut::par_chunks_exact_mut).
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Debug)]
pub struct ChunksExactMut<'data, T> {
    chunk_size: usize,
    slice: &'data mut [T],
    rem: &'data mut [T],
}

impl<'data, T> ChunksExactMut<'data, T> {
    pub(super) fn new(chunk_size: usize, slice: &'data mut [T]) -> Self {
        let whole = slice.len() - slice.len() % chunk_size;
        let (slice, rem) = slice.split_at_mut(whole);
        ChunksExactMut {
            chunk_size,
            slice,
            rem,
        }
    }

    /// Returns the items left over at the end, fewer than `chunk_size`, that no chunk holds,
    /// for as long as the iterator lives.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mut v = [1, 2, 3, 4, 5];
    /// let mut chunks = v.par_chunks_exact_mut(3);
    /// chunks.remainder()[0] = 40;
    /// assert_eq!(chunks.remainder(), &[40, 5]);
    /// ```
    pub fn remainder(&mut self) -> &mut [T] {
        self.rem
    }

    /// Returns the items left over at the end, fewer than `chunk_size`, that no chunk holds,
    /// for the whole lifetime of the slice.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mut v = [1, 2, 3, 4, 5];
    /// let rest = v.par_chunks_exact_mut(3).into_remainder();
    /// rest[1] = 50;
    /// assert_eq!(v, [1, 2, 3, 4, 50]);
    /// ```
    pub fn into_remainder(self) -> &'data mut [T] {
        self.rem
    }

    /// Takes the items left over at the end for the whole lifetime of the slice; the
    /// iterator keeps an empty remainder, so a second call returns an empty slice.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mut v = [1, 2, 3, 4, 5];
    /// let mut chunks = v.par_chunks_exact_mut(3);
    /// let rest = chunks.take_remainder();
    /// assert!(chunks.take_remainder().is_empty());
    /// chunks.for_each(|chunk| chunk.fill(0));
    /// rest.fill(9);
    /// assert_eq!(v, [0, 0, 0, 9, 9]);
    /// ```
    pub fn take_remainder(&mut self) -> &'data mut [T] {
        std::mem::take(&mut self.rem)
    }
}

chunk_iter_impls! {
    ChunksExactMut => ChunksExactMutProducer,
    item: &'data mut [T] where T: Send,
    iter: ChunksExactMut = chunks_exact_mut,
    split: split_at_mut,
    exact: true,
    from_end: false,
}
