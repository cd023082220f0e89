//! `par_bridge`: turning any sequential `Iterator` into a parallel one.
//!
//! The iterator sits behind a lock; up to one piece of work per pool thread pulls items from
//! it one at a time and feeds them to its own part of the consumer. Items are therefore
//! processed in no particular order. If the sequential iterator itself runs parallel work,
//! a thread waiting for that work may steal another piece of this bridge while it still
//! holds the lock; such a nested piece gives up at once instead of deadlocking, leaving the
//! items to the pieces already running.

use super::plumbing::{bridge_unindexed, Folder, UnindexedConsumer, UnindexedProducer};
use super::ParallelIterator;
use crate::sync::{AtomicUsize, Mutex, Ordering};
use crate::unwind::{halt_unwinding, resume_unwinding};
use crate::{current_num_threads, current_thread_index};

/// Converts a sequential iterator into a parallel one; implemented for every `Send` iterator
/// whose items are `Send`.
///
/// Unlike the conversions of [`IntoParallelIterator`](super::IntoParallelIterator), the
/// resulting iterator does not keep the items' order, and it cannot split its input ahead of
/// time: use it for iterators that have no parallel counterpart (a channel's receiver, lines
/// read from a stream, …) and whose items are worth processing in parallel.
///
/// # Examples
///
/// ```
/// use std::sync::mpsc::channel;
/// use veda::iter::ParallelBridge;
/// use veda::prelude::*;
///
/// let (sender, receiver) = channel();
/// for i in 0..100u32 {
///     sender.send(i).unwrap();
/// }
/// drop(sender);
/// let mut squares: Vec<u32> = receiver.into_iter().par_bridge().map(|x| x * x).collect();
/// squares.sort_unstable();
/// assert_eq!(squares, (0..100).map(|x| x * x).collect::<Vec<_>>());
/// ```
pub trait ParallelBridge: Sized {
    /// Wraps `self` in a parallel iterator.
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

/// A sequential iterator used as a parallel one; see [`ParallelBridge::par_bridge`].
#[must_use = "iterator adaptors are lazy and do nothing unless consumed"]
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
        let threads = current_num_threads().max(1);
        let started: Vec<AtomicUsize> = (0..threads).map(|_| AtomicUsize::new(0)).collect();
        let shared = Shared {
            iter: Mutex::new(Some(self.iter)),
            splits_left: AtomicUsize::new(threads),
            started: &started,
        };
        bridge_unindexed(&shared, consumer)
    }
}

/// What all pieces of one bridge share.
struct Shared<'b, Iter> {
    /// The iterator, or `None` once it is exhausted or has panicked.
    iter: Mutex<Option<Iter>>,
    /// How many more times the work may split (one piece per thread is enough).
    splits_left: AtomicUsize,
    /// Per pool thread (modulo their number): non-zero once that thread has started a piece.
    /// A piece pulls items until the iterator is done, so a thread never needs a second one.
    started: &'b [AtomicUsize],
}

impl<Iter: Iterator + Send> Shared<'_, Iter> {
    /// The next item, or `None` when the iterator is done. A panic in `next` retires the
    /// iterator (so other pieces stop) and then carries on unwinding.
    fn next_item(&self) -> Option<Iter::Item> {
        let mut slot = self.iter.lock();
        let iter = slot.as_mut()?;
        match halt_unwinding(|| iter.next()) {
            Ok(Some(item)) => Some(item),
            Ok(None) => {
                *slot = None;
                None
            }
            Err(payload) => {
                *slot = None;
                drop(slot);
                resume_unwinding(payload)
            }
        }
    }
}

impl<Iter: Iterator + Send> UnindexedProducer for &Shared<'_, Iter> {
    type Item = Iter::Item;

    fn split(self) -> (Self, Option<Self>) {
        let split = self
            .splits_left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(1)
            })
            .is_ok();
        (self, split.then_some(self))
    }

    fn fold_with<F>(self, mut folder: F) -> F
    where
        F: Folder<Iter::Item>,
    {
        // A pool thread that has already started a piece of this bridge either finished it
        // (nothing is left) or got here by stealing while it waited inside it, possibly inside
        // `next` with the lock held: either way, leave.
        if let Some(index) = current_thread_index() {
            let started = &self.started[index % self.started.len()];
            if started.swap(1, Ordering::Relaxed) != 0 {
                return folder;
            }
        }
        while let Some(item) = self.next_item() {
            folder = folder.consume(item);
            if folder.full() {
                break;
            }
        }
        folder
    }
}
