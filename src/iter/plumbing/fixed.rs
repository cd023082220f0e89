//! Fixed splitting for pools whose policy is
//! [`SchedulingPolicy::Deterministic`](crate::SchedulingPolicy): the tree of cuts depends
//! on the input alone, so the order in which results are combined — and with it every
//! floating-point rounding — is the same for any thread count and on every run.
//!
//! Indexed work is cut at the midpoint until a piece holds at most `ceil(len / LEAVES)`
//! items, where `len` is the length the bridge started with; the producer's length hints
//! still hold (no cut leaves a part under `min_len`, and pieces longer than `max_len` are
//! cut further). Unindexed work is cut up to [`UNINDEXED_DEPTH`] levels deep, wherever the
//! producer agrees to cut. Nothing here reads the thread count, the clock or a steal.
//!
//! The cuts run under `join_context`, which in a deterministic pool also names each half as
//! a logical task and lets the seed choose which half goes first (`crate::deterministic`);
//! the reducer always receives the left result first, so that choice never reaches results.

use super::{Consumer, Folder, Producer, Reducer, UnindexedConsumer, UnindexedProducer};
use crate::join_context;

/// The most pieces an indexed input is cut into (unless `max_len` asks for more).
const LEAVES: usize = 256;
/// How many levels deep unindexed work is cut (at most `2^8 = 256` pieces).
const UNINDEXED_DEPTH: u32 = 8;

/// The cutting rule of one indexed bridge.
#[derive(Clone, Copy, Debug)]
struct Shape {
    /// Pieces longer than this are cut (if `min` allows).
    leaf: usize,
    min: usize,
    max: usize,
}

impl Shape {
    fn new(len: usize, min_len: usize, max_len: usize) -> Self {
        Shape {
            leaf: len.div_ceil(LEAVES).max(1),
            min: min_len.max(1),
            max: max_len.max(1),
        }
    }

    fn cuts(&self, len: usize) -> bool {
        len / 2 >= self.min && (len > self.leaf || len > self.max)
    }
}

/// Drives `len` items of `producer` into `consumer` along the fixed tree.
pub(super) fn drive_indexed<P, C>(len: usize, producer: P, consumer: C) -> C::Result
where
    P: Producer,
    C: Consumer<P::Item>,
{
    let shape = Shape::new(len, producer.min_len(), producer.max_len());
    indexed(len, shape, producer, consumer)
}

fn indexed<P, C>(len: usize, shape: Shape, producer: P, consumer: C) -> C::Result
where
    P: Producer,
    C: Consumer<P::Item>,
{
    if consumer.full() {
        return consumer.into_folder().complete();
    }
    if !shape.cuts(len) {
        return producer.fold_with(consumer.into_folder()).complete();
    }
    let mid = len / 2;
    let (left_producer, right_producer) = producer.split_at(mid);
    let (left_consumer, right_consumer, reducer) = consumer.split_at(mid);
    let (left, right) = join_context(
        |_| indexed(mid, shape, left_producer, left_consumer),
        |_| indexed(len - mid, shape, right_producer, right_consumer),
    );
    reducer.reduce(left, right)
}

/// Drives an unindexed producer into a consumer along the fixed tree.
pub(super) fn drive_unindexed<P, C>(producer: P, consumer: C) -> C::Result
where
    P: UnindexedProducer,
    C: UnindexedConsumer<P::Item>,
{
    unindexed(UNINDEXED_DEPTH, producer, consumer)
}

fn unindexed<P, C>(depth: u32, producer: P, consumer: C) -> C::Result
where
    P: UnindexedProducer,
    C: UnindexedConsumer<P::Item>,
{
    if consumer.full() {
        return consumer.into_folder().complete();
    }
    if depth == 0 {
        return producer.fold_with(consumer.into_folder()).complete();
    }
    match producer.split() {
        (left_producer, Some(right_producer)) => {
            let (reducer, left_consumer, right_consumer) =
                (consumer.to_reducer(), consumer.split_off_left(), consumer);
            let (left, right) = join_context(
                |_| unindexed(depth - 1, left_producer, left_consumer),
                |_| unindexed(depth - 1, right_producer, right_consumer),
            );
            reducer.reduce(left, right)
        }
        (producer, None) => producer.fold_with(consumer.into_folder()).complete(),
    }
}

#[cfg(test)]
mod test {
    use super::Shape;

    /// The leaves of the fixed tree for `len` items, in order.
    fn leaves(len: usize, shape: Shape) -> Vec<usize> {
        if shape.cuts(len) {
            let mut left = leaves(len / 2, shape);
            left.extend(leaves(len - len / 2, shape));
            left
        } else {
            vec![len]
        }
    }

    #[test]
    fn long_inputs_end_in_at_most_256_leaves_of_at_most_len_over_256_items() {
        for len in [257, 1000, 4096, 100_003, 10_000_000] {
            let pieces = leaves(len, Shape::new(len, 1, usize::MAX));
            assert!(pieces.len() <= 256, "{len}: {} pieces", pieces.len());
            assert!(pieces.len() > 128, "{len}: {} pieces", pieces.len());
            assert!(pieces.iter().all(|&piece| piece <= len.div_ceil(256)));
            assert_eq!(pieces.iter().sum::<usize>(), len);
        }
    }

    #[test]
    fn short_inputs_are_cut_to_single_items() {
        assert_eq!(leaves(5, Shape::new(5, 1, usize::MAX)), [1, 1, 1, 1, 1]);
        assert_eq!(leaves(0, Shape::new(0, 1, usize::MAX)), [0]);
    }

    #[test]
    fn length_hints_hold() {
        let pieces = leaves(1000, Shape::new(1000, 100, usize::MAX));
        assert!(pieces.iter().all(|&piece| piece >= 100), "{pieces:?}");
        let len = 1 << 20;
        let pieces = leaves(len, Shape::new(len, 1, 64));
        assert!(pieces.iter().all(|&piece| piece <= 64));
    }
}
