//! `with_min_len` and `with_max_len`: bounds on how finely the work is split.

use super::plumbing::{bridge, Consumer, Producer, ProducerCallback, UnindexedConsumer};
use super::{IndexedParallelIterator, ParallelIterator};

/// Splits no piece below a minimum length; see [`IndexedParallelIterator::with_min_len`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone, Debug)]
pub struct MinLen<I> {
    base: I,
    min: usize,
}

/// Keeps pieces below a maximum length; see [`IndexedParallelIterator::with_max_len`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone, Debug)]
pub struct MaxLen<I> {
    base: I,
    max: usize,
}

impl<I> MinLen<I> {
    pub(super) fn new(base: I, min: usize) -> Self {
        MinLen { base, min }
    }
}

impl<I> MaxLen<I> {
    pub(super) fn new(base: I, max: usize) -> Self {
        MaxLen { base, max }
    }
}

/// A length limit applied to a producer.
#[derive(Clone, Copy)]
enum Limit {
    Min(usize),
    Max(usize),
}

macro_rules! length_limited_iterator {
    ($name:ident, $field:ident, $limit:ident) => {
        impl<I: IndexedParallelIterator> ParallelIterator for $name<I> {
            type Item = I::Item;

            fn drive_unindexed<C>(self, consumer: C) -> C::Result
            where
                C: UnindexedConsumer<Self::Item>,
            {
                bridge(self, consumer)
            }

            fn opt_len(&self) -> Option<usize> {
                Some(self.len())
            }
        }

        impl<I: IndexedParallelIterator> IndexedParallelIterator for $name<I> {
            fn drive<C: Consumer<Self::Item>>(self, consumer: C) -> C::Result {
                bridge(self, consumer)
            }

            fn len(&self) -> usize {
                self.base.len()
            }

            fn with_producer<CB: ProducerCallback<Self::Item>>(self, callback: CB) -> CB::Output {
                self.base.with_producer(LimitCallback {
                    callback,
                    limit: Limit::$limit(self.$field),
                })
            }
        }
    };
}

length_limited_iterator!(MinLen, min, Min);
length_limited_iterator!(MaxLen, max, Max);

struct LimitCallback<CB> {
    callback: CB,
    limit: Limit,
}

impl<T, CB> ProducerCallback<T> for LimitCallback<CB>
where
    CB: ProducerCallback<T>,
{
    type Output = CB::Output;

    fn callback<P>(self, base: P) -> CB::Output
    where
        P: Producer<Item = T>,
    {
        self.callback.callback(LimitedProducer {
            base,
            limit: self.limit,
        })
    }
}

struct LimitedProducer<P> {
    base: P,
    limit: Limit,
}

impl<P: Producer> Producer for LimitedProducer<P> {
    type Item = P::Item;
    type IntoIter = P::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        self.base.into_iter()
    }

    fn min_len(&self) -> usize {
        match self.limit {
            Limit::Min(min) => min.max(self.base.min_len()),
            Limit::Max(_) => self.base.min_len(),
        }
    }

    fn max_len(&self) -> usize {
        match self.limit {
            Limit::Max(max) => max.min(self.base.max_len()),
            Limit::Min(_) => self.base.max_len(),
        }
    }

    fn split_at(self, index: usize) -> (Self, Self) {
        let (left, right) = self.base.split_at(index);
        (
            LimitedProducer {
                base: left,
                limit: self.limit,
            },
            LimitedProducer {
                base: right,
                limit: self.limit,
            },
        )
    }

    fn fold_with<F>(self, folder: F) -> F
    where
        F: super::plumbing::Folder<Self::Item>,
    {
        self.base.fold_with(folder)
    }
}
