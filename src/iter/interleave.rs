//! `interleave`: alternate the items of two indexed iterators.

use super::plumbing::{bridge, Consumer, Producer, ProducerCallback, UnindexedConsumer};
use super::{IndexedParallelIterator, ParallelIterator};

/// Alternates the items of `i` and `j`, starting with `i`, then yields the rest of the
/// longer one; see [`IndexedParallelIterator::interleave`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone, Debug)]
pub struct Interleave<I, J> {
    i: I,
    j: J,
}

impl<I, J> Interleave<I, J> {
    pub(super) fn new(i: I, j: J) -> Self {
        Interleave { i, j }
    }
}

impl<I, J> ParallelIterator for Interleave<I, J>
where
    I: IndexedParallelIterator,
    J: IndexedParallelIterator<Item = I::Item>,
{
    type Item = I::Item;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<I::Item>,
    {
        bridge(self, consumer)
    }

    fn opt_len(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<I, J> IndexedParallelIterator for Interleave<I, J>
where
    I: IndexedParallelIterator,
    J: IndexedParallelIterator<Item = I::Item>,
{
    fn drive<C: Consumer<I::Item>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn len(&self) -> usize {
        self.i.len().checked_add(self.j.len()).expect("overflow")
    }

    fn with_producer<CB: ProducerCallback<I::Item>>(self, callback: CB) -> CB::Output {
        struct CallbackI<CB, J> {
            callback: CB,
            i_len: usize,
            j_len: usize,
            j: J,
        }

        impl<T, CB, J> ProducerCallback<T> for CallbackI<CB, J>
        where
            J: IndexedParallelIterator<Item = T>,
            CB: ProducerCallback<T>,
        {
            type Output = CB::Output;

            fn callback<PI>(self, i: PI) -> CB::Output
            where
                PI: Producer<Item = T>,
            {
                self.j.with_producer(CallbackJ {
                    callback: self.callback,
                    i_len: self.i_len,
                    j_len: self.j_len,
                    i,
                })
            }
        }

        struct CallbackJ<CB, PI> {
            callback: CB,
            i_len: usize,
            j_len: usize,
            i: PI,
        }

        impl<T, CB, PI> ProducerCallback<T> for CallbackJ<CB, PI>
        where
            PI: Producer<Item = T>,
            CB: ProducerCallback<T>,
        {
            type Output = CB::Output;

            fn callback<PJ>(self, j: PJ) -> CB::Output
            where
                PJ: Producer<Item = T>,
            {
                self.callback.callback(InterleaveProducer {
                    i: self.i,
                    j,
                    i_len: self.i_len,
                    j_len: self.j_len,
                    i_next: true,
                })
            }
        }

        let i_len = self.i.len();
        let j_len = self.j.len();
        self.i.with_producer(CallbackI {
            callback,
            i_len,
            j_len,
            j: self.j,
        })
    }
}

struct InterleaveProducer<PI, PJ> {
    i: PI,
    j: PJ,
    i_len: usize,
    j_len: usize,
    /// Whether the next item comes from `i` (while both have items).
    i_next: bool,
}

impl<PI, PJ> Producer for InterleaveProducer<PI, PJ>
where
    PI: Producer,
    PJ: Producer<Item = PI::Item>,
{
    type Item = PI::Item;
    type IntoIter = InterleaveSeq<PI::IntoIter, PJ::IntoIter>;

    fn into_iter(self) -> Self::IntoIter {
        InterleaveSeq {
            i: self.i.into_iter(),
            j: self.j.into_iter(),
            i_next: self.i_next,
        }
    }

    fn min_len(&self) -> usize {
        self.i.min_len().max(self.j.min_len())
    }

    fn max_len(&self) -> usize {
        self.i.max_len().min(self.j.max_len())
    }

    fn split_at(self, index: usize) -> (Self, Self) {
        // Of the first `index` items, the side that goes first gives the odd one out; a
        // side that runs short gives all it has and the other side makes up the rest.
        let (first, second) = (index.div_ceil(2), index / 2);
        let (mut from_i, mut from_j) = if self.i_next {
            (first, second)
        } else {
            (second, first)
        };
        if from_i > self.i_len {
            from_i = self.i_len;
            from_j = index - from_i;
        } else if from_j > self.j_len {
            from_j = self.j_len;
            from_i = index - from_j;
        }
        let (i_left, i_right) = self.i.split_at(from_i);
        let (j_left, j_right) = self.j.split_at(from_j);
        (
            InterleaveProducer {
                i: i_left,
                j: j_left,
                i_len: from_i,
                j_len: from_j,
                i_next: self.i_next,
            },
            InterleaveProducer {
                i: i_right,
                j: j_right,
                i_len: self.i_len - from_i,
                j_len: self.j_len - from_j,
                i_next: self.i_next ^ (index % 2 == 1),
            },
        )
    }
}

/// The sequential iterator of an interleave producer.
struct InterleaveSeq<I, J> {
    i: I,
    j: J,
    /// Whether the next item from the front comes from `i` (while both have items).
    i_next: bool,
}

impl<I, J> Iterator for InterleaveSeq<I, J>
where
    I: Iterator,
    J: Iterator<Item = I::Item>,
{
    type Item = I::Item;

    fn next(&mut self) -> Option<I::Item> {
        let item = if self.i_next {
            self.i.next()
        } else {
            self.j.next()
        };
        match item {
            Some(item) => {
                self.i_next = !self.i_next;
                Some(item)
            }
            None if self.i_next => self.j.next(),
            None => self.i.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let (i_low, i_high) = self.i.size_hint();
        let (j_low, j_high) = self.j.size_hint();
        let high = match (i_high, j_high) {
            (Some(i), Some(j)) => i.checked_add(j),
            _ => None,
        };
        (i_low.saturating_add(j_low), high)
    }
}

impl<I, J> DoubleEndedIterator for InterleaveSeq<I, J>
where
    I: DoubleEndedIterator + ExactSizeIterator,
    J: DoubleEndedIterator + ExactSizeIterator<Item = I::Item>,
{
    fn next_back(&mut self) -> Option<I::Item> {
        // The side that goes first ends the sequence only if it is the longer one.
        let (i_len, j_len) = (self.i.len(), self.j.len());
        let last_from_i = if self.i_next {
            i_len > j_len
        } else {
            i_len >= j_len
        };
        if last_from_i {
            self.i.next_back()
        } else {
            self.j.next_back()
        }
    }
}

impl<I, J> ExactSizeIterator for InterleaveSeq<I, J>
where
    I: ExactSizeIterator,
    J: ExactSizeIterator<Item = I::Item>,
{
}
