//! The synchronisation facade.
//!
//! Every atomic, lock, condition variable and interior-mutability cell used by the concurrency
//! core comes from here. In a normal build they are std's atomics and parking_lot's lock
//! types; under `cfg(loom)` they are loom's model-checked twins, so the latch and sleep
//! protocols can be explored exhaustively by the loom models beside them (`loom.rs` files).
//!
//! The lock API is the small common subset of the two worlds: `Mutex::lock` returns a guard
//! directly, and `Condvar::wait` and `Condvar::wait_timeout` take the guard by value and hand
//! it back. loom has no clock: under loom a timed wait lets the other threads run and then
//! reports a timeout, so models see a timeout fire at every point where it could.

#[cfg(not(loom))]
mod imp {
    pub(crate) use std::sync::atomic::{
        fence, AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering,
    };
    pub(crate) use std::sync::{Arc, Weak};
    // Lazily initialised process-wide state of the GPU subsystem (never part of a loom model).
    #[cfg(feature = "gpu")]
    pub(crate) use std::sync::OnceLock;
    pub(crate) use std::thread::yield_now;
    use std::time::Duration;

    /// A mutual-exclusion lock (parking_lot's, behind the facade's API).
    #[derive(Debug, Default)]
    pub(crate) struct Mutex<T>(parking_lot::Mutex<T>);

    /// The guard of a [`Mutex`].
    pub(crate) type MutexGuard<'a, T> = parking_lot::MutexGuard<'a, T>;

    impl<T> Mutex<T> {
        pub(crate) const fn new(value: T) -> Self {
            Mutex(parking_lot::const_mutex(value))
        }

        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            self.0.lock()
        }
    }

    /// A condition variable paired with [`Mutex`].
    #[derive(Debug, Default)]
    pub(crate) struct Condvar(parking_lot::Condvar);

    impl Condvar {
        pub(crate) const fn new() -> Self {
            Condvar(parking_lot::Condvar::new())
        }

        pub(crate) fn wait<'a, T>(&self, mut guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
            self.0.wait(&mut guard);
            guard
        }

        /// Waits for a notification or until `timeout` has passed; true if it timed out.
        pub(crate) fn wait_timeout<'a, T>(
            &self,
            mut guard: MutexGuard<'a, T>,
            timeout: Duration,
        ) -> (MutexGuard<'a, T>, bool) {
            let result = self.0.wait_for(&mut guard, timeout);
            (guard, result.timed_out())
        }

        pub(crate) fn notify_one(&self) {
            self.0.notify_one();
        }

        pub(crate) fn notify_all(&self) {
            self.0.notify_all();
        }
    }

    /// A cell with loom's closure-based access API, so code reads the same in both worlds.
    #[derive(Debug, Default)]
    pub(crate) struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

    impl<T> UnsafeCell<T> {
        pub(crate) const fn new(value: T) -> Self {
            UnsafeCell(std::cell::UnsafeCell::new(value))
        }

        pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            f(self.0.get())
        }

        pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            f(self.0.get())
        }

        pub(crate) fn into_inner(self) -> T {
            self.0.into_inner()
        }
    }
}

#[cfg(loom)]
mod imp {
    pub(crate) use loom::cell::UnsafeCell;
    pub(crate) use loom::sync::atomic::{
        fence, AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering,
    };
    pub(crate) use loom::sync::Arc;
    pub(crate) use loom::thread::yield_now;
    use std::ops::{Deref, DerefMut};
    use std::time::Duration;

    /// loom's mutex behind the facade's API.
    #[derive(Debug, Default)]
    pub(crate) struct Mutex<T>(loom::sync::Mutex<T>);

    /// The guard of a [`Mutex`]; it remembers its mutex, so that a timed wait can release
    /// and take it again.
    pub(crate) struct MutexGuard<'a, T> {
        mutex: &'a loom::sync::Mutex<T>,
        guard: loom::sync::MutexGuard<'a, T>,
    }

    impl<T> Deref for MutexGuard<'_, T> {
        type Target = T;

        fn deref(&self) -> &T {
            &self.guard
        }
    }

    impl<T> DerefMut for MutexGuard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            &mut self.guard
        }
    }

    impl<T> Mutex<T> {
        pub(crate) fn new(value: T) -> Self {
            Mutex(loom::sync::Mutex::new(value))
        }

        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            MutexGuard {
                mutex: &self.0,
                guard: self.0.lock().expect("loom mutex poisoned"),
            }
        }
    }

    /// loom's condition variable behind the facade's API.
    #[derive(Debug, Default)]
    pub(crate) struct Condvar(loom::sync::Condvar);

    impl Condvar {
        pub(crate) fn new() -> Self {
            Condvar(loom::sync::Condvar::new())
        }

        pub(crate) fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
            let MutexGuard { mutex, guard } = guard;
            MutexGuard {
                mutex,
                guard: self.0.wait(guard).expect("loom mutex poisoned"),
            }
        }

        /// loom has no clock: the wait releases the mutex, lets the other threads run, takes
        /// the mutex again and reports a timeout. Callers re-check their condition, as they
        /// must after any wake-up, so the models explore a timeout at every point.
        pub(crate) fn wait_timeout<'a, T>(
            &self,
            guard: MutexGuard<'a, T>,
            _timeout: Duration,
        ) -> (MutexGuard<'a, T>, bool) {
            let MutexGuard { mutex, guard } = guard;
            drop(guard);
            yield_now();
            let guard = mutex.lock().expect("loom mutex poisoned");
            (MutexGuard { mutex, guard }, true)
        }

        pub(crate) fn notify_one(&self) {
            self.0.notify_one();
        }

        pub(crate) fn notify_all(&self) {
            self.0.notify_all();
        }
    }
}

pub(crate) use imp::*;
