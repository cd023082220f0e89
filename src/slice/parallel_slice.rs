//! The `ParallelSlice` trait: parallel views of a shared slice (splits, windows, chunks).

use super::{
    ArrayWindows, ChunkBy, Chunks, ChunksExact, RChunks, RChunksExact, Split, SplitInclusive,
    Windows,
};

/// Parallel iterators over sub-slices of a shared slice: the parallel counterparts of
/// `split`, `windows`, `chunks`, `chunk_by` and their relatives on `[T]`.
///
/// It is implemented for `[T]`, so vectors, arrays and boxed slices reach it through
/// auto-deref.
pub trait ParallelSlice<T: Sync> {
    /// Returns the slice the other methods work on.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let v = vec![1, 2, 3];
    /// assert_eq!(v.as_parallel_slice(), &[1, 2, 3]);
    /// ```
    fn as_parallel_slice(&self) -> &[T];

    /// Iterates over the sub-slices separated by the items for which `separator` returns
    /// true; the separators themselves are left out. Yields what `[T]::split` yields, in the
    /// same order.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let pieces: Vec<&[i32]> = [1, 0, 2, 3, 0, 4].par_split(|&x| x == 0).collect();
    /// assert_eq!(pieces, [&[1][..], &[2, 3], &[4]]);
    /// ```
    fn par_split<P>(&self, separator: P) -> Split<'_, T, P>
    where
        P: Fn(&T) -> bool + Sync + Send,
    {
        Split::new(self.as_parallel_slice(), separator)
    }

    /// Iterates over the sub-slices that end with an item for which `separator` returns
    /// true (the last one may end without one). Yields what `[T]::split_inclusive` yields.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let pieces: Vec<&[i32]> = [1, 0, 2, 3, 0, 4].par_split_inclusive(|&x| x == 0).collect();
    /// assert_eq!(pieces, [&[1, 0][..], &[2, 3, 0], &[4]]);
    /// ```
    fn par_split_inclusive<P>(&self, separator: P) -> SplitInclusive<'_, T, P>
    where
        P: Fn(&T) -> bool + Sync + Send,
    {
        SplitInclusive::new(self.as_parallel_slice(), separator)
    }

    /// Iterates over all overlapping windows of `window_size` consecutive items.
    ///
    /// # Panics
    ///
    /// A `window_size` of zero panics when the iterator is used (driven, or asked its
    /// length), not here, as in Rayon.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let sums: Vec<i32> = [1, 2, 3, 4].par_windows(2).map(|w| w[0] + w[1]).collect();
    /// assert_eq!(sums, [3, 5, 7]);
    /// ```
    fn par_windows(&self, window_size: usize) -> Windows<'_, T> {
        Windows::new(window_size, self.as_parallel_slice())
    }

    /// Iterates over all overlapping windows of `N` consecutive items, as array references.
    ///
    /// `N` must not be zero: as in Rayon, a program that uses (drives, or asks the length
    /// of) an iterator of zero-sized windows fails to build.
    ///
    /// ```compile_fail
    /// use veda::prelude::*;
    ///
    /// let _ = [1, 2, 3].par_array_windows::<0>().count();
    /// ```
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let rising = [1, 3, 2, 5].par_array_windows().filter(|[a, b]| a < b).count();
    /// assert_eq!(rising, 2);
    /// ```
    fn par_array_windows<const N: usize>(&self) -> ArrayWindows<'_, T, N> {
        ArrayWindows::new(self.as_parallel_slice())
    }

    /// Iterates over consecutive chunks of `chunk_size` items; the last chunk is shorter when
    /// `chunk_size` does not divide the length.
    ///
    /// # Panics
    ///
    /// Panics if `chunk_size` is zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let chunks: Vec<&[i32]> = [1, 2, 3, 4, 5].par_chunks(2).collect();
    /// assert_eq!(chunks, [&[1, 2][..], &[3, 4], &[5]]);
    /// ```
    #[track_caller]
    fn par_chunks(&self, chunk_size: usize) -> Chunks<'_, T> {
        assert!(chunk_size != 0, "chunk_size must not be zero");
        Chunks::new(chunk_size, self.as_parallel_slice())
    }

    /// Iterates over consecutive chunks of exactly `chunk_size` items; the items left over
    /// at the end are available from [`ChunksExact::remainder`].
    ///
    /// # Panics
    ///
    /// Panics if `chunk_size` is zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let chunks = [1, 2, 3, 4, 5].par_chunks_exact(2);
    /// assert_eq!(chunks.remainder(), &[5]);
    /// let chunks: Vec<&[i32]> = chunks.collect();
    /// assert_eq!(chunks, [&[1, 2][..], &[3, 4]]);
    /// ```
    #[track_caller]
    fn par_chunks_exact(&self, chunk_size: usize) -> ChunksExact<'_, T> {
        assert!(chunk_size != 0, "chunk_size must not be zero");
        ChunksExact::new(chunk_size, self.as_parallel_slice())
    }

    /// Iterates over chunks of `chunk_size` items taken from the end of the slice; the last
    /// chunk (the start of the slice) is shorter when `chunk_size` does not divide the length.
    ///
    /// # Panics
    ///
    /// Panics if `chunk_size` is zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let chunks: Vec<&[i32]> = [1, 2, 3, 4, 5].par_rchunks(2).collect();
    /// assert_eq!(chunks, [&[4, 5][..], &[2, 3], &[1]]);
    /// ```
    #[track_caller]
    fn par_rchunks(&self, chunk_size: usize) -> RChunks<'_, T> {
        assert!(chunk_size != 0, "chunk_size must not be zero");
        RChunks::new(chunk_size, self.as_parallel_slice())
    }

    /// Iterates over chunks of exactly `chunk_size` items taken from the end of the slice;
    /// the items left over at the start are available from [`RChunksExact::remainder`].
    ///
    /// # Panics
    ///
    /// Panics if `chunk_size` is zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let chunks = [1, 2, 3, 4, 5].par_rchunks_exact(2);
    /// assert_eq!(chunks.remainder(), &[1]);
    /// let chunks: Vec<&[i32]> = chunks.collect();
    /// assert_eq!(chunks, [&[4, 5][..], &[2, 3]]);
    /// ```
    #[track_caller]
    fn par_rchunks_exact(&self, chunk_size: usize) -> RChunksExact<'_, T> {
        assert!(chunk_size != 0, "chunk_size must not be zero");
        RChunksExact::new(chunk_size, self.as_parallel_slice())
    }

    /// Iterates over the maximal runs of items in which `pred` holds for every pair of
    /// neighbours. Yields what `[T]::chunk_by` yields; `pred` is called once per pair of
    /// neighbours.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let runs: Vec<&[i32]> = [1, 1, 2, 3, 3, 3].par_chunk_by(|a, b| a == b).collect();
    /// assert_eq!(runs, [&[1, 1][..], &[2], &[3, 3, 3]]);
    /// ```
    fn par_chunk_by<F>(&self, pred: F) -> ChunkBy<'_, T, F>
    where
        F: Fn(&T, &T) -> bool + Send + Sync,
    {
        ChunkBy::new(self.as_parallel_slice(), pred)
    }
}

impl<T: Sync> ParallelSlice<T> for [T] {
    #[inline]
    fn as_parallel_slice(&self) -> &[T] {
        self
    }
}
