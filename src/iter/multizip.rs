//! `MultiZip`: pair the items of up to twelve indexed iterators by position. Built by
//! `into_par_iter` on a tuple of things that convert into indexed parallel iterators (and
//! by `par_iter`/`par_iter_mut` on references to such tuples).

use super::plumbing::{Consumer, ProducerCallback, UnindexedConsumer};
use super::{
    IndexedParallelIterator, IntoParallelIterator, IntoParallelRefIterator,
    IntoParallelRefMutIterator, ParallelIterator,
};

/// Yields tuples of the items of several indexed iterators, position by position, as long
/// as the shortest lasts: `zip` for any number of iterators from one to twelve.
///
/// # Examples
///
/// ```
/// use veda::prelude::*;
///
/// let a = vec![1, 2, 3];
/// let b = vec![10, 20, 30];
/// let c = vec![100, 200];
/// let sums: Vec<i32> = (&a, &b, &c).into_par_iter().map(|(x, y, z)| x + y + z).collect();
/// assert_eq!(sums, [111, 222]);
///
/// let (mut xs, mut ys) = (vec![1, 2], vec![3, 4]);
/// (&mut xs, &mut ys).into_par_iter().for_each(|(x, y)| std::mem::swap(x, y));
/// assert_eq!((xs, ys), (vec![3, 4], vec![1, 2]));
/// ```
#[derive(Clone, Debug)]
pub struct MultiZip<T> {
    tuple: T,
}

/// Zips the iterators right-nested: `a.zip(b.zip(c))`.
macro_rules! zip_nested {
    ($last:expr) => {
        $last
    };
    ($first:expr, $($rest:expr),+) => {
        $first.zip(zip_nested!($($rest),+))
    };
}

/// The pattern of a right-nested zip's items: `(a, (b, c))`.
macro_rules! nested_pattern {
    ($last:ident) => {
        $last
    };
    ($first:ident, $($rest:ident),+) => {
        ($first, nested_pattern!($($rest),+))
    };
}

/// The right-nested zip of the tuple's iterators, its items flattened into a tuple.
macro_rules! flat_zip {
    ($tuple:expr; $($name:ident)+) => {{
        let ($($name,)+) = $tuple;
        zip_nested!($($name),+).map(|nested_pattern!($($name),+)| ($($name,)+))
    }};
}

macro_rules! multizip {
    ($(($T:ident $name:ident $idx:tt))+) => {
        impl<$($T,)+> IntoParallelIterator for ($($T,)+)
        where
            $($T: IntoParallelIterator<Iter: IndexedParallelIterator>,)+
        {
            type Item = ($($T::Item,)+);
            type Iter = MultiZip<($($T::Iter,)+)>;

            fn into_par_iter(self) -> Self::Iter {
                MultiZip {
                    tuple: ($(self.$idx.into_par_iter(),)+),
                }
            }
        }

        impl<'a, $($T,)+> IntoParallelIterator for &'a ($($T,)+)
        where
            $($T: IntoParallelRefIterator<'a, Iter: IndexedParallelIterator>,)+
        {
            type Item = ($(<$T as IntoParallelRefIterator<'a>>::Item,)+);
            type Iter = MultiZip<($(<$T as IntoParallelRefIterator<'a>>::Iter,)+)>;

            fn into_par_iter(self) -> Self::Iter {
                MultiZip {
                    tuple: ($(self.$idx.par_iter(),)+),
                }
            }
        }

        impl<'a, $($T,)+> IntoParallelIterator for &'a mut ($($T,)+)
        where
            $($T: IntoParallelRefMutIterator<'a, Iter: IndexedParallelIterator>,)+
        {
            type Item = ($(<$T as IntoParallelRefMutIterator<'a>>::Item,)+);
            type Iter = MultiZip<($(<$T as IntoParallelRefMutIterator<'a>>::Iter,)+)>;

            fn into_par_iter(self) -> Self::Iter {
                MultiZip {
                    tuple: ($(self.$idx.par_iter_mut(),)+),
                }
            }
        }

        impl<$($T,)+> ParallelIterator for MultiZip<($($T,)+)>
        where
            $($T: IndexedParallelIterator,)+
        {
            type Item = ($($T::Item,)+);

            fn drive_unindexed<CONSUMER>(self, consumer: CONSUMER) -> CONSUMER::Result
            where
                CONSUMER: UnindexedConsumer<Self::Item>,
            {
                flat_zip!(self.tuple; $($name)+).drive_unindexed(consumer)
            }

            fn opt_len(&self) -> Option<usize> {
                Some(self.len())
            }
        }

        impl<$($T,)+> IndexedParallelIterator for MultiZip<($($T,)+)>
        where
            $($T: IndexedParallelIterator,)+
        {
            fn drive<CONSUMER>(self, consumer: CONSUMER) -> CONSUMER::Result
            where
                CONSUMER: Consumer<Self::Item>,
            {
                flat_zip!(self.tuple; $($name)+).drive(consumer)
            }

            fn len(&self) -> usize {
                [$(self.tuple.$idx.len()),+].into_iter().min().unwrap_or(0)
            }

            fn with_producer<CB>(self, callback: CB) -> CB::Output
            where
                CB: ProducerCallback<Self::Item>,
            {
                flat_zip!(self.tuple; $($name)+).with_producer(callback)
            }
        }
    };
}

multizip!((A a 0));
multizip!((A a 0) (B b 1));
multizip!((A a 0) (B b 1) (C c 2));
multizip!((A a 0) (B b 1) (C c 2) (D d 3));
multizip!((A a 0) (B b 1) (C c 2) (D d 3) (E e 4));
multizip!((A a 0) (B b 1) (C c 2) (D d 3) (E e 4) (F f 5));
multizip!((A a 0) (B b 1) (C c 2) (D d 3) (E e 4) (F f 5) (G g 6));
multizip!((A a 0) (B b 1) (C c 2) (D d 3) (E e 4) (F f 5) (G g 6) (H h 7));
multizip!((A a 0) (B b 1) (C c 2) (D d 3) (E e 4) (F f 5) (G g 6) (H h 7) (I i 8));
multizip!((A a 0) (B b 1) (C c 2) (D d 3) (E e 4) (F f 5) (G g 6) (H h 7) (I i 8) (J j 9));
multizip!((A a 0) (B b 1) (C c 2) (D d 3) (E e 4) (F f 5) (G g 6) (H h 7) (I i 8) (J j 9)
    (K k 10));
multizip!((A a 0) (B b 1) (C c 2) (D d 3) (E e 4) (F f 5) (G g 6) (H h 7) (I i 8) (J j 9)
    (K k 10) (L l 11));
