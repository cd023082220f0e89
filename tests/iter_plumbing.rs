//! `veda::iter::plumbing` used from outside the crate, the way third-party crates build on
//! Rayon's plumbing: a user-defined indexed source (a `Producer` behind an
//! `IndexedParallelIterator` that bridges itself), a user-defined unindexed source driven by
//! `bridge_unindexed`, and user-defined consumers, folders and reducers fed by
//! `bridge_producer_consumer`, `bridge` and `drive_unindexed`. Also checks that the piece
//! sizes the producer is asked to fold stay within `with_min_len`/`with_max_len`, on pools of
//! 1 to 4 threads.

mod common;

use common::pool;
use proptest::prelude::*;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use veda::iter::plumbing::{
    bridge, bridge_producer_consumer, bridge_unindexed, Consumer, Folder, Producer,
    ProducerCallback, Reducer, UnindexedConsumer, UnindexedProducer,
};
use veda::iter::{IndexedParallelIterator, IntoParallelIterator, ParallelIterator};

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(64)
}

/// The value at position `i` of a [`Squares`] sequence.
fn square(i: usize) -> u64 {
    let i = i as u64;
    i * i
}

/// Where each folded piece started and how long it was.
type PieceLog = Mutex<Vec<(usize, usize)>>;

// ---------------------------------------------------------------------------------------
// A user-defined indexed source.
// ---------------------------------------------------------------------------------------

/// A user type: the squares of `range`, computed on demand.
#[derive(Debug)]
struct Squares<'a> {
    range: Range<usize>,
    /// Where to record the pieces that get folded, if anywhere.
    log: Option<&'a PieceLog>,
    /// The producer's own lower bound on piece length.
    min_len: usize,
}

impl<'a> Squares<'a> {
    fn new(range: Range<usize>) -> Self {
        Squares {
            range,
            log: None,
            min_len: 1,
        }
    }

    fn logged(range: Range<usize>, log: &'a PieceLog) -> Self {
        Squares {
            range,
            log: Some(log),
            min_len: 1,
        }
    }

    fn producer(self) -> SquaresProducer<'a> {
        SquaresProducer {
            range: self.range,
            log: self.log,
            min_len: self.min_len,
        }
    }
}

/// Third-party crates usually offer `into_par_iter()` on their types too.
struct Upto(usize);

impl IntoParallelIterator for Upto {
    type Iter = Squares<'static>;
    type Item = u64;

    fn into_par_iter(self) -> Squares<'static> {
        Squares::new(0..self.0)
    }
}

impl ParallelIterator for Squares<'_> {
    type Item = u64;

    fn drive_unindexed<C: UnindexedConsumer<u64>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn opt_len(&self) -> Option<usize> {
        Some(self.range.len())
    }
}

impl IndexedParallelIterator for Squares<'_> {
    fn drive<C: Consumer<u64>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn len(&self) -> usize {
        self.range.len()
    }

    fn with_producer<CB: ProducerCallback<u64>>(self, callback: CB) -> CB::Output {
        callback.callback(self.producer())
    }
}

struct SquaresProducer<'a> {
    range: Range<usize>,
    log: Option<&'a PieceLog>,
    min_len: usize,
}

impl Producer for SquaresProducer<'_> {
    type Item = u64;
    type IntoIter = std::iter::Map<Range<usize>, fn(usize) -> u64>;

    fn into_iter(self) -> Self::IntoIter {
        self.range.map(square as fn(usize) -> u64)
    }

    fn min_len(&self) -> usize {
        self.min_len
    }

    fn split_at(self, index: usize) -> (Self, Self) {
        assert!(
            index <= self.range.len(),
            "split_at({index}) past the end of a producer of {} items",
            self.range.len()
        );
        let mid = self.range.start + index;
        (
            SquaresProducer {
                range: self.range.start..mid,
                ..self
            },
            SquaresProducer {
                range: mid..self.range.end,
                ..self
            },
        )
    }

    fn fold_with<F: Folder<u64>>(self, folder: F) -> F {
        if let Some(log) = self.log {
            log.lock()
                .unwrap()
                .push((self.range.start, self.range.len()));
        }
        folder.consume_iter(self.range.map(square))
    }
}

/// The logged pieces, sorted by start, after checking that they tile `0..len` exactly.
fn tiled_pieces(log: PieceLog, len: usize) -> Vec<usize> {
    let mut pieces = log.into_inner().unwrap();
    pieces.sort_unstable();
    let mut next = 0;
    for &(start, piece_len) in &pieces {
        assert_eq!(start, next, "pieces {pieces:?} leave a gap or overlap");
        next += piece_len;
    }
    assert_eq!(next, len, "pieces {pieces:?} do not cover 0..{len}");
    pieces.into_iter().map(|(_, piece_len)| piece_len).collect()
}

/// Checks piece lengths against the bounds the splitter promises: no piece below `min`
/// (unless everything is shorter), and none above `max` unless halving it would have gone
/// below `min`.
fn assert_within_bounds(pieces: &[usize], len: usize, min: usize, max: usize) {
    let min = min.max(1);
    for &piece in pieces {
        assert!(
            piece >= min.min(len),
            "piece of {piece} below min {min} (len {len}): {pieces:?}"
        );
        assert!(
            piece <= max.max(2 * min - 1),
            "piece of {piece} above max {max} (min {min}, len {len}): {pieces:?}"
        );
    }
    if len < 2 * min {
        assert_eq!(
            pieces.len(),
            1,
            "{len} items cannot be halved at min {min}: {pieces:?}"
        );
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn custom_indexed_source_matches_std(
        len in 0usize..2000,
        min in 1usize..64,
        max in 1usize..256,
        threads in 1usize..=4,
    ) {
        pool(threads).install(|| {
            let expected: Vec<u64> = (0..len).map(square).collect();
            prop_assert_eq!(Squares::new(0..len).len(), len);
            prop_assert_eq!(Squares::new(0..len).opt_len(), Some(len));

            let got: Vec<u64> = Upto(len).into_par_iter().with_min_len(min).with_max_len(max).collect();
            prop_assert_eq!(&got, &expected);
            let filtered: Vec<u64> = Squares::new(0..len).filter(|v| v % 3 == 1).collect();
            prop_assert_eq!(filtered, expected.iter().copied().filter(|v| v % 3 == 1).collect::<Vec<_>>());
            let pairs: Vec<(usize, u64)> = Squares::new(0..len).enumerate().collect();
            prop_assert_eq!(pairs, expected.iter().copied().enumerate().collect::<Vec<_>>());
            let zipped: Vec<(u64, u64)> = Squares::new(0..len)
                .zip(Squares::new(0..len).with_max_len(max).map(|v| v + 1))
                .collect();
            prop_assert_eq!(zipped, expected.iter().map(|&v| (v, v + 1)).collect::<Vec<_>>());
            prop_assert_eq!(Squares::new(0..len).sum::<u64>(), expected.iter().sum::<u64>());
            Ok(())
        })?;
    }

    #[test]
    fn pieces_respect_min_and_max_len(
        len in 0usize..3000,
        min in 1usize..100,
        max in 1usize..400,
        threads in 1usize..=4,
    ) {
        pool(threads).install(|| {
            // Through collect (an indexed consumer straight into memory).
            let log = PieceLog::default();
            let got: Vec<u64> = Squares::logged(0..len, &log)
                .with_min_len(min)
                .with_max_len(max)
                .map(|v| v * 2)
                .collect();
            prop_assert_eq!(got, (0..len).map(|i| square(i) * 2).collect::<Vec<_>>());
            assert_within_bounds(&tiled_pieces(log, len), len, min, max);

            // Through for_each (an unindexed consumer bridged over the producer).
            let log = PieceLog::default();
            let total = AtomicUsize::new(0);
            Squares::logged(0..len, &log)
                .with_max_len(max)
                .with_min_len(min)
                .for_each(|_| {
                    total.fetch_add(1, Ordering::Relaxed);
                });
            prop_assert_eq!(total.into_inner(), len);
            assert_within_bounds(&tiled_pieces(log, len), len, min, max);

            // Only a maximum: pieces never exceed it.
            let log = PieceLog::default();
            Squares::logged(0..len, &log).with_max_len(max).for_each(drop);
            let pieces = tiled_pieces(log, len);
            prop_assert!(pieces.iter().all(|&p| p <= max), "pieces {:?} above max {}", pieces, max);

            // The producer's own minimum counts like `with_min_len`.
            let log = PieceLog::default();
            let mut source = Squares::logged(0..len, &log);
            source.min_len = min;
            source.with_max_len(max).for_each(drop);
            assert_within_bounds(&tiled_pieces(log, len), len, min, max);
            Ok(())
        })?;
    }

    #[test]
    fn custom_unindexed_source_matches_std(
        start in 0u64..1000,
        len in 0u64..3000,
        threads in 1usize..=4,
    ) {
        pool(threads).install(|| {
            let span = || Span { range: start..start + len, folds: None };
            let expected: Vec<u64> = (start..start + len).collect();
            prop_assert_eq!(span().opt_len(), None);
            prop_assert_eq!(span().collect::<Vec<u64>>(), expected.clone());
            prop_assert_eq!(
                span().map(|v| v * 3).filter(|v| v % 2 == 0).collect::<Vec<u64>>(),
                expected.iter().map(|v| v * 3).filter(|v| v % 2 == 0).collect::<Vec<_>>()
            );
            prop_assert_eq!(span().sum::<u64>(), expected.iter().sum::<u64>());
            prop_assert_eq!(span().count(), expected.len());
            prop_assert_eq!(span().max(), expected.last().copied());
            Ok(())
        })?;
    }

    #[test]
    fn custom_consumers_see_items_in_order(len in 0usize..2000, max in 1usize..200, threads in 1usize..=4) {
        pool(threads).install(|| {
            let expected: Vec<u64> = (0..len).map(square).collect();

            // Indexed: fed straight by bridge_producer_consumer.
            let producer = Squares::new(0..len).producer();
            prop_assert_eq!(bridge_producer_consumer(len, producer, Concat), expected.clone());

            // Indexed, through an adaptor and `drive`.
            let got = Squares::new(0..len).with_max_len(max).map(|v| v + 1).drive(Concat);
            prop_assert_eq!(got, expected.iter().map(|v| v + 1).collect::<Vec<_>>());

            // Unindexed: split_off_left and to_reducer must keep the left pieces first.
            let got = Squares::new(0..len).filter(|v| v % 2 == 0).drive_unindexed(Concat);
            prop_assert_eq!(got, expected.iter().copied().filter(|v| v % 2 == 0).collect::<Vec<_>>());
            let span = Span { range: 0..len as u64, folds: None };
            prop_assert_eq!(span.drive_unindexed(Concat), (0..len as u64).collect::<Vec<_>>());

            // A consumer that owns the output memory: its splits must line up with the
            // producer's, or a folder would run out of (or be left with) slots.
            let mut slots = vec![u64::MAX; len];
            let written = bridge_producer_consumer(
                len,
                Squares::new(0..len).producer(),
                SlotConsumer { slots: &mut slots },
            );
            prop_assert_eq!(written, len);
            prop_assert_eq!(&slots, &expected);
            Ok(())
        })?;
    }
}

// ---------------------------------------------------------------------------------------
// A user-defined unindexed source.
// ---------------------------------------------------------------------------------------

/// A user type: the integers of a `u64` range, split in halves by the producer itself.
#[derive(Debug)]
struct Span<'a> {
    range: Range<u64>,
    /// Counts the pieces folded, if given.
    folds: Option<&'a AtomicUsize>,
}

impl ParallelIterator for Span<'_> {
    type Item = u64;

    fn drive_unindexed<C: UnindexedConsumer<u64>>(self, consumer: C) -> C::Result {
        bridge_unindexed(self, consumer)
    }
}

impl UnindexedProducer for Span<'_> {
    type Item = u64;

    fn split(self) -> (Self, Option<Self>) {
        let Range { start, end } = self.range;
        if end - start < 2 {
            return (self, None);
        }
        let mid = start + (end - start) / 2;
        (
            Span {
                range: start..mid,
                folds: self.folds,
            },
            Some(Span {
                range: mid..end,
                folds: self.folds,
            }),
        )
    }

    fn fold_with<F: Folder<u64>>(self, folder: F) -> F {
        if let Some(folds) = self.folds {
            folds.fetch_add(1, Ordering::Relaxed);
        }
        folder.consume_iter(self.range)
    }
}

/// An unindexed producer that never splits.
struct Whole(Vec<u32>);

impl UnindexedProducer for Whole {
    type Item = u32;

    fn split(self) -> (Self, Option<Self>) {
        (self, None)
    }

    fn fold_with<F: Folder<u32>>(self, folder: F) -> F {
        folder.consume_iter(self.0)
    }
}

#[test]
fn an_unsplittable_producer_is_folded_whole() {
    for threads in 1..=4 {
        pool(threads).install(|| {
            let items: Vec<u32> = (0..100).collect();
            assert_eq!(
                bridge_unindexed(Whole(items.clone()), Concat),
                items.iter().map(|&v| u64::from(v)).collect::<Vec<_>>()
            );
        });
    }
}

#[test]
fn a_splitting_producer_is_folded_in_pieces() {
    // The splitter asks for about one piece per thread at the start, so with more than one
    // thread the producer's own split must be used.
    for threads in 2..=4 {
        pool(threads).install(|| {
            let folds = AtomicUsize::new(0);
            let span = Span {
                range: 0..100_000,
                folds: Some(&folds),
            };
            assert_eq!(span.count(), 100_000);
            assert!(folds.into_inner() >= 2, "the span was never split");
        });
    }
}

// ---------------------------------------------------------------------------------------
// User-defined consumers.
// ---------------------------------------------------------------------------------------

/// Gathers items into a `Vec` in order: each split's pieces are appended left then right.
#[derive(Clone, Copy)]
struct Concat;

struct ConcatFolder(Vec<u64>);

impl<T: Into<u64>> Consumer<T> for Concat {
    type Folder = ConcatFolder;
    type Reducer = Concat;
    type Result = Vec<u64>;

    fn split_at(self, _index: usize) -> (Self, Self, Self) {
        (Concat, Concat, Concat)
    }

    fn into_folder(self) -> ConcatFolder {
        ConcatFolder(Vec::new())
    }

    fn full(&self) -> bool {
        false
    }
}

impl<T: Into<u64>> UnindexedConsumer<T> for Concat {
    fn split_off_left(&self) -> Self {
        Concat
    }

    fn to_reducer(&self) -> Self {
        Concat
    }
}

impl<T: Into<u64>> Folder<T> for ConcatFolder {
    type Result = Vec<u64>;

    fn consume(mut self, item: T) -> Self {
        self.0.push(item.into());
        self
    }

    fn complete(self) -> Vec<u64> {
        self.0
    }

    fn full(&self) -> bool {
        false
    }
}

impl Reducer<Vec<u64>> for Concat {
    fn reduce(self, mut left: Vec<u64>, right: Vec<u64>) -> Vec<u64> {
        left.extend(right);
        left
    }
}

/// Writes each item into the next slot of a borrowed slice; the result is how many it wrote.
struct SlotConsumer<'s> {
    slots: &'s mut [u64],
}

struct SlotFolder<'s> {
    slots: std::slice::IterMut<'s, u64>,
    written: usize,
}

struct SumReducer;

impl<'s> Consumer<u64> for SlotConsumer<'s> {
    type Folder = SlotFolder<'s>;
    type Reducer = SumReducer;
    type Result = usize;

    fn split_at(self, index: usize) -> (Self, Self, SumReducer) {
        let (left, right) = self.slots.split_at_mut(index);
        (
            SlotConsumer { slots: left },
            SlotConsumer { slots: right },
            SumReducer,
        )
    }

    fn into_folder(self) -> SlotFolder<'s> {
        SlotFolder {
            slots: self.slots.iter_mut(),
            written: 0,
        }
    }

    fn full(&self) -> bool {
        false
    }
}

impl Folder<u64> for SlotFolder<'_> {
    type Result = usize;

    fn consume(mut self, item: u64) -> Self {
        *self
            .slots
            .next()
            .expect("the producer gave a piece more items than its consumer has slots") = item;
        self.written += 1;
        self
    }

    fn complete(mut self) -> usize {
        assert!(
            self.slots.next().is_none(),
            "the producer gave a piece fewer items than its consumer has slots"
        );
        self.written
    }

    fn full(&self) -> bool {
        false
    }
}

impl Reducer<usize> for SumReducer {
    fn reduce(self, left: usize, right: usize) -> usize {
        left + right
    }
}

/// Finds any item matching a predicate, and stops everyone once one is found.
struct FindAny<'a, P> {
    predicate: &'a P,
    found: &'a AtomicBool,
    visited: &'a AtomicUsize,
}

impl<P> Clone for FindAny<'_, P> {
    fn clone(&self) -> Self {
        FindAny { ..*self }
    }
}

struct FindAnyFolder<'a, P> {
    consumer: FindAny<'a, P>,
    item: Option<u64>,
}

struct FirstFound;

impl<'a, P: Fn(u64) -> bool + Sync> Consumer<u64> for FindAny<'a, P> {
    type Folder = FindAnyFolder<'a, P>;
    type Reducer = FirstFound;
    type Result = Option<u64>;

    fn split_at(self, _index: usize) -> (Self, Self, FirstFound) {
        (self.clone(), self, FirstFound)
    }

    fn into_folder(self) -> FindAnyFolder<'a, P> {
        FindAnyFolder {
            consumer: self,
            item: None,
        }
    }

    fn full(&self) -> bool {
        self.found.load(Ordering::Relaxed)
    }
}

impl<P: Fn(u64) -> bool + Sync> Folder<u64> for FindAnyFolder<'_, P> {
    type Result = Option<u64>;

    fn consume(mut self, item: u64) -> Self {
        self.consumer.visited.fetch_add(1, Ordering::Relaxed);
        if (self.consumer.predicate)(item) {
            self.consumer.found.store(true, Ordering::Relaxed);
            self.item = Some(item);
        }
        self
    }

    fn complete(self) -> Option<u64> {
        self.item
    }

    fn full(&self) -> bool {
        self.item.is_some() || self.consumer.full()
    }
}

impl Reducer<Option<u64>> for FirstFound {
    fn reduce(self, left: Option<u64>, right: Option<u64>) -> Option<u64> {
        left.or(right)
    }
}

#[test]
fn a_full_consumer_stops_the_producer() {
    const LEN: usize = 200_000;
    let predicate = |v: u64| v == square(10) || v == square(150_000);
    for threads in 1..=4 {
        pool(threads).install(|| {
            let found = AtomicBool::new(false);
            let visited = AtomicUsize::new(0);
            let consumer = FindAny {
                predicate: &predicate,
                found: &found,
                visited: &visited,
            };
            let hit = bridge_producer_consumer(LEN, Squares::new(0..LEN).producer(), consumer);
            assert!(hit.is_some_and(predicate), "found {hit:?}");
            let visited = visited.into_inner();
            assert!(visited < LEN, "visited all {LEN} items");
            if threads == 1 {
                // One thread runs the left half first: it stops right at the first match,
                // and the right half sees a full consumer before folding anything.
                assert_eq!(visited, 11);
            }
        });
    }
}

#[test]
fn a_custom_callback_receives_the_adapted_producer() {
    /// Drives whatever producer it is handed into a consumer, as `bridge` does.
    struct Drive<C> {
        consumer: C,
        len: usize,
    }

    impl<C: Consumer<u64>> ProducerCallback<u64> for Drive<C> {
        type Output = C::Result;

        fn callback<P: Producer<Item = u64>>(self, producer: P) -> C::Result {
            assert_eq!(
                producer.min_len(),
                8,
                "with_min_len should reach the producer"
            );
            bridge_producer_consumer(self.len, producer, self.consumer)
        }
    }

    const LEN: usize = 100_000;
    // Squares modulo 7 run 0, 1, 4, 2, 2, 4, 1, 0, ...: the first 4 is item 2.
    let predicate = |v: u64| v == 4;
    for threads in 1..=4 {
        let found = AtomicBool::new(false);
        let visited = AtomicUsize::new(0);
        let consumer = FindAny {
            predicate: &predicate,
            found: &found,
            visited: &visited,
        };
        let hit = pool(threads).install(|| {
            Squares::new(0..LEN)
                .map(|v| v % 7)
                .with_min_len(8)
                .with_producer(Drive { consumer, len: LEN })
        });
        assert_eq!(hit, Some(4));
        assert!(found.into_inner());
        let visited = visited.into_inner();
        assert!(visited < LEN, "visited all {LEN} items");
        if threads == 1 {
            assert_eq!(visited, 3);
        }
    }
}
