//! Loom models of the blocking latch: a set is never missed, whichever thread goes first,
//! and a reset latch can be used again.

use super::{Latch, LockLatch};
use crate::sync::Arc;
use loom::thread;

#[test]
fn lock_latch_wakes_its_waiter() {
    loom::model(|| {
        let latch = Arc::new(LockLatch::new());
        let setter = {
            let latch = Arc::clone(&latch);
            // SAFETY: the Arc keeps the latch alive.
            thread::spawn(move || unsafe { Latch::set(&*latch) })
        };
        latch.wait();
        setter.join().unwrap();
    });
}

#[test]
fn lock_latch_is_reusable_after_reset() {
    loom::model(|| {
        let latch = Arc::new(LockLatch::new());
        let setter = {
            let latch = Arc::clone(&latch);
            thread::spawn(move || {
                // SAFETY: the Arc keeps the latch alive.
                unsafe { Latch::set(&*latch) };
            })
        };
        latch.wait_and_reset();
        setter.join().unwrap();
        let second = {
            let latch = Arc::clone(&latch);
            // SAFETY: the Arc keeps the latch alive.
            thread::spawn(move || unsafe { Latch::set(&*latch) })
        };
        latch.wait_and_reset();
        second.join().unwrap();
    });
}
