//! `product`: multiply all items with `std::iter::Product`.

use super::accumulate::{AccumulateConsumer, Accumulator};
use super::ParallelIterator;
use std::iter::{once, Product};

pub(super) fn product<PI, P>(pi: PI) -> P
where
    PI: ParallelIterator,
    P: Send + Product<PI::Item> + Product<P>,
{
    pi.drive_unindexed(AccumulateConsumer::<Multiplied<P>, PI::Item>::new())
        .0
}

struct Multiplied<P>(P);

impl<P, T> Accumulator<T> for Multiplied<P>
where
    P: Send + Product<T> + Product<P>,
{
    fn empty() -> Self {
        Multiplied(P::product(std::iter::empty::<T>()))
    }

    fn accumulate<I: Iterator<Item = T>>(items: I) -> Self {
        Multiplied(items.product())
    }

    fn combine(self, right: Self) -> Self {
        Multiplied(once(self.0).chain(once(right.0)).product())
    }
}
