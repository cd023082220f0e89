//! `par_rchunks`, `par_rchunks_exact` and their `_mut` twins: consecutive chunks of a slice,
//! counted from its end.

use crate::iter::plumbing::{bridge, Consumer, Producer, ProducerCallback, UnindexedConsumer};
use crate::iter::{IndexedParallelIterator, ParallelIterator};

/// Where the first `chunks` chunks of `chunk_size` items, counted from the end, start in a
/// slice of `len` items.
fn chunk_boundary(chunks: usize, chunk_size: usize, len: usize) -> usize {
    len.saturating_sub(chunks.saturating_mul(chunk_size))
}

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

impl<'data, T: Sync> ParallelIterator for RChunks<'data, T> {
    type Item = &'data [T];

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<Self::Item>,
    {
        bridge(self, consumer)
    }

    fn opt_len(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<T: Sync> IndexedParallelIterator for RChunks<'_, T> {
    fn drive<C: Consumer<Self::Item>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn len(&self) -> usize {
        self.slice.len().div_ceil(self.chunk_size)
    }

    fn with_producer<CB: ProducerCallback<Self::Item>>(self, callback: CB) -> CB::Output {
        callback.callback(RChunksProducer {
            chunk_size: self.chunk_size,
            slice: self.slice,
        })
    }
}

struct RChunksProducer<'data, T> {
    chunk_size: usize,
    slice: &'data [T],
}

impl<'data, T: Sync> Producer for RChunksProducer<'data, T> {
    type Item = &'data [T];
    type IntoIter = std::slice::RChunks<'data, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.slice.rchunks(self.chunk_size)
    }

    fn split_at(self, index: usize) -> (Self, Self) {
        // The first `index` chunks are the ones at the end of the slice.
        let mid = chunk_boundary(index, self.chunk_size, self.slice.len());
        let (right, left) = self.slice.split_at(mid);
        (
            RChunksProducer {
                chunk_size: self.chunk_size,
                slice: left,
            },
            RChunksProducer {
                chunk_size: self.chunk_size,
                slice: right,
            },
        )
    }
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

impl<'data, T: Sync> ParallelIterator for RChunksExact<'data, T> {
    type Item = &'data [T];

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<Self::Item>,
    {
        bridge(self, consumer)
    }

    fn opt_len(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<T: Sync> IndexedParallelIterator for RChunksExact<'_, T> {
    fn drive<C: Consumer<Self::Item>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn len(&self) -> usize {
        self.slice.len() / self.chunk_size
    }

    fn with_producer<CB: ProducerCallback<Self::Item>>(self, callback: CB) -> CB::Output {
        callback.callback(RChunksExactProducer {
            chunk_size: self.chunk_size,
            slice: self.slice,
        })
    }
}

/// Produces the chunks of a slice whose length is a multiple of `chunk_size`.
struct RChunksExactProducer<'data, T> {
    chunk_size: usize,
    slice: &'data [T],
}

impl<'data, T: Sync> Producer for RChunksExactProducer<'data, T> {
    type Item = &'data [T];
    type IntoIter = std::slice::RChunksExact<'data, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.slice.rchunks_exact(self.chunk_size)
    }

    fn split_at(self, index: usize) -> (Self, Self) {
        // The first `index` chunks are the ones at the end of the slice.
        let mid = chunk_boundary(index, self.chunk_size, self.slice.len());
        let (right, left) = self.slice.split_at(mid);
        (
            RChunksExactProducer {
                chunk_size: self.chunk_size,
                slice: left,
            },
            RChunksExactProducer {
                chunk_size: self.chunk_size,
                slice: right,
            },
        )
    }
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

impl<'data, T: Send> ParallelIterator for RChunksMut<'data, T> {
    type Item = &'data mut [T];

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<Self::Item>,
    {
        bridge(self, consumer)
    }

    fn opt_len(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<T: Send> IndexedParallelIterator for RChunksMut<'_, T> {
    fn drive<C: Consumer<Self::Item>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn len(&self) -> usize {
        self.slice.len().div_ceil(self.chunk_size)
    }

    fn with_producer<CB: ProducerCallback<Self::Item>>(self, callback: CB) -> CB::Output {
        callback.callback(RChunksMutProducer {
            chunk_size: self.chunk_size,
            slice: self.slice,
        })
    }
}

struct RChunksMutProducer<'data, T> {
    chunk_size: usize,
    slice: &'data mut [T],
}

impl<'data, T: Send> Producer for RChunksMutProducer<'data, T> {
    type Item = &'data mut [T];
    type IntoIter = std::slice::RChunksMut<'data, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.slice.rchunks_mut(self.chunk_size)
    }

    fn split_at(self, index: usize) -> (Self, Self) {
        // The first `index` chunks are the ones at the end of the slice.
        let mid = chunk_boundary(index, self.chunk_size, self.slice.len());
        let (right, left) = self.slice.split_at_mut(mid);
        (
            RChunksMutProducer {
                chunk_size: self.chunk_size,
                slice: left,
            },
            RChunksMutProducer {
                chunk_size: self.chunk_size,
                slice: right,
            },
        )
    }
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

impl<'data, T: Send> ParallelIterator for RChunksExactMut<'data, T> {
    type Item = &'data mut [T];

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<Self::Item>,
    {
        bridge(self, consumer)
    }

    fn opt_len(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<T: Send> IndexedParallelIterator for RChunksExactMut<'_, T> {
    fn drive<C: Consumer<Self::Item>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn len(&self) -> usize {
        self.slice.len() / self.chunk_size
    }

    fn with_producer<CB: ProducerCallback<Self::Item>>(self, callback: CB) -> CB::Output {
        callback.callback(RChunksExactMutProducer {
            chunk_size: self.chunk_size,
            slice: self.slice,
        })
    }
}

/// Produces the mutable chunks of a slice whose length is a multiple of `chunk_size`.
struct RChunksExactMutProducer<'data, T> {
    chunk_size: usize,
    slice: &'data mut [T],
}

impl<'data, T: Send> Producer for RChunksExactMutProducer<'data, T> {
    type Item = &'data mut [T];
    type IntoIter = std::slice::RChunksExactMut<'data, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.slice.rchunks_exact_mut(self.chunk_size)
    }

    fn split_at(self, index: usize) -> (Self, Self) {
        // The first `index` chunks are the ones at the end of the slice.
        let mid = chunk_boundary(index, self.chunk_size, self.slice.len());
        let (right, left) = self.slice.split_at_mut(mid);
        (
            RChunksExactMutProducer {
                chunk_size: self.chunk_size,
                slice: left,
            },
            RChunksExactMutProducer {
                chunk_size: self.chunk_size,
                slice: right,
            },
        )
    }
}
