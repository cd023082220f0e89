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
