//! `par_sort_by_cached_key`: compute every key once, in parallel, sort (key, index) pairs,
//! then apply the resulting permutation to the slice.
//!
//! The pairs are all distinct (their indices are), so sorting them with the unstable
//! parallel sort still keeps items with equal keys in their original order. Indices are
//! stored in the narrowest integer type that holds them, when that makes the pairs smaller.

use super::ParallelSliceMut;
use crate::iter::{IndexedParallelIterator, IntoParallelRefMutIterator, ParallelIterator};
use std::mem::size_of;

/// An unsigned integer type used to store indices into the slice.
trait Index: Copy + Ord + Send {
    /// Converts an index known to fit.
    fn from_usize(index: usize) -> Self;
    fn to_usize(self) -> usize;
}

macro_rules! index_type {
    ($($ty:ty),*) => {$(
        impl Index for $ty {
            fn from_usize(index: usize) -> Self {
                // The caller chose this type because every index fits.
                index as $ty
            }

            fn to_usize(self) -> usize {
                self as usize
            }
        }
    )*};
}

index_type!(u8, u16, u32, usize);

/// Sorts `v` stably by the keys `f` extracts, calling `f` once per item.
pub(super) fn par_sort_by_cached_key<T, K, F>(v: &mut [T], f: F)
where
    T: Send,
    K: Ord + Send,
    F: Fn(&T) -> K + Sync,
{
    let len = v.len();
    if len < 2 {
        return;
    }
    if size_of::<(K, u8)>() < size_of::<(K, u16)>() && len <= usize::from(u8::MAX) {
        sort_with_indices::<T, K, F, u8>(v, f);
    } else if size_of::<(K, u16)>() < size_of::<(K, u32)>() && len <= usize::from(u16::MAX) {
        sort_with_indices::<T, K, F, u16>(v, f);
    } else if size_of::<(K, u32)>() < size_of::<(K, usize)>() && u32::try_from(len).is_ok() {
        sort_with_indices::<T, K, F, u32>(v, f);
    } else {
        sort_with_indices::<T, K, F, usize>(v, f);
    }
}

fn sort_with_indices<T, K, F, I>(v: &mut [T], f: F)
where
    T: Send,
    K: Ord + Send,
    F: Fn(&T) -> K + Sync,
    I: Index,
{
    let mut keyed: Vec<(K, I)> = v
        .par_iter_mut()
        .enumerate()
        .map(|(i, item)| (f(item), I::from_usize(i)))
        .collect();
    keyed.par_sort_unstable();
    // Position `i` receives the item that `keyed[i]` names. Items swapped away from
    // positions before `i` moved to where the entry of that position names, so follow the
    // chain until it leaves the positions already filled, and record where the item went.
    for i in 0..keyed.len() {
        let mut source = keyed[i].1.to_usize();
        while source < i {
            source = keyed[source].1.to_usize();
        }
        keyed[i].1 = I::from_usize(source);
        v.swap(i, source);
    }
}
