//! `par_bridge()`: turns any sequential `Iterator + Send` into a parallel iterator.
//!
//! The sequential iterator sits behind a mutex. Each piece of work takes one item at a time
//! under the lock and processes it outside, so items go to whichever thread is free, and a
//! thread with nothing to take simply finishes its piece: nobody spins. The iterator is
//! split into about one piece per thread of the pool.
//!
//! If the iterator's `next` itself runs parallel work, the thread that holds the lock may,
//! while it waits for that work, pick up another piece of this very bridge. Taking the lock
//! again would deadlock, so a piece that finds its own thread inside `next` returns at once:
//! the outer piece, further up the same stack, goes on with the remaining items.
//!
//! If `next` panics, the iterator is marked broken and never called again; the panic
//! reaches the caller through the joins.
//!
//! In a deterministic pool the calling thread takes the items in the iterator's order, a
//! fixed number at a time, and each batch runs as an indexed input whose cuts depend on its
//! length alone: pieces, results and the order they combine in then depend on the iterator
//! only, and a search (`find_any`, which there returns the first match) stops after the
//! batch that holds its match.

use super::plumbing::{
    bridge, bridge_unindexed, Folder, Reducer, UnindexedConsumer, UnindexedProducer,
};
use super::stop_flag::StopFlag;
use super::{IntoParallelIterator, ParallelIterator};
use crate::sync::{AtomicUsize, Mutex, Ordering};
use crate::{current_num_threads, deterministic};
use std::iter::Fuse;

/// Turns a sequential iterator into a parallel one; implemented for every
/// `Iterator + Send` with `Send` items.
///
/// The items are handed out on demand, so their order is lost: use it for iterators that
/// cannot be split themselves (channels, lines of a reader, …).
///
/// # Examples
///
/// ```
/// use std::sync::mpsc::channel;
/// use veda::prelude::*;
///
/// let (sender, receiver) = channel();
/// for i in 0..100u64 {
///     sender.send(i).unwrap();
/// }
/// drop(sender);
///
/// let mut squares: Vec<u64> = receiver.into_iter().par_bridge().map(|x| x * x).collect();
/// squares.sort();
/// assert_eq!(squares[99], 9801);
/// ```
pub trait ParallelBridge: Sized {
    /// Wraps `self` into a parallel iterator.
    fn par_bridge(self) -> IterBridge<Self>;
}

impl<T> ParallelBridge for T
where
    T: Iterator<Item: Send> + Send,
{
    fn par_bridge(self) -> IterBridge<Self> {
        IterBridge { iter: self }
    }
}

/// A sequential iterator bridged into a parallel one; see [`ParallelBridge`].
#[derive(Debug, Clone)]
pub struct IterBridge<Iter> {
    iter: Iter,
}

impl<Iter> ParallelIterator for IterBridge<Iter>
where
    Iter: Iterator<Item: Send> + Send,
{
    type Item = Iter::Item;

    fn drive_unindexed<C>(self, consumer: C) -> C::Result
    where
        C: UnindexedConsumer<Self::Item>,
    {
        if deterministic::in_effect() {
            return drive_in_batches(self.iter, consumer);
        }
        let shared = Shared {
            iter: Mutex::new(self.iter.fuse()),
            holder: AtomicUsize::new(NO_THREAD),
            broken: StopFlag::new(),
            splits_left: AtomicUsize::new(current_num_threads()),
        };
        bridge_unindexed(BridgeProducer(&shared), consumer)
    }
}

/// How many items a deterministic pool takes from the iterator at a time.
const BATCH: usize = 1024;

/// The deterministic bridge: batches of `BATCH` items in the iterator's order, each driven
/// as an indexed input into a consumer split off the left of the rest, until the iterator
/// ends or the consumer is full. Results combine right to left, each batch's on the left.
fn drive_in_batches<Iter, C>(mut iter: Iter, consumer: C) -> C::Result
where
    Iter: Iterator<Item: Send>,
    C: UnindexedConsumer<Iter::Item>,
{
    let mut batches = Vec::new();
    while !consumer.full() {
        let batch: Vec<Iter::Item> = iter.by_ref().take(BATCH).collect();
        let last = batch.len() < BATCH;
        if !batch.is_empty() {
            let result = bridge(batch.into_par_iter(), consumer.split_off_left());
            batches.push((consumer.to_reducer(), result));
        }
        if last {
            break;
        }
    }
    let mut result = consumer.into_folder().complete();
    while let Some((reducer, left)) = batches.pop() {
        result = reducer.reduce(left, result);
    }
    result
}

/// `holder` when no thread is inside the iterator's `next`.
const NO_THREAD: usize = 0;

/// A number that tells the running thread from every other live thread: the address of a
/// thread-local, never zero.
fn this_thread() -> usize {
    thread_local! {
        static MARK: u8 = const { 0 };
    }
    MARK.with(|mark| std::ptr::from_ref(mark) as usize)
}

struct Shared<Iter> {
    iter: Mutex<Fuse<Iter>>,
    /// The thread inside `iter.next()` (set and cleared under the lock), or `NO_THREAD`.
    holder: AtomicUsize,
    /// Raised (under the lock) when `next` panicked: the iterator is not called again, and
    /// the panic reaches the caller through the joins.
    broken: StopFlag,
    /// How many more times the work may split.
    splits_left: AtomicUsize,
}

/// Clears `holder` when the call to `next` ends, and marks the iterator broken if it ended
/// by a panic.
struct Holding<'a, Iter>(&'a Shared<Iter>);

impl<Iter> Drop for Holding<'_, Iter> {
    fn drop(&mut self) {
        self.0.holder.store(NO_THREAD, Ordering::Relaxed);
        if std::thread::panicking() {
            self.0.broken.raise();
        }
    }
}

/// Every piece shares the one iterator.
struct BridgeProducer<'a, Iter>(&'a Shared<Iter>);

impl<Iter: Iterator + Send> UnindexedProducer for BridgeProducer<'_, Iter> {
    type Item = Iter::Item;

    fn split(self) -> (Self, Option<Self>) {
        let shared = self.0;
        let may_split = shared
            .splits_left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
            .is_ok();
        (self, may_split.then_some(BridgeProducer(shared)))
    }

    fn fold_with<F: Folder<Iter::Item>>(self, mut folder: F) -> F {
        let shared = self.0;
        let me = this_thread();
        loop {
            // Only this thread ever stores `me`, and it clears it before unlocking, so
            // seeing `me` here means this thread is inside `next` further up its stack.
            if shared.holder.load(Ordering::Relaxed) == me {
                return folder;
            }
            let item = {
                let mut iter = shared.iter.lock();
                if shared.broken.is_raised() {
                    return folder;
                }
                shared.holder.store(me, Ordering::Relaxed);
                let _holding = Holding(shared);
                iter.next()
            };
            match item {
                Some(item) => {
                    folder = folder.consume(item);
                    if folder.full() {
                        return folder;
                    }
                }
                None => return folder,
            }
        }
    }
}
