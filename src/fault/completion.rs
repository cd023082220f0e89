//! `Completion`: the resolve-once cell behind every [`TaskHandle`](super::TaskHandle).
//!
//! Several parties race to decide a task's outcome: the attempt that finishes, a
//! `cancel()` call, the timer firing a timeout, and the pool dropping an attempt it could not
//! run. The first [`Completion::resolve`] wins and stores its outcome; every later one gets
//! its outcome back, unused. The handle's owner polls the cell (one load) and takes the
//! outcome exactly once, or blocks on the condition variable until it is there. See
//! `README.md` beside this file for the whole state machine; the loom models in `loom.rs`
//! check it.

use crate::sync::{AtomicUsize, Condvar, Mutex, Ordering, UnsafeCell};
use std::mem::MaybeUninit;
use std::time::{Duration, Instant};

/// Set by the one `resolve` that wins; it then writes the outcome.
const CLAIMED: usize = 0b0001;
/// Set once the outcome is written.
const READY: usize = 0b0010;
/// Set by the one `take` that moves the outcome out.
const TAKEN: usize = 0b0100;
/// Set (under `sleepers`) by an owner about to block: the resolver must wake it.
const SLEEPER: usize = 0b1000;

/// A cell resolved at most once, by whichever party gets there first.
pub(crate) struct Completion<R> {
    /// `CLAIMED`, `READY`, `TAKEN` (set in this order, each once) and `SLEEPER`.
    state: AtomicUsize,
    /// The outcome: written by the `resolve` that set `CLAIMED`, before it sets `READY`;
    /// read by the `take` that set `TAKEN`.
    outcome: UnsafeCell<MaybeUninit<R>>,
    /// Held by an owner between setting `SLEEPER` and blocking, and by the resolver to wake
    /// it, so that the wake-up cannot fall between the two.
    sleepers: Mutex<()>,
    /// Signalled once, when the cell is resolved, if an owner sleeps on it.
    ready: Condvar,
}

// SAFETY: the outcome is written by exactly one thread (the `resolve` whose `fetch_or` set
// `CLAIMED`) before the `Release` that sets `READY`, and read or dropped by exactly one
// thread (the `take` whose `fetch_or` set `TAKEN` after an `Acquire` load saw `READY`, or
// `Drop`, which has exclusive access): no two threads ever touch it at once, and the value
// only moves between threads, hence `R: Send`.
unsafe impl<R: Send> Sync for Completion<R> {}
// SAFETY: as above; owning the cell owns at most one `R`.
unsafe impl<R: Send> Send for Completion<R> {}

impl<R> Completion<R> {
    pub(crate) fn new() -> Self {
        Completion {
            state: AtomicUsize::new(0),
            outcome: UnsafeCell::new(MaybeUninit::uninit()),
            sleepers: Mutex::new(()),
            ready: Condvar::new(),
        }
    }

    /// Resolves the cell with `outcome` if nobody did before; otherwise hands `outcome`
    /// back, so that the caller drops it.
    pub(crate) fn resolve(&self, outcome: R) -> Result<(), R> {
        if self.state.fetch_or(CLAIMED, Ordering::Relaxed) & CLAIMED != 0 {
            return Err(outcome);
        }
        // SAFETY: this call set `CLAIMED`, which happens once, so it is the only writer; no
        // reader touches the outcome before `READY` is set, just below.
        self.outcome
            .with_mut(|slot| unsafe { (*slot).write(outcome) });
        // Release: whoever sees `READY` sees the outcome.
        let previous = self.state.fetch_or(READY, Ordering::Release);
        if previous & SLEEPER != 0 {
            // The sleeper set its bit under the lock and blocks without releasing it in
            // between, so taking the lock here means it is blocked (or has not looked at
            // the state again yet, and will see `READY`).
            drop(self.sleepers.lock());
            self.ready.notify_all();
        }
        Ok(())
    }

    /// Whether some party has resolved the cell (its outcome is stored, or was taken).
    pub(crate) fn is_resolved(&self) -> bool {
        self.state.load(Ordering::Acquire) & READY != 0
    }

    /// Takes the outcome if the cell is resolved (and it was not taken before).
    pub(crate) fn try_take(&self) -> Option<R> {
        // Acquire: pairs with the resolver's `Release`, so the outcome is visible.
        if self.state.load(Ordering::Acquire) & (READY | TAKEN) != READY {
            return None;
        }
        if self.state.fetch_or(TAKEN, Ordering::Relaxed) & TAKEN != 0 {
            return None;
        }
        Some(self.outcome.with(|slot| {
            // SAFETY: the outcome is written (`READY` was seen with `Acquire`), and this call
            // set `TAKEN`, which happens once, so it is the only reader; nothing reads it
            // again.
            unsafe { (*slot).assume_init_read() }
        }))
    }

    /// Blocks until the cell is resolved, then takes the outcome.
    pub(crate) fn wait(&self) -> R {
        self.wait_until(None)
            .expect("the owner takes a task's outcome once")
    }

    /// Blocks until the cell is resolved or `timeout` has passed; takes the outcome if it
    /// was resolved.
    pub(crate) fn wait_timeout(&self, timeout: Duration) -> Option<R> {
        match Instant::now().checked_add(timeout) {
            Some(deadline) => self.wait_until(Some(deadline)),
            // A timeout too long to represent: wait as long as it takes.
            None => Some(self.wait()),
        }
    }

    /// Takes the outcome, blocking until `deadline` (if any) while it is not there.
    fn wait_until(&self, deadline: Option<Instant>) -> Option<R> {
        if let Some(outcome) = self.try_take() {
            return Some(outcome);
        }
        let mut guard = self.sleepers.lock();
        loop {
            // Under the lock: a resolver that sees the bit wakes us once it holds the lock,
            // which it can only take while we are blocked or before we look at the state.
            self.state.fetch_or(SLEEPER, Ordering::Relaxed);
            if let Some(outcome) = self.try_take() {
                return Some(outcome);
            }
            if self.state.load(Ordering::Relaxed) & TAKEN != 0 {
                // Taken by someone else: nothing will come (the owner takes once).
                return None;
            }
            match deadline {
                None => guard = self.ready.wait(guard),
                Some(deadline) => {
                    let remaining = deadline.saturating_duration_since(Instant::now());
                    if remaining.is_zero() {
                        return None;
                    }
                    guard = self.ready.wait_timeout(guard, remaining).0;
                    if let Some(outcome) = self.try_take() {
                        return Some(outcome);
                    }
                    if Instant::now() >= deadline {
                        return None;
                    }
                }
            }
        }
    }
}

impl<R> Drop for Completion<R> {
    fn drop(&mut self) {
        if self.state.load(Ordering::Acquire) & (READY | TAKEN) == READY {
            // SAFETY: resolved and never taken, so the outcome is initialised, and `&mut self`
            // means nobody else touches it.
            self.outcome
                .with_mut(|slot| unsafe { (*slot).assume_init_drop() });
        }
    }
}
