//! Parallel iterators over a `VecDeque`, front to back.
//!
//! # Examples
//!
//! ```
//! use std::collections::VecDeque;
//! use veda::prelude::*;
//!
//! let mut deque: VecDeque<i32> = (1..=3).collect();
//! deque.push_front(0);
//! let doubled: Vec<i32> = deque.par_iter().map(|x| x * 2).collect();
//! assert_eq!(doubled, [0, 2, 4, 6]);
//! ```

use super::Lent;
use crate::forward::forward_indexed_iterator;
use crate::iter::plumbing::{bridge, Consumer, Producer, ProducerCallback, UnindexedConsumer};
use crate::iter::{
    IndexedParallelIterator, IntoParallelIterator, ParallelDrainRange, ParallelIterator,
};
use crate::vec;
use std::ops::{Range, RangeBounds};

/// A parallel iterator that moves the items out of a `VecDeque`.
#[derive(Clone, Debug)]
pub struct IntoIter<T: Send> {
    inner: vec::IntoIter<T>,
}

impl<T: Send> IntoParallelIterator for std::collections::VecDeque<T> {
    type Item = T;
    type Iter = IntoIter<T>;

    fn into_par_iter(self) -> IntoIter<T> {
        IntoIter {
            inner: Vec::from(self).into_par_iter(),
        }
    }
}

forward_indexed_iterator!([T: Send] IntoIter<T> => T);

/// A parallel iterator over shared references to the items of a `VecDeque`.
#[derive(Debug)]
pub struct Iter<'a, T> {
    front: &'a [T],
    back: &'a [T],
}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Iter {
            front: self.front,
            back: self.back,
        }
    }
}

impl<'a, T: Sync> IntoParallelIterator for &'a std::collections::VecDeque<T> {
    type Item = &'a T;
    type Iter = Iter<'a, T>;

    fn into_par_iter(self) -> Iter<'a, T> {
        let (front, back) = self.as_slices();
        Iter { front, back }
    }
}

/// A parallel iterator over mutable references to the items of a `VecDeque`.
#[derive(Debug)]
pub struct IterMut<'a, T> {
    front: &'a mut [T],
    back: &'a mut [T],
}

impl<'a, T: Send> IntoParallelIterator for &'a mut std::collections::VecDeque<T> {
    type Item = &'a mut T;
    type Iter = IterMut<'a, T>;

    fn into_par_iter(self) -> IterMut<'a, T> {
        let (front, back) = self.as_mut_slices();
        IterMut { front, back }
    }
}

/// Implements the iterator traits of `Iter`/`IterMut` over their two slices.
macro_rules! two_slices {
    ($name:ident, $prod:ident, $slice:ty, $bound:ident, $item:ty, $split:ident, $seq:ident) => {
        impl<'a, T: $bound + 'a> ParallelIterator for $name<'a, T> {
            type Item = $item;

            fn drive_unindexed<C>(self, consumer: C) -> C::Result
            where
                C: UnindexedConsumer<$item>,
            {
                bridge(self, consumer)
            }

            fn opt_len(&self) -> Option<usize> {
                Some(self.len())
            }
        }

        impl<'a, T: $bound + 'a> IndexedParallelIterator for $name<'a, T> {
            fn drive<C: Consumer<$item>>(self, consumer: C) -> C::Result {
                bridge(self, consumer)
            }

            fn len(&self) -> usize {
                self.front.len() + self.back.len()
            }

            fn with_producer<CB: ProducerCallback<$item>>(self, callback: CB) -> CB::Output {
                callback.callback($prod {
                    front: self.front,
                    back: self.back,
                })
            }
        }

        /// The producer of the iterator of the same item type: two slices.
        struct $prod<'a, T> {
            front: $slice,
            back: $slice,
        }

        impl<'a, T: $bound + 'a> Producer for $prod<'a, T> {
            type Item = $item;
            type IntoIter = TwoSlices<std::slice::$seq<'a, T>>;

            fn into_iter(self) -> Self::IntoIter {
                TwoSlices {
                    front: self.front.into_iter(),
                    back: self.back.into_iter(),
                }
            }

            fn split_at(self, index: usize) -> (Self, Self) {
                let front_len = self.front.len();
                if index <= front_len {
                    let (left, right) = self.front.$split(index);
                    (
                        $prod {
                            front: left,
                            back: Default::default(),
                        },
                        $prod {
                            front: right,
                            back: self.back,
                        },
                    )
                } else {
                    let (left, right) = self.back.$split(index - front_len);
                    (
                        $prod {
                            front: self.front,
                            back: left,
                        },
                        $prod {
                            front: Default::default(),
                            back: right,
                        },
                    )
                }
            }
        }
    };
}

two_slices!(Iter, SlicesProducer, &'a [T], Sync, &'a T, split_at, Iter);
two_slices!(
    IterMut,
    SlicesMutProducer,
    &'a mut [T],
    Send,
    &'a mut T,
    split_at_mut,
    IterMut
);

/// The sequential iterator over two slices, one after the other (unlike `Chain`, it knows
/// its exact length).
struct TwoSlices<I> {
    front: I,
    back: I,
}

impl<I: ExactSizeIterator> Iterator for TwoSlices<I> {
    type Item = I::Item;

    fn next(&mut self) -> Option<I::Item> {
        self.front.next().or_else(|| self.back.next())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = self.front.len() + self.back.len();
        (len, Some(len))
    }
}

impl<I: ExactSizeIterator + DoubleEndedIterator> DoubleEndedIterator for TwoSlices<I> {
    fn next_back(&mut self) -> Option<I::Item> {
        self.back.next_back().or_else(|| self.front.next_back())
    }
}

impl<I: ExactSizeIterator> ExactSizeIterator for TwoSlices<I> {}

/// A parallel iterator that moves a range of items out of a `VecDeque`; the range is
/// removed when the iterator is dropped, whether or not it was used. See
/// [`ParallelDrainRange`].
#[derive(Debug)]
pub struct Drain<'a, T> {
    deque: &'a mut std::collections::VecDeque<T>,
    range: Range<usize>,
    orig_len: usize,
}

impl<'a, T: Send> ParallelDrainRange<usize> for &'a mut std::collections::VecDeque<T> {
    type Iter = Drain<'a, T>;
    type Item = T;

    fn par_drain<R: RangeBounds<usize>>(self, range: R) -> Drain<'a, T> {
        let orig_len = self.len();
        Drain {
            range: crate::range_bounds::resolve(range, orig_len),
            deque: self,
            orig_len,
        }
    }
}

impl<T: Send> ParallelIterator for Drain<'_, T> {
    type Item = T;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<T>,
    {
        bridge(self, consumer)
    }

    fn opt_len(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<T: Send> IndexedParallelIterator for Drain<'_, T> {
    fn drive<C: Consumer<T>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn len(&self) -> usize {
        self.range.len()
    }

    fn with_producer<CB: ProducerCallback<T>>(self, callback: CB) -> CB::Output {
        let mut lent = Lent::new(&mut *self.deque);
        lent.vec
            .par_drain(self.range.clone())
            .with_producer(callback)
    }
}

impl<T> Drop for Drain<'_, T> {
    fn drop(&mut self) {
        if self.deque.len() == self.orig_len && !self.range.is_empty() {
            // Never produced: remove the range here.
            self.deque.drain(self.range.clone());
        }
    }
}
