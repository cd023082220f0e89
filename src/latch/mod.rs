//! Latches: one-shot signals that tell a waiting thread its job (or its scope) is done.
//!
//! Three waiting styles exist, as the pool needs them:
//! - a worker thread never blocks while it waits: it keeps running other jobs and, when it
//!   finds none, goes to sleep through the [`Sleep`](crate::sleep::Sleep) protocol. Its
//!   latches are built on [`CoreLatch`], whose four states let the setter know whether the
//!   waiter is asleep and needs a wake-up (`worker.rs`: [`SpinLatch`], [`OnceLatch`],
//!   [`CountLatch`]);
//! - a thread outside the pool blocks on a [`LockLatch`] (a mutex and a condition variable);
//! - a scope counts its outstanding jobs with a [`CountLatch`] and opens when the count
//!   reaches zero.
//!
//! # Memory ordering
//! Setting a latch publishes the job's result: the setter writes the result, then sets the
//! latch with `Release` (inside an `AcqRel` swap), and the waiter reads the latch with
//! `Acquire` before reading the result. After `Latch::set` the setter must not touch the
//! latch again, because the waiter may free it the moment it observes the latch set.

use crate::sync::{AtomicBool, AtomicUsize, Condvar, Mutex, MutexGuard, Ordering};

#[cfg(not(loom))]
mod worker;
#[cfg(not(loom))]
pub(crate) use worker::{CountLatch, OnceLatch, SpinLatch};

/// A one-shot signal.
pub(crate) trait Latch {
    /// Opens the latch and wakes whoever waits on it.
    ///
    /// # Safety
    /// `this` must be valid on entry. The latch may be freed by the waiter as soon as it is
    /// set, so the implementation must not touch `*this` after the store that sets it.
    unsafe fn set(this: *const Self);
}

/// Latches a worker thread can wait on (by running other jobs meanwhile).
pub(crate) trait AsCoreLatch {
    /// The state machine underneath.
    fn as_core_latch(&self) -> &CoreLatch;
}

const UNSET: usize = 0;
const SLEEPY: usize = 1;
const SLEEPING: usize = 2;
const SET: usize = 3;

/// The state machine behind every latch a worker waits on.
///
/// `UNSET → SLEEPY → SLEEPING` is driven by the waiting worker as it gives up looking for
/// work; `→ SET` by the setter, from any state. A setter that finds `SLEEPING` must wake the
/// waiter; a waiter that finds `SET` when it tries to fall asleep stays awake.
#[derive(Debug)]
pub(crate) struct CoreLatch {
    state: AtomicUsize,
}

impl CoreLatch {
    #[inline]
    pub(crate) fn new() -> Self {
        CoreLatch {
            state: AtomicUsize::new(UNSET),
        }
    }

    /// The waiter is about to look for work one last time before sleeping.
    /// Returns false if the latch is already set.
    pub(crate) fn get_sleepy(&self) -> bool {
        self.state
            .compare_exchange(UNSET, SLEEPY, Ordering::SeqCst, Ordering::Relaxed)
            .is_ok()
    }

    /// The waiter commits to sleeping. Returns false if the latch was set meanwhile.
    pub(crate) fn fall_asleep(&self) -> bool {
        self.state
            .compare_exchange(SLEEPY, SLEEPING, Ordering::SeqCst, Ordering::Relaxed)
            .is_ok()
    }

    /// The waiter woke up (or gave up sleeping); it goes back to `UNSET` unless the latch was
    /// set meanwhile.
    pub(crate) fn wake_up(&self) {
        if !self.probe() {
            let _ =
                self.state
                    .compare_exchange(SLEEPING, UNSET, Ordering::SeqCst, Ordering::Relaxed);
        }
    }

    /// Sets the latch. Returns true if the waiter was asleep and needs waking.
    ///
    /// # Safety
    /// `this` must be valid on entry; it is not touched after the swap.
    #[inline]
    pub(crate) unsafe fn set(this: *const Self) -> bool {
        // SAFETY: valid on entry by the contract; the swap is the last access.
        let previous = unsafe { (*this).state.swap(SET, Ordering::AcqRel) };
        previous == SLEEPING
    }

    /// True once the latch is set; an `Acquire` read, so the job's effects are visible.
    #[inline]
    pub(crate) fn probe(&self) -> bool {
        self.state.load(Ordering::Acquire) == SET
    }
}

impl AsCoreLatch for CoreLatch {
    #[inline]
    fn as_core_latch(&self) -> &CoreLatch {
        self
    }
}

/// How long a thread outside the pool watches a [`LockLatch`] before it blocks on it: about
/// what being woken from a condition variable costs. A short job sent into the pool (a small
/// `install`) then returns without a wake-up at either end, since the worker is still
/// spinning for work when the caller sends the next one.
#[cfg(not(loom))]
const LOCK_LATCH_WATCH: std::time::Duration = std::time::Duration::from_micros(50);
/// Rounds of the watch spent in a busy loop before it yields the processor between reads.
#[cfg(not(loom))]
const LOCK_LATCH_BUSY_ROUNDS: u32 = 64;

/// A latch that a thread outside the pool waits on: it watches the latch for a short while
/// ([`LOCK_LATCH_WATCH`]), then blocks on a condition variable.
#[derive(Debug)]
pub(crate) struct LockLatch {
    /// Set (before `is_set`) when the latch is set, for the watching waiter to read without
    /// the mutex; the mutex's flag stays the authority.
    set_early: AtomicBool,
    is_set: Mutex<bool>,
    changed: Condvar,
}

impl LockLatch {
    pub(crate) fn new() -> Self {
        LockLatch {
            set_early: AtomicBool::new(false),
            is_set: Mutex::new(false),
            changed: Condvar::new(),
        }
    }

    /// Waits until the latch is set.
    pub(crate) fn wait(&self) {
        drop(self.wait_until_set());
    }

    /// Waits until the latch is set, then unsets it for the next use.
    pub(crate) fn wait_and_reset(&self) {
        let mut is_set = self.wait_until_set();
        *is_set = false;
        // The setter wrote `set_early` before it took the mutex, so nothing of this round
        // can set it again after this.
        self.set_early.store(false, Ordering::Relaxed);
    }

    /// Watches the latch, then blocks until its mutex's flag is set; returns the lock.
    fn wait_until_set(&self) -> MutexGuard<'_, bool> {
        self.watch();
        let mut is_set = self.is_set.lock();
        while !*is_set {
            is_set = self.changed.wait(is_set);
        }
        is_set
    }

    /// Reads the latch without blocking until it is set or [`LOCK_LATCH_WATCH`] has passed.
    #[cfg(not(loom))]
    fn watch(&self) {
        let start = std::time::Instant::now();
        let mut rounds = 0u32;
        while !self.set_early.load(Ordering::Acquire) {
            if rounds < LOCK_LATCH_BUSY_ROUNDS {
                rounds += 1;
                std::hint::spin_loop();
            } else if start.elapsed() < LOCK_LATCH_WATCH {
                crate::sync::yield_now();
            } else {
                return;
            }
        }
    }

    /// loom has no clock: a model blocks at once, which the watch only delays.
    #[cfg(loom)]
    fn watch(&self) {}
}

impl Latch for LockLatch {
    unsafe fn set(this: *const Self) {
        // SAFETY: valid on entry by the contract. The waiter cannot return (and free the
        // latch) before it takes the mutex and finds its flag set, which it can only do
        // after this guard, and the notification inside it, are gone.
        let this = unsafe { &*this };
        this.set_early.store(true, Ordering::Release);
        let mut is_set = this.is_set.lock();
        *is_set = true;
        this.changed.notify_all();
    }
}

/// A latch borrowed by a job (for latches that live outside the job, e.g. thread-locals).
#[derive(Debug)]
pub(crate) struct LatchRef<'a, L> {
    inner: &'a L,
}

impl<'a, L> LatchRef<'a, L> {
    #[inline]
    pub(crate) fn new(inner: &'a L) -> Self {
        LatchRef { inner }
    }
}

impl<L> std::ops::Deref for LatchRef<'_, L> {
    type Target = L;

    #[inline]
    fn deref(&self) -> &L {
        self.inner
    }
}

impl<L: Latch> Latch for LatchRef<'_, L> {
    #[inline]
    unsafe fn set(this: *const Self) {
        // SAFETY: `this` is valid on entry, so is the latch it borrows; only the inner latch
        // is touched afterwards, as its own `set` permits.
        unsafe { L::set((*this).inner) }
    }
}

#[cfg(all(test, not(loom)))]
mod test;

#[cfg(all(test, loom))]
mod loom;
