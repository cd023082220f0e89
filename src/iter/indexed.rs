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
