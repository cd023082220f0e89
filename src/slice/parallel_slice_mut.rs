//! The `ParallelSliceMut` trait: parallel views of a mutable slice, and parallel sorts.

use super::{
    cached_key, mergesort, quicksort, ChunkByMut, ChunksExactMut, ChunksMut, RChunksExactMut,
    RChunksMut, SplitInclusiveMut, SplitMut,
};
use std::cmp::Ordering;

/// Parallel iterators over mutable sub-slices, and parallel sorts: the parallel
/// counterparts of `split_mut`, `chunks_mut`, `chunk_by_mut`, `sort`, `sort_unstable` and
/// their relatives on `[T]`.
///
/// It is implemented for `[T]`, so vectors, arrays and boxed slices reach it through
/// auto-deref.
pub trait ParallelSliceMut<T: Send> {
    /// Returns the slice the other methods work on.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mut v = vec![1, 2, 3];
    /// v.as_parallel_slice_mut()[0] = 7;
    /// assert_eq!(v, [7, 2, 3]);
    /// ```
    fn as_parallel_slice_mut(&mut self) -> &mut [T];

    /// Iterates over the mutable sub-slices separated by the items for which `separator`
    /// returns true; the separators themselves are left out. Yields what `[T]::split_mut`
    /// yields.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mut v = [1, 0, 2, 3, 0, 4];
    /// v.par_split_mut(|&x| x == 0).for_each(|piece| piece.reverse());
    /// assert_eq!(v, [1, 0, 3, 2, 0, 4]);
    /// ```
    fn par_split_mut<P>(&mut self, separator: P) -> SplitMut<'_, T, P>
    where
        P: Fn(&T) -> bool + Sync + Send,
    {
        SplitMut::new(self.as_parallel_slice_mut(), separator)
    }

    /// Iterates over the mutable sub-slices that end with an item for which `separator`
    /// returns true (the last one may end without one). Yields what
    /// `[T]::split_inclusive_mut` yields.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mut v = [1, 0, 2, 3, 0, 4];
    /// v.par_split_inclusive_mut(|&x| x == 0).for_each(|piece| piece.reverse());
    /// assert_eq!(v, [0, 1, 0, 3, 2, 4]);
    /// ```
    fn par_split_inclusive_mut<P>(&mut self, separator: P) -> SplitInclusiveMut<'_, T, P>
    where
        P: Fn(&T) -> bool + Sync + Send,
    {
        SplitInclusiveMut::new(self.as_parallel_slice_mut(), separator)
    }

    /// Iterates over consecutive mutable chunks of `chunk_size` items; the last chunk is
    /// shorter when `chunk_size` does not divide the length.
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
    /// let mut v = [1, 2, 3, 4, 5];
    /// v.par_chunks_mut(2).for_each(|chunk| chunk.reverse());
    /// assert_eq!(v, [2, 1, 4, 3, 5]);
    /// ```
    #[track_caller]
    fn par_chunks_mut(&mut self, chunk_size: usize) -> ChunksMut<'_, T> {
        assert!(chunk_size != 0, "chunk_size must not be zero");
        ChunksMut::new(chunk_size, self.as_parallel_slice_mut())
    }

    /// Iterates over consecutive mutable chunks of exactly `chunk_size` items; the items left
    /// over at the end are available from [`ChunksExactMut::into_remainder`] and its
    /// relatives.
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
    /// let mut v = [1, 2, 3, 4, 5];
    /// v.par_chunks_exact_mut(2).for_each(|chunk| chunk.reverse());
    /// assert_eq!(v, [2, 1, 4, 3, 5]);
    /// ```
    #[track_caller]
    fn par_chunks_exact_mut(&mut self, chunk_size: usize) -> ChunksExactMut<'_, T> {
        assert!(chunk_size != 0, "chunk_size must not be zero");
        ChunksExactMut::new(chunk_size, self.as_parallel_slice_mut())
    }

    /// Iterates over mutable chunks of `chunk_size` items taken from the end of the slice;
    /// the last chunk (the start of the slice) is shorter when `chunk_size` does not divide
    /// the length.
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
    /// let mut v = [1, 2, 3, 4, 5];
    /// v.par_rchunks_mut(2).for_each(|chunk| chunk.reverse());
    /// assert_eq!(v, [1, 3, 2, 5, 4]);
    /// ```
    #[track_caller]
    fn par_rchunks_mut(&mut self, chunk_size: usize) -> RChunksMut<'_, T> {
        assert!(chunk_size != 0, "chunk_size must not be zero");
        RChunksMut::new(chunk_size, self.as_parallel_slice_mut())
    }

    /// Iterates over mutable chunks of exactly `chunk_size` items taken from the end of the
    /// slice; the items left over at the start are available from
    /// [`RChunksExactMut::into_remainder`] and its relatives.
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
    /// let mut v = [1, 2, 3, 4, 5];
    /// v.par_rchunks_exact_mut(2).for_each(|chunk| chunk.reverse());
    /// assert_eq!(v, [1, 3, 2, 5, 4]);
    /// ```
    #[track_caller]
    fn par_rchunks_exact_mut(&mut self, chunk_size: usize) -> RChunksExactMut<'_, T> {
        assert!(chunk_size != 0, "chunk_size must not be zero");
        RChunksExactMut::new(chunk_size, self.as_parallel_slice_mut())
    }

    /// Sorts the slice in parallel, keeping equal items in their original order (a stable
    /// sort, like `[T]::sort`).
    ///
    /// It is a merge sort: pieces are sorted in parallel, then merged in parallel. It
    /// allocates a buffer as large as the slice. If the comparison panics, the panic is
    /// passed on and the slice holds every one of its items, in some order.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mut v = [5, -3, 1, 4, -2];
    /// v.par_sort();
    /// assert_eq!(v, [-3, -2, 1, 4, 5]);
    /// ```
    fn par_sort(&mut self)
    where
        T: Ord,
    {
        mergesort::par_mergesort(self.as_parallel_slice_mut(), &T::cmp);
    }

    /// Sorts the slice in parallel with the comparison `compare`, keeping equal items in
    /// their original order (a stable sort, like `[T]::sort_by`).
    ///
    /// `compare` must define a total order; if it does not, the items end up in an
    /// unspecified order, but none is lost or duplicated. See [`par_sort`](Self::par_sort).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mut v = [5, -3, 1, 4, -2];
    /// v.par_sort_by(|a, b| b.cmp(a));
    /// assert_eq!(v, [5, 4, 1, -2, -3]);
    /// ```
    fn par_sort_by<F>(&mut self, compare: F)
    where
        F: Fn(&T, &T) -> Ordering + Sync,
    {
        mergesort::par_mergesort(self.as_parallel_slice_mut(), &compare);
    }

    /// Sorts the slice in parallel by the keys `f` extracts, keeping items with equal keys
    /// in their original order (a stable sort, like `[T]::sort_by_key`).
    ///
    /// `f` is called on every comparison; when keys are expensive to compute,
    /// [`par_sort_by_cached_key`](Self::par_sort_by_cached_key) calls it once per item.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mut v = [5i32, -3, 1, 4, -2];
    /// v.par_sort_by_key(|x| x.abs());
    /// assert_eq!(v, [1, -2, -3, 4, 5]);
    /// ```
    fn par_sort_by_key<K, F>(&mut self, f: F)
    where
        K: Ord,
        F: Fn(&T) -> K + Sync,
    {
        mergesort::par_mergesort(self.as_parallel_slice_mut(), &|a: &T, b: &T| {
            f(a).cmp(&f(b))
        });
    }

    /// Sorts the slice in parallel by the keys `f` extracts, calling `f` once per item (in
    /// parallel) and keeping items with equal keys in their original order (a stable sort,
    /// like `[T]::sort_by_cached_key`).
    ///
    /// It allocates room for one key and one index per item.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mut words = ["banana", "fig", "apple", "kiwi"];
    /// words.par_sort_by_cached_key(|w| w.len());
    /// assert_eq!(words, ["fig", "kiwi", "apple", "banana"]);
    /// ```
    fn par_sort_by_cached_key<K, F>(&mut self, f: F)
    where
        F: Fn(&T) -> K + Sync,
        K: Ord + Send,
    {
        cached_key::par_sort_by_cached_key(self.as_parallel_slice_mut(), f);
    }

    /// Sorts the slice in parallel; equal items may be reordered (an unstable sort, like
    /// `[T]::sort_unstable`).
    ///
    /// It is a quicksort whose two sides are sorted in parallel; it allocates nothing and
    /// takes O(n log n) comparisons even on adversarial input. If the comparison panics, the
    /// panic is passed on and the slice holds every one of its items, in some order.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mut v = [5, -3, 1, 4, -2];
    /// v.par_sort_unstable();
    /// assert_eq!(v, [-3, -2, 1, 4, 5]);
    /// ```
    fn par_sort_unstable(&mut self)
    where
        T: Ord,
    {
        quicksort::par_quicksort(self.as_parallel_slice_mut(), &T::cmp);
    }

    /// Sorts the slice in parallel with the comparison `compare`; equal items may be
    /// reordered (an unstable sort, like `[T]::sort_unstable_by`).
    ///
    /// `compare` must define a total order; if it does not, the items end up in an
    /// unspecified order, but none is lost or duplicated.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mut v = [5, -3, 1, 4, -2];
    /// v.par_sort_unstable_by(|a, b| b.cmp(a));
    /// assert_eq!(v, [5, 4, 1, -2, -3]);
    /// ```
    fn par_sort_unstable_by<F>(&mut self, compare: F)
    where
        F: Fn(&T, &T) -> Ordering + Sync,
    {
        quicksort::par_quicksort(self.as_parallel_slice_mut(), &compare);
    }

    /// Sorts the slice in parallel by the keys `f` extracts; items with equal keys may be
    /// reordered (an unstable sort, like `[T]::sort_unstable_by_key`).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mut v = [5i32, -3, 1, 4, -2];
    /// v.par_sort_unstable_by_key(|x| x.abs());
    /// assert_eq!(v, [1, -2, -3, 4, 5]);
    /// ```
    fn par_sort_unstable_by_key<K, F>(&mut self, f: F)
    where
        K: Ord,
        F: Fn(&T) -> K + Sync,
    {
        quicksort::par_quicksort(self.as_parallel_slice_mut(), &|a: &T, b: &T| {
            f(a).cmp(&f(b))
        });
    }

    /// Iterates over the maximal mutable runs of items in which `pred` holds for every pair
    /// of neighbours. Yields what `[T]::chunk_by_mut` yields; `pred` is called once per pair
    /// of neighbours.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mut v = [1, 1, 2, 3, 3, 3];
    /// v.par_chunk_by_mut(|a, b| a == b).for_each(|run| {
    ///     let len = run.len() as i32;
    ///     run[0] = len;
    /// });
    /// assert_eq!(v, [2, 1, 1, 3, 3, 3]);
    /// ```
    fn par_chunk_by_mut<F>(&mut self, pred: F) -> ChunkByMut<'_, T, F>
    where
        F: Fn(&T, &T) -> bool + Send + Sync,
    {
        ChunkByMut::new(self.as_parallel_slice_mut(), pred)
    }
}

impl<T: Send> ParallelSliceMut<T> for [T] {
    #[inline]
    fn as_parallel_slice_mut(&mut self) -> &mut [T] {
        self
    }
}
