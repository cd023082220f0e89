//! The conversion traits: `into_par_iter`, `par_iter` and `par_iter_mut`.

use super::ParallelIterator;

/// Converts a value into a parallel iterator (`into_par_iter`), as `IntoIterator` does for
/// sequential ones. Every parallel iterator converts into itself.
///
/// # Examples
///
/// ```
/// use veda::prelude::*;
///
/// let total: i32 = vec![1, 2, 3].into_par_iter().sum();
/// assert_eq!(total, 6);
/// ```
pub trait IntoParallelIterator {
    /// The parallel iterator produced.
    type Iter: ParallelIterator<Item = Self::Item>;
    /// The items it yields.
    type Item: Send;

    /// Converts `self` into a parallel iterator.
    fn into_par_iter(self) -> Self::Iter;
}

impl<T: ParallelIterator> IntoParallelIterator for T {
    type Iter = T;
    type Item = T::Item;

    fn into_par_iter(self) -> T {
        self
    }
}

/// Borrows a collection as a parallel iterator of shared references (`par_iter`).
///
/// Implemented for every type whose shared reference converts into a parallel iterator.
///
/// # Examples
///
/// ```
/// use veda::prelude::*;
///
/// let words = vec!["a", "bb", "ccc"];
/// let lengths: Vec<usize> = words.par_iter().map(|w| w.len()).collect();
/// assert_eq!(lengths, [1, 2, 3]);
/// ```
pub trait IntoParallelRefIterator<'data> {
    /// The parallel iterator produced.
    type Iter: ParallelIterator<Item = Self::Item>;
    /// The items it yields, usually `&'data T`.
    type Item: Send + 'data;

    /// Iterates over shared references in parallel.
    fn par_iter(&'data self) -> Self::Iter;
}

impl<'data, I: 'data + ?Sized> IntoParallelRefIterator<'data> for I
where
    &'data I: IntoParallelIterator,
{
    type Iter = <&'data I as IntoParallelIterator>::Iter;
    type Item = <&'data I as IntoParallelIterator>::Item;

    fn par_iter(&'data self) -> Self::Iter {
        self.into_par_iter()
    }
}

/// Borrows a collection as a parallel iterator of mutable references (`par_iter_mut`).
///
/// # Examples
///
/// ```
/// use veda::prelude::*;
///
/// let mut values = vec![1, 2, 3];
/// values.par_iter_mut().for_each(|v| *v *= 10);
/// assert_eq!(values, [10, 20, 30]);
/// ```
pub trait IntoParallelRefMutIterator<'data> {
    /// The parallel iterator produced.
    type Iter: ParallelIterator<Item = Self::Item>;
    /// The items it yields, usually `&'data mut T`.
    type Item: Send + 'data;

    /// Iterates over mutable references in parallel.
    fn par_iter_mut(&'data mut self) -> Self::Iter;
}

impl<'data, I: 'data + ?Sized> IntoParallelRefMutIterator<'data> for I
where
    &'data mut I: IntoParallelIterator,
{
    type Iter = <&'data mut I as IntoParallelIterator>::Iter;
    type Item = <&'data mut I as IntoParallelIterator>::Item;

    fn par_iter_mut(&'data mut self) -> Self::Iter {
        self.into_par_iter()
    }
}
