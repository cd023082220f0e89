//! Panic plumbing: the one place where panics are caught, re-raised, or turned into aborts.
//!
//! A job body runs inside [`halt_unwinding`]; its payload travels as a
//! `Box<dyn Any + Send>` until the caller that is owed the result calls
//! [`resume_unwinding`]. Code that must never unwind (the middle of a protocol that would be
//! left half-done) holds an [`AbortIfPanic`] guard.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::thread;

/// A panic payload, as `catch_unwind` hands it over.
pub(crate) type PanicPayload = Box<dyn Any + Send + 'static>;

/// Runs `func`, catching a panic instead of letting it unwind further.
pub(crate) fn halt_unwinding<F, R>(func: F) -> thread::Result<R>
where
    F: FnOnce() -> R,
{
    panic::catch_unwind(AssertUnwindSafe(func))
}

/// Continues unwinding with a payload caught earlier by [`halt_unwinding`].
pub(crate) fn resume_unwinding(payload: PanicPayload) -> ! {
    panic::resume_unwind(payload)
}

/// Aborts the process if dropped while armed: forget it on the success path.
///
/// Used where a panic would leave another thread waiting forever, or where Rayon's contract
/// says an unhandled panic aborts (a panic in `spawn` with no panic handler).
#[derive(Debug)]
pub(crate) struct AbortIfPanic;

impl Drop for AbortIfPanic {
    fn drop(&mut self) {
        eprintln!("veda: a panic reached a point that cannot unwind; aborting the process");
        std::process::abort();
    }
}
