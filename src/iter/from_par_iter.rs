//! `FromParallelIterator`: the targets of `collect`.

use super::{IntoParallelIterator, ParallelExtend};

/// Builds a collection from a parallel iterator; what
/// [`collect`](super::ParallelIterator::collect) calls.
///
/// # Examples
///
/// ```
/// use veda::iter::FromParallelIterator;
/// use veda::prelude::*;
///
/// let squares = Vec::from_par_iter((0..4).into_par_iter().map(|x| x * x));
/// assert_eq!(squares, [0, 1, 4, 9]);
/// ```
pub trait FromParallelIterator<T>
where
    T: Send,
{
    /// Builds `Self` from the items of `par_iter`.
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = T>;
}

impl<T: Send> FromParallelIterator<T> for Vec<T> {
    fn from_par_iter<I>(par_iter: I) -> Self
    where
        I: IntoParallelIterator<Item = T>,
    {
        let mut vec = Vec::new();
        vec.par_extend(par_iter);
        vec
    }
}
