//! `by_exponential_blocks` and `by_uniform_blocks`: run an indexed iterator as a sequence
//! of blocks, each block in parallel, one block after another.

use super::plumbing::{
    bridge_producer_consumer, Folder, Producer, ProducerCallback, Reducer, UnindexedConsumer,
};
use super::{IndexedParallelIterator, ParallelIterator};
use crate::current_num_threads;
use crate::deterministic;

/// The first block of `by_exponential_blocks` in a deterministic pool.
const DETERMINISTIC_FIRST_BLOCK: usize = 8;

/// Runs the items as a sequence of parallel blocks whose sizes double, starting from the
/// number of threads; see [`IndexedParallelIterator::by_exponential_blocks`].
///
/// Not indexed, and its `opt_len` is `None`, as in Rayon.
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone, Debug)]
pub struct ExponentialBlocks<I> {
    base: I,
}

impl<I> ExponentialBlocks<I> {
    pub(super) fn new(base: I) -> Self {
        ExponentialBlocks { base }
    }
}

impl<I: IndexedParallelIterator> ParallelIterator for ExponentialBlocks<I> {
    type Item = I::Item;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<I::Item>,
    {
        // Deterministic pools start from a fixed size, so the blocks (and the reduction
        // tree inside each) do not depend on the thread count.
        let first = if deterministic::in_effect() {
            DETERMINISTIC_FIRST_BLOCK
        } else {
            current_num_threads().max(1)
        };
        let sizes = std::iter::successors(Some(first), |size| size.checked_mul(2));
        let len = self.base.len();
        self.base.with_producer(BlocksCallback {
            sizes,
            consumer,
            len,
        })
    }
}

/// Runs the items as a sequence of parallel blocks of `block_size` items; see
/// [`IndexedParallelIterator::by_uniform_blocks`].
///
/// Not indexed, and its `opt_len` is `None`, as in Rayon.
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
#[derive(Clone, Debug)]
pub struct UniformBlocks<I> {
    base: I,
    block_size: usize,
}

impl<I> UniformBlocks<I> {
    pub(super) fn new(base: I, block_size: usize) -> Self {
        UniformBlocks { base, block_size }
    }
}

impl<I: IndexedParallelIterator> ParallelIterator for UniformBlocks<I> {
    type Item = I::Item;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<I::Item>,
    {
        let sizes = std::iter::repeat(self.block_size);
        let len = self.base.len();
        self.base.with_producer(BlocksCallback {
            sizes,
            consumer,
            len,
        })
    }
}

/// Cuts the producer and the consumer into consecutive blocks of the given sizes and runs
/// each block (in parallel) before the next, stopping early once the consumer is full.
struct BlocksCallback<S, C> {
    sizes: S,
    consumer: C,
    /// How many items the producer holds.
    len: usize,
}

impl<T, S, C> ProducerCallback<T> for BlocksCallback<S, C>
where
    S: Iterator<Item = usize>,
    C: UnindexedConsumer<T>,
{
    type Output = C::Result;

    fn callback<P>(mut self, mut producer: P) -> C::Result
    where
        P: Producer<Item = T>,
    {
        // As in Rayon, the result starts from an empty leftmost piece (split off at 0), so an
        // adaptor such as `fold` yields one identity item ahead of the blocks' results.
        let (empty, mut consumer, _) = self.consumer.split_at(0);
        let mut done = empty.into_folder().complete();
        let mut remaining = self.len;
        while remaining > 0 && !consumer.full() {
            let size = self.sizes.next().unwrap_or(usize::MAX).min(remaining);
            remaining -= size;
            let (block_producer, rest_producer) = producer.split_at(size);
            producer = rest_producer;
            let (block_consumer, rest_consumer, reducer) = consumer.split_at(size);
            consumer = rest_consumer;
            let block = bridge_producer_consumer(size, block_producer, block_consumer);
            done = reducer.reduce(done, block);
        }
        done
    }
}
