//! `Completion`: the resolve-once cell behind every [`TaskHandle`](super::TaskHandle).
//!
//! Several parties race to decide a task's outcome: the attempt that finishes, a
//! `cancel()` call, the timer firing a timeout, and the pool dropping an attempt it could not
//! run. The first [`Completion::resolve`] wins and stores its outcome; every later one gets
//! its outcome back, unused. The handle's owner waits for the resolution (blocking on the
//! condition variable) or polls it, and takes the outcome exactly once. See `README.md`
//! beside this file for the whole state machine; the loom model in `loom.rs` checks it.

use crate::sync::{AtomicBool, Condvar, Mutex, Ordering};
use std::time::{Duration, Instant};

/// A cell resolved at most once, by whichever party gets there first.
#[derive(Debug)]
pub(crate) struct Completion<R> {
    /// Set, under the slot's lock, by the winning `resolve`. Read without the lock by
    /// `is_resolved`, so that running attempts can poll for cancellation cheaply.
    resolved: AtomicBool,
    /// The outcome, from its resolution until the owner takes it.
    slot: Mutex<Option<R>>,
    /// Signalled once, when the cell is resolved.
    ready: Condvar,
}

impl<R> Completion<R> {
    pub(crate) fn new() -> Self {
        Completion {
            resolved: AtomicBool::new(false),
            slot: Mutex::new(None),
            ready: Condvar::new(),
        }
    }

    /// Resolves the cell with `outcome` if nobody did before; otherwise hands `outcome`
    /// back, so that the caller drops it outside the lock.
    pub(crate) fn resolve(&self, outcome: R) -> Result<(), R> {
        let mut slot = self.slot.lock();
        // Written only under this lock, so a relaxed load suffices here.
        if self.resolved.load(Ordering::Relaxed) {
            return Err(outcome);
        }
        *slot = Some(outcome);
        // Release: a thread that sees the flag also sees the outcome (it takes the lock to
        // read it anyway, but `is_resolved` callers may act on the flag alone).
        self.resolved.store(true, Ordering::Release);
        drop(slot);
        self.ready.notify_all();
        Ok(())
    }

    /// Whether some party has resolved the cell.
    pub(crate) fn is_resolved(&self) -> bool {
        self.resolved.load(Ordering::Acquire)
    }

    /// Takes the outcome if the cell is resolved.
    pub(crate) fn try_take(&self) -> Option<R> {
        self.slot.lock().take()
    }

    /// Blocks until the cell is resolved, then takes the outcome.
    pub(crate) fn wait(&self) -> R {
        let mut slot = self.slot.lock();
        loop {
            if let Some(outcome) = slot.take() {
                return outcome;
            }
            slot = self.ready.wait(slot);
        }
    }

    /// Blocks until the cell is resolved or `timeout` has passed; takes the outcome if it
    /// was resolved.
    pub(crate) fn wait_timeout(&self, timeout: Duration) -> Option<R> {
        let deadline = Instant::now().checked_add(timeout);
        let mut slot = self.slot.lock();
        loop {
            if let Some(outcome) = slot.take() {
                return Some(outcome);
            }
            let remaining = match deadline {
                Some(deadline) => deadline.saturating_duration_since(Instant::now()),
                // A timeout too long to represent: wait as long as it takes.
                None => {
                    slot = self.ready.wait(slot);
                    continue;
                }
            };
            if remaining.is_zero() {
                return None;
            }
            slot = self.ready.wait_timeout(slot, remaining).0;
        }
    }
}
