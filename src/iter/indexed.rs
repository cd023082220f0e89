//! The `IndexedParallelIterator` trait.

use super::plumbing::{Consumer, ProducerCallback};
use super::{collect, Enumerate, IntoParallelIterator, MaxLen, MinLen, ParallelIterator, Zip};

/// A parallel iterator that knows its length and can split at any index, so that items keep
/// their positions: the base of `zip`, `enumerate`, `rev`, and of collecting straight into a
/// destination's memory.
#[allow(clippy::len_without_is_empty)] // Rayon's trait has `len` and no `is_empty`
pub trait IndexedParallelIterator: ParallelIterator {
    /// Collects into `target`, replacing its contents, writing each item directly into its
    /// final place.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mut squares = vec![99];
    /// (0..4).into_par_iter().map(|x| x * x).collect_into_vec(&mut squares);
    /// assert_eq!(squares, [0, 1, 4, 9]);
    /// ```
    fn collect_into_vec(self, target: &mut Vec<Self::Item>) {
        collect::collect_into_vec(self, target);
    }

    /// Splits every pair and writes the first halves into `left` and the second halves into
    /// `right`, replacing their contents; each item goes directly into its final place.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let (mut numbers, mut squares) = (vec![7], Vec::new());
    /// (0..4u32)
    ///     .into_par_iter()
    ///     .map(|x| (x, x * x))
    ///     .unzip_into_vecs(&mut numbers, &mut squares);
    /// assert_eq!(numbers, [0, 1, 2, 3]);
    /// assert_eq!(squares, [0, 1, 4, 9]);
    /// ```
    fn unzip_into_vecs<A, B>(self, left: &mut Vec<A>, right: &mut Vec<B>)
    where
        Self: IndexedParallelIterator<Item = (A, B)>,
        A: Send,
        B: Send,
    {
        super::collect::unzip_into_vecs(self, left, right);
    }

    /// Pairs the items of `self` and `zip_op` by position, stopping at the shorter one.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let a = [1, 2, 3];
    /// let b = [10, 20];
    /// let sums: Vec<i32> = a.par_iter().zip(&b).map(|(x, y)| x + y).collect();
    /// assert_eq!(sums, [11, 22]);
    /// ```
    fn zip<Z>(self, zip_op: Z) -> Zip<Self, Z::Iter>
    where
        Z: IntoParallelIterator<Iter: IndexedParallelIterator>,
    {
        Zip::new(self, zip_op.into_par_iter())
    }

    /// Yields the first item and then every `step`-th one after it.
    ///
    /// # Panics
    ///
    /// A `step` of zero panics (dividing by zero) when the iterator is used (driven, or
    /// asked its length), not here, as in Rayon.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let picked: Vec<i32> = (0..10).into_par_iter().step_by(3).collect();
    /// assert_eq!(picked, [0, 3, 6, 9]);
    /// ```
    fn step_by(self, step: usize) -> super::StepBy<Self> {
        super::StepBy::new(self, step)
    }

    /// Leaves out the first `n` items (all of them if there are fewer).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let rest: Vec<i32> = (0..6).into_par_iter().skip(4).collect();
    /// assert_eq!(rest, [4, 5]);
    /// ```
    fn skip(self, n: usize) -> super::Skip<Self> {
        super::Skip::new(self, n)
    }

    /// Keeps only the first `n` items (all of them if there are fewer).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let first: Vec<i32> = (0..6).into_par_iter().take(2).collect();
    /// assert_eq!(first, [0, 1]);
    /// ```
    fn take(self, n: usize) -> super::Take<Self> {
        super::Take::new(self, n)
    }

    /// Yields the items back to front.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let backwards: Vec<i32> = (0..4).into_par_iter().rev().collect();
    /// assert_eq!(backwards, [3, 2, 1, 0]);
    /// ```
    fn rev(self) -> super::Rev<Self> {
        super::Rev::new(self)
    }

    /// Groups the items into vectors of `chunk_size` items; the last vector holds what is
    /// left and may be shorter.
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
    /// let groups: Vec<Vec<i32>> = (1..8).into_par_iter().chunks(3).collect();
    /// assert_eq!(groups, [vec![1, 2, 3], vec![4, 5, 6], vec![7]]);
    /// ```
    #[track_caller]
    fn chunks(self, chunk_size: usize) -> super::Chunks<Self> {
        assert!(chunk_size != 0, "chunk_size must not be zero");
        super::Chunks::new(self, chunk_size)
    }

    /// Folds each chunk of `chunk_size` items into one value, starting each chunk from
    /// `identity()`; the last chunk holds what is left. Unlike
    /// [`fold`](ParallelIterator::fold), the chunks do not depend on how the work is split.
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
    /// let sums: Vec<i32> = (1..8).into_par_iter().fold_chunks(3, || 0, |a, x| a + x).collect();
    /// assert_eq!(sums, [6, 15, 7]);
    /// ```
    #[track_caller]
    fn fold_chunks<T, ID, F>(
        self,
        chunk_size: usize,
        identity: ID,
        fold_op: F,
    ) -> super::FoldChunks<Self, ID, F>
    where
        ID: Fn() -> T + Send + Sync,
        F: Fn(T, Self::Item) -> T + Send + Sync,
        T: Send,
    {
        assert!(chunk_size != 0, "chunk_size must not be zero");
        super::FoldChunks::new(self, chunk_size, identity, fold_op)
    }

    /// Like [`fold_chunks`](IndexedParallelIterator::fold_chunks), but each chunk starts
    /// from a clone of `init`.
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
    /// let sums: Vec<i32> = (1..8).into_par_iter().fold_chunks_with(3, 100, |a, x| a + x).collect();
    /// assert_eq!(sums, [106, 115, 107]);
    /// ```
    #[track_caller]
    fn fold_chunks_with<T, F>(
        self,
        chunk_size: usize,
        init: T,
        fold_op: F,
    ) -> super::FoldChunksWith<Self, T, F>
    where
        T: Send + Clone,
        F: Fn(T, Self::Item) -> T + Send + Sync,
    {
        assert!(chunk_size != 0, "chunk_size must not be zero");
        super::FoldChunksWith::new(self, chunk_size, init, fold_op)
    }

    /// Like [`zip`](IndexedParallelIterator::zip), for iterators that must be of equal
    /// length.
    ///
    /// # Panics
    ///
    /// Panics if the two lengths differ.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let pairs: Vec<(i32, char)> = (1..4).into_par_iter().zip_eq(vec!['a', 'b', 'c']).collect();
    /// assert_eq!(pairs, [(1, 'a'), (2, 'b'), (3, 'c')]);
    /// ```
    #[track_caller]
    fn zip_eq<Z>(self, zip_op: Z) -> super::ZipEq<Self, Z::Iter>
    where
        Z: IntoParallelIterator<Iter: IndexedParallelIterator>,
    {
        let other = zip_op.into_par_iter();
        assert_eq!(
            self.len(),
            other.len(),
            "iterators must have the same length"
        );
        super::ZipEq::new(self, other)
    }

    /// Runs the items as a sequence of blocks, one after another, each block in parallel;
    /// the first block holds as many items as there are threads, and each next one twice as
    /// many as the one before. Searches that stop early (`find_first`, `take_any_while`, …)
    /// then do little work beyond the block where they stop.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let total: u32 = (0..1000u32).into_par_iter().by_exponential_blocks().sum();
    /// assert_eq!(total, 499_500);
    /// ```
    fn by_exponential_blocks(self) -> super::ExponentialBlocks<Self> {
        super::ExponentialBlocks::new(self)
    }

    /// Runs the items as a sequence of blocks of `block_size` items (the last one may be
    /// shorter), one after another, each block in parallel.
    ///
    /// # Panics
    ///
    /// Panics if `block_size` is zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let items: Vec<i32> = (0..10).into_par_iter().by_uniform_blocks(3).collect();
    /// assert_eq!(items, (0..10).collect::<Vec<_>>());
    /// ```
    #[track_caller]
    fn by_uniform_blocks(self, block_size: usize) -> super::UniformBlocks<Self> {
        assert!(block_size != 0, "block_size must not be zero");
        super::UniformBlocks::new(self, block_size)
    }

    /// The indices of the items for which `predicate` returns true, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let at: Vec<usize> = [3, 8, 5, 10].par_iter().positions(|&x| x % 2 == 0).collect();
    /// assert_eq!(at, [1, 3]);
    /// ```
    fn positions<P>(self, predicate: P) -> super::Positions<Self, P>
    where
        P: Fn(Self::Item) -> bool + Sync + Send,
    {
        super::Positions::new(self, predicate)
    }

    /// Alternates the items of `self` and `other`, starting with `self`; once one side runs
    /// out, the rest of the other follows.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mixed: Vec<i32> = vec![1, 2, 3, 4].into_par_iter().interleave(vec![-1, -2]).collect();
    /// assert_eq!(mixed, [1, -1, 2, -2, 3, 4]);
    /// ```
    fn interleave<I>(self, other: I) -> super::Interleave<Self, I::Iter>
    where
        I: IntoParallelIterator<Item = Self::Item, Iter: IndexedParallelIterator>,
    {
        super::Interleave::new(self, other.into_par_iter())
    }

    /// Alternates the items of `self` and `other`, starting with `self`, and stops as soon
    /// as the side whose turn it is has run out.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let mixed: Vec<i32> = vec![1, 2, 3, 4]
    ///     .into_par_iter()
    ///     .interleave_shortest(vec![-1, -2])
    ///     .collect();
    /// assert_eq!(mixed, [1, -1, 2, -2, 3]);
    /// ```
    fn interleave_shortest<I>(self, other: I) -> super::InterleaveShortest<Self, I::Iter>
    where
        I: IntoParallelIterator<Item = Self::Item, Iter: IndexedParallelIterator>,
    {
        super::InterleaveShortest::new(self, other.into_par_iter())
    }

    /// Pairs every item with its index.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let indexed: Vec<(usize, char)> = ['a', 'b'].par_iter().copied().enumerate().collect();
    /// assert_eq!(indexed, [(0, 'a'), (1, 'b')]);
    /// ```
    fn enumerate(self) -> Enumerate<Self> {
        Enumerate::new(self)
    }

    /// Compares the items with those of `other` lexicographically, as `Iterator::cmp` does:
    /// the first unequal pair decides, else the shorter sequence is less.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::cmp::Ordering;
    /// use veda::prelude::*;
    ///
    /// let a = [1, 2, 3];
    /// assert_eq!(a.par_iter().cmp(&[1, 2, 4]), Ordering::Less);
    /// assert_eq!(a.par_iter().cmp(&[1, 2]), Ordering::Greater);
    /// assert_eq!(a.par_iter().cmp(&a), Ordering::Equal);
    /// ```
    fn cmp<I>(self, other: I) -> std::cmp::Ordering
    where
        I: IntoParallelIterator<Item = Self::Item, Iter: IndexedParallelIterator>,
        Self::Item: Ord,
    {
        let other = other.into_par_iter();
        let by_length = self.len().cmp(&other.len());
        self.zip(other)
            .map(|(left, right)| Ord::cmp(&left, &right))
            .find_first(|&order| order != std::cmp::Ordering::Equal)
            .unwrap_or(by_length)
    }

    /// Compares the items with those of `other` lexicographically, as
    /// `Iterator::partial_cmp` does: the first pair that is not equal decides (`None` if it
    /// is incomparable), else the shorter sequence is less.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::cmp::Ordering;
    /// use veda::prelude::*;
    ///
    /// let a = [1.0, 2.0];
    /// assert_eq!(a.par_iter().partial_cmp(&[1.0, 3.0]), Some(Ordering::Less));
    /// assert_eq!(a.par_iter().partial_cmp(&[f64::NAN, 3.0]), None);
    /// ```
    fn partial_cmp<I>(self, other: I) -> Option<std::cmp::Ordering>
    where
        I: IntoParallelIterator<Iter: IndexedParallelIterator>,
        Self::Item: PartialOrd<I::Item>,
    {
        let other = other.into_par_iter();
        let by_length = self.len().cmp(&other.len());
        self.zip(other)
            .map(|(left, right)| PartialOrd::partial_cmp(&left, &right))
            .find_first(|&order| order != Some(std::cmp::Ordering::Equal))
            .unwrap_or(Some(by_length))
    }

    /// True if `other` has as many items as `self`, and they are pairwise equal.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let a = vec![1, 2, 3];
    /// assert!(a.par_iter().eq(&[1, 2, 3]));
    /// assert!(!a.par_iter().eq(&[1, 2]));
    /// ```
    fn eq<I>(self, other: I) -> bool
    where
        I: IntoParallelIterator<Iter: IndexedParallelIterator>,
        Self::Item: PartialEq<I::Item>,
    {
        let other = other.into_par_iter();
        self.len() == other.len() && self.zip(other).all(|(left, right)| left == right)
    }

    /// The negation of [`eq`](Self::eq).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// assert!([1, 2].par_iter().ne(&[2, 1]));
    /// ```
    fn ne<I>(self, other: I) -> bool
    where
        I: IntoParallelIterator<Iter: IndexedParallelIterator>,
        Self::Item: PartialEq<I::Item>,
    {
        !self.eq(other)
    }

    /// True if `self` is lexicographically less than `other` (see
    /// [`partial_cmp`](Self::partial_cmp)).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// assert!([1, 2].par_iter().lt(&[1, 2, 0]));
    /// assert!(![1, 2].par_iter().lt(&[1, 2]));
    /// ```
    fn lt<I>(self, other: I) -> bool
    where
        I: IntoParallelIterator<Iter: IndexedParallelIterator>,
        Self::Item: PartialOrd<I::Item>,
    {
        self.partial_cmp(other) == Some(std::cmp::Ordering::Less)
    }

    /// True if `self` is lexicographically less than or equal to `other`.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// assert!([1, 2].par_iter().le(&[1, 2]));
    /// assert!(![1, 3].par_iter().le(&[1, 2]));
    /// ```
    fn le<I>(self, other: I) -> bool
    where
        I: IntoParallelIterator<Iter: IndexedParallelIterator>,
        Self::Item: PartialOrd<I::Item>,
    {
        matches!(
            self.partial_cmp(other),
            Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)
        )
    }

    /// True if `self` is lexicographically greater than `other`.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// assert!([1, 3].par_iter().gt(&[1, 2, 9]));
    /// assert!(![1, 2].par_iter().gt(&[1, 2]));
    /// ```
    fn gt<I>(self, other: I) -> bool
    where
        I: IntoParallelIterator<Iter: IndexedParallelIterator>,
        Self::Item: PartialOrd<I::Item>,
    {
        self.partial_cmp(other) == Some(std::cmp::Ordering::Greater)
    }

    /// True if `self` is lexicographically greater than or equal to `other`.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// assert!([1, 2].par_iter().ge(&[1, 2]));
    /// assert!(![1, 2].par_iter().ge(&[1, 2, 0]));
    /// ```
    fn ge<I>(self, other: I) -> bool
    where
        I: IntoParallelIterator<Iter: IndexedParallelIterator>,
        Self::Item: PartialOrd<I::Item>,
    {
        matches!(
            self.partial_cmp(other),
            Some(std::cmp::Ordering::Greater | std::cmp::Ordering::Equal)
        )
    }

    /// The index of some item that matches `predicate`, not necessarily the first.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let a = [1, 2, 3, 3];
    /// let i = a.par_iter().position_any(|&x| x == 3).unwrap();
    /// assert!(i == 2 || i == 3);
    /// ```
    fn position_any<P>(self, predicate: P) -> Option<usize>
    where
        P: Fn(Self::Item) -> bool + Sync + Send,
    {
        self.map(predicate)
            .enumerate()
            .find_any(|&(_, holds)| holds)
            .map(|(index, _)| index)
    }

    /// The index of the first item that matches `predicate`, as `Iterator::position` would
    /// return.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let a = [1, 2, 3, 3];
    /// assert_eq!(a.par_iter().position_first(|&x| x == 3), Some(2));
    /// ```
    fn position_first<P>(self, predicate: P) -> Option<usize>
    where
        P: Fn(Self::Item) -> bool + Sync + Send,
    {
        self.map(predicate)
            .enumerate()
            .find_first(|&(_, holds)| holds)
            .map(|(index, _)| index)
    }

    /// The index of the last item that matches `predicate`, as `Iterator::rposition` would
    /// return.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let a = [1, 2, 3, 3];
    /// assert_eq!(a.par_iter().position_last(|&x| x == 3), Some(3));
    /// ```
    fn position_last<P>(self, predicate: P) -> Option<usize>
    where
        P: Fn(Self::Item) -> bool + Sync + Send,
    {
        self.map(predicate)
            .enumerate()
            .find_last(|&(_, holds)| holds)
            .map(|(index, _)| index)
    }

    /// The old name of [`position_any`](Self::position_any).
    #[doc(hidden)]
    #[deprecated(
        note = "parallel `position` does not search in order -- use `position_any`, \
                `position_first`, or `position_last`"
    )]
    fn position<P>(self, predicate: P) -> Option<usize>
    where
        P: Fn(Self::Item) -> bool + Sync + Send,
    {
        self.position_any(predicate)
    }

    /// Never splits the work into pieces of fewer than `min` items (useful when items are
    /// cheap and splitting is not).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let total: u64 = (0..10_000u32).into_par_iter().map(u64::from).with_min_len(1024).sum();
    /// assert_eq!(total, 49_995_000);
    /// ```
    fn with_min_len(self, min: usize) -> MinLen<Self> {
        MinLen::new(self, min)
    }

    /// Splits the work into pieces of at most `max` items (as far as halving allows; useful
    /// when items are expensive and uneven).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::prelude::*;
    ///
    /// let total: u64 = (0..100u32).into_par_iter().map(u64::from).with_max_len(4).sum();
    /// assert_eq!(total, 4950);
    /// ```
    fn with_max_len(self, max: usize) -> MaxLen<Self> {
        MaxLen::new(self, max)
    }

    /// The exact number of items.
    fn len(&self) -> usize;

    /// Runs the iterator into an indexed consumer (see [`plumbing`](super::plumbing)).
    fn drive<C: Consumer<Self::Item>>(self, consumer: C) -> C::Result;

    /// Hands a producer of this iterator's items to `callback` (see
    /// [`plumbing`](super::plumbing)).
    fn with_producer<CB: ProducerCallback<Self::Item>>(self, callback: CB) -> CB::Output;
}
