//! The plumbing under every parallel iterator: producers split the input, consumers split
//! the output, and the bridges drive the two together over `join`.
//!
//! An indexed iterator hands a [`Producer`] (something that can be split at any index and
//! then iterated sequentially) to a [`ProducerCallback`]; an unindexed one drives an
//! [`UnindexedProducer`] (which decides its own split points). Either way, the consumer side
//! mirrors each split ([`Consumer::split_at`], [`UnindexedConsumer::split_off_left`]), folds
//! each piece sequentially with a [`Folder`], and combines the pieces' results with a
//! [`Reducer`].
//!
//! When to split depends on the pool's [`SchedulingPolicy`](crate::SchedulingPolicy):
//! `WorkStealing` pools use Rayon's split budget (`splitter.rs`), `Adaptive` pools split
//! by demand (`adaptive.rs`), and `Deterministic` pools along a tree fixed by the input's
//! length (`fixed.rs`). The folder's README describes all three.

mod adaptive;
#[cfg(feature = "deterministic")]
mod fixed;
mod splitter;

use crate::iter::IndexedParallelIterator;
use crate::join_context;
use adaptive::{Limits, Start, UnindexedStart};
use splitter::{LengthSplitter, Splitter};

/// Receives a producer from an indexed iterator; see
/// [`IndexedParallelIterator::with_producer`].
pub trait ProducerCallback<T> {
    /// What the callback returns.
    type Output;

    /// Consumes the producer.
    fn callback<P>(self, producer: P) -> Self::Output
    where
        P: Producer<Item = T>;
}

/// A splittable source of items for an indexed iterator.
///
/// A producer can be cut at any index into two producers, and turned into a sequential
/// iterator that knows its exact length from both ends.
pub trait Producer: Send + Sized {
    /// The items produced.
    type Item;

    /// The sequential iterator a producer turns into.
    type IntoIter: Iterator<Item = Self::Item> + DoubleEndedIterator + ExactSizeIterator;

    /// Turns the producer into a sequential iterator.
    fn into_iter(self) -> Self::IntoIter;

    /// The least number of items worth processing as one piece (1 by default).
    fn min_len(&self) -> usize {
        1
    }

    /// The most items one piece should hold (no limit by default).
    fn max_len(&self) -> usize {
        usize::MAX
    }

    /// Splits into the items before `index` and the items from `index` on.
    fn split_at(self, index: usize) -> (Self, Self);

    /// Feeds every item to `folder`, stopping early once it is full.
    fn fold_with<F>(self, folder: F) -> F
    where
        F: Folder<Self::Item>,
    {
        folder.consume_iter(self.into_iter())
    }
}

/// The receiving end of a parallel iterator: it splits along with the producer and
/// combines the results of the pieces.
pub trait Consumer<Item>: Send + Sized {
    /// Consumes the items of one piece sequentially.
    type Folder: Folder<Item, Result = Self::Result>;
    /// Combines the results of two adjacent pieces.
    type Reducer: Reducer<Self::Result>;
    /// The result of consuming.
    type Result: Send;

    /// Splits into consumers for the items before and from `index`, and the reducer that
    /// combines their results.
    fn split_at(self, index: usize) -> (Self, Self, Self::Reducer);

    /// Turns the consumer into a folder for sequential consumption.
    fn into_folder(self) -> Self::Folder;

    /// True once no more items are wanted (a search found its item, say).
    fn full(&self) -> bool;

    /// Whether this consumer's result is the same however the input is cut into pieces,
    /// as for a search whose answer is defined by position (`find_first`, `any`). Not part
    /// of Rayon's trait, and `false`, the default, is always correct.
    ///
    /// A pool under [`SchedulingPolicy::Deterministic`](crate::SchedulingPolicy) cuts work
    /// along a tree fixed by the input's length, so that results that depend on the cuts
    /// (floating-point sums, the pieces of `fold`) repeat exactly; a consumer that answers
    /// `true` lets it cut on demand instead, which a search needs to stop early in a long
    /// input. An adaptor's consumer that treats every item alike (`map`, `filter`) forwards
    /// its base's answer.
    fn split_independent(&self) -> bool {
        false
    }
}

/// Consumes the items of one piece sequentially.
pub trait Folder<Item>: Sized {
    /// The result once all items are consumed.
    type Result;

    /// Consumes one item.
    fn consume(self, item: Item) -> Self;

    /// Consumes items until the iterator ends or the folder is full.
    #[inline]
    fn consume_iter<I>(mut self, iter: I) -> Self
    where
        I: IntoIterator<Item = Item>,
    {
        for item in iter {
            self = self.consume(item);
            if self.full() {
                break;
            }
        }
        self
    }

    /// Finishes consuming.
    fn complete(self) -> Self::Result;

    /// True once no more items are wanted.
    fn full(&self) -> bool;
}

/// Combines the results of two adjacent pieces, the left one first.
pub trait Reducer<Result> {
    /// Combines `left` and `right`.
    fn reduce(self, left: Result, right: Result) -> Result;
}

/// A consumer that can also split without knowing where: used by unindexed iterators.
pub trait UnindexedConsumer<I>: Consumer<I> {
    /// A consumer for items that come before everything this one will consume.
    fn split_off_left(&self) -> Self;

    /// A reducer that combines the result of `split_off_left`'s consumer with this one's.
    fn to_reducer(&self) -> Self::Reducer;
}

/// A splittable source of items that decides its own split points.
pub trait UnindexedProducer: Send + Sized {
    /// The items produced.
    type Item;

    /// Splits in two, or returns `None` as the second half if it cannot split any more.
    fn split(self) -> (Self, Option<Self>);

    /// Feeds every item to `folder`, stopping early once it is full.
    fn fold_with<F>(self, folder: F) -> F
    where
        F: Folder<Self::Item>;
}

/// Drives an indexed parallel iterator into a consumer.
pub fn bridge<I, C>(par_iter: I, consumer: C) -> C::Result
where
    I: IndexedParallelIterator,
    C: Consumer<I::Item>,
{
    struct Callback<C> {
        len: usize,
        consumer: C,
    }

    impl<C, T> ProducerCallback<T> for Callback<C>
    where
        C: Consumer<T>,
    {
        type Output = C::Result;

        fn callback<P>(self, producer: P) -> C::Result
        where
            P: Producer<Item = T>,
        {
            bridge_producer_consumer(self.len, producer, self.consumer)
        }
    }

    let len = par_iter.len();
    par_iter.with_producer(Callback { len, consumer })
}

/// Drives `len` items of `producer` into `consumer`, splitting both as the pool's
/// scheduling policy decides.
pub fn bridge_producer_consumer<P, C>(len: usize, producer: P, consumer: C) -> C::Result
where
    P: Producer,
    C: Consumer<P::Item>,
{
    match Start::current(len) {
        // Pieces capped below the whole input (`with_max_len`) are cut with the budget, as
        // Rayon cuts them, into joins of at most `max_len` items each: the caller asked for
        // tasks of that size (one blocking call per item, say), which idle threads can take
        // at once, even while the thread that would cut a chunked piece waits in an item.
        Start::Worker(worker) if len <= producer.max_len() => {
            let limits = Limits::new(producer.min_len(), producer.max_len());
            adaptive::drive_on_worker(worker, len, producer, consumer, limits)
        }
        Start::Outside if len <= producer.max_len() => {
            let limits = Limits::new(producer.min_len(), producer.max_len());
            adaptive::drive_from_outside(len, producer, consumer, limits)
        }
        Start::Budget | Start::Worker(_) | Start::Outside => {
            let splitter = LengthSplitter::new(producer.min_len(), producer.max_len(), len);
            drive_indexed(len, false, splitter, producer, consumer)
        }
        #[cfg(feature = "deterministic")]
        Start::Fixed if consumer.split_independent() => crate::deterministic::unseeded(|| {
            let splitter = LengthSplitter::new(producer.min_len(), producer.max_len(), len);
            drive_indexed(len, false, splitter, producer, consumer)
        }),
        #[cfg(feature = "deterministic")]
        Start::Fixed => fixed::drive_indexed(len, producer, consumer),
    }
}

fn drive_indexed<P, C>(
    len: usize,
    migrated: bool,
    mut splitter: LengthSplitter,
    producer: P,
    consumer: C,
) -> C::Result
where
    P: Producer,
    C: Consumer<P::Item>,
{
    if consumer.full() {
        return consumer.into_folder().complete();
    }
    if splitter.try_split(len, migrated) {
        let mid = len / 2;
        let (left_producer, right_producer) = producer.split_at(mid);
        let (left_consumer, right_consumer, reducer) = consumer.split_at(mid);
        let (left, right) = join_context(
            |ctx| drive_indexed(mid, ctx.migrated(), splitter, left_producer, left_consumer),
            |ctx| {
                drive_indexed(
                    len - mid,
                    ctx.migrated(),
                    splitter,
                    right_producer,
                    right_consumer,
                )
            },
        );
        reducer.reduce(left, right)
    } else {
        producer.fold_with(consumer.into_folder()).complete()
    }
}

/// Drives an unindexed producer into a consumer, splitting both as the splitter decides
/// (and, in an adaptive pool, also whenever a worker is idle).
pub fn bridge_unindexed<P, C>(producer: P, consumer: C) -> C::Result
where
    P: UnindexedProducer,
    C: UnindexedConsumer<P::Item>,
{
    let on_demand = match adaptive::unindexed_start() {
        UnindexedStart::Budget => false,
        UnindexedStart::OnDemand => true,
        #[cfg(feature = "deterministic")]
        UnindexedStart::Fixed if consumer.split_independent() => {
            return crate::deterministic::unseeded(|| {
                drive_unindexed(false, false, Splitter::new(), producer, consumer)
            })
        }
        #[cfg(feature = "deterministic")]
        UnindexedStart::Fixed => return fixed::drive_unindexed(producer, consumer),
    };
    drive_unindexed(false, on_demand, Splitter::new(), producer, consumer)
}

/// `on_demand`: also split when the current worker's pool has an idle worker.
fn drive_unindexed<P, C>(
    migrated: bool,
    on_demand: bool,
    mut splitter: Splitter,
    producer: P,
    consumer: C,
) -> C::Result
where
    P: UnindexedProducer,
    C: UnindexedConsumer<P::Item>,
{
    if consumer.full() {
        return consumer.into_folder().complete();
    }
    if splitter.try_split(migrated) || (on_demand && adaptive::current_worker_wants_work()) {
        match producer.split() {
            (left_producer, Some(right_producer)) => {
                let (reducer, left_consumer, right_consumer) =
                    (consumer.to_reducer(), consumer.split_off_left(), consumer);
                let (left, right) = join_context(
                    |ctx| {
                        let migrated = ctx.migrated();
                        drive_unindexed(migrated, on_demand, splitter, left_producer, left_consumer)
                    },
                    |ctx| {
                        let migrated = ctx.migrated();
                        drive_unindexed(
                            migrated,
                            on_demand,
                            splitter,
                            right_producer,
                            right_consumer,
                        )
                    },
                );
                reducer.reduce(left, right)
            }
            (producer, None) => producer.fold_with(consumer.into_folder()).complete(),
        }
    } else {
        producer.fold_with(consumer.into_folder()).complete()
    }
}
