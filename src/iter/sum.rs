//! `sum`: add up all items with `std::iter::Sum`.

use super::accumulate::{AccumulateConsumer, Accumulator};
use super::ParallelIterator;
use std::iter::{once, Sum};

pub(super) fn sum<PI, S>(pi: PI) -> S
where
    PI: ParallelIterator,
    S: Send + Sum<PI::Item> + Sum<S>,
{
    pi.drive_unindexed(AccumulateConsumer::<Summed<S>, PI::Item>::new())
        .0
}

struct Summed<S>(S);

impl<S, T> Accumulator<T> for Summed<S>
where
    S: Send + Sum<T> + Sum<S>,
{
    fn empty() -> Self {
        Summed(S::sum(std::iter::empty::<T>()))
    }

    fn accumulate<I: Iterator<Item = T>>(items: I) -> Self {
        Summed(items.sum())
    }

    fn combine(self, right: Self) -> Self {
        Summed(once(self.0).chain(once(right.0)).sum())
    }
}
