//! `GpuFuture`: the result of a GPU job, as a future (no async runtime needed) or by
//! blocking. The job's side holds a [`Completer`]; the first of `complete` and the
//! completer's drop resolves the shared slot, wakes the last waker that polled, and
//! notifies a thread blocked in [`GpuFuture::wait`].

use super::GpuError;
use crate::sync::{Arc, Condvar, Mutex};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

#[derive(Debug)]
enum Slot<T> {
    Pending(Option<Waker>),
    Ready(Result<T, GpuError>),
    Taken,
}

#[derive(Debug)]
struct Shared<T> {
    slot: Mutex<Slot<T>>,
    ready: Condvar,
}

/// The pending result of a GPU job started by [`execute`](super::execute).
///
/// Await it from any executor, or call [`wait`](Self::wait) to block. Dropping it does not
/// cancel the job; its result is then dropped when it arrives.
#[must_use = "a GpuFuture does nothing unless awaited or waited on"]
pub struct GpuFuture<T> {
    shared: Arc<Shared<T>>,
}

/// The job's side of a [`GpuFuture`].
pub(crate) struct Completer<T> {
    shared: Option<Arc<Shared<T>>>,
}

/// A connected future and completer.
pub(crate) fn pair<T>() -> (GpuFuture<T>, Completer<T>) {
    let shared = Arc::new(Shared {
        slot: Mutex::new(Slot::Pending(None)),
        ready: Condvar::new(),
    });
    (
        GpuFuture {
            shared: shared.clone(),
        },
        Completer {
            shared: Some(shared),
        },
    )
}

impl<T> GpuFuture<T> {
    /// A future that is already resolved (e.g. with the reason no GPU can take the job).
    pub(crate) fn ready(result: Result<T, GpuError>) -> Self {
        let (future, completer) = pair();
        completer.complete(result);
        future
    }

    /// Whether the result has arrived (and not yet been taken).
    pub fn is_ready(&self) -> bool {
        matches!(*self.shared.slot.lock(), Slot::Ready(_))
    }

    /// Blocks the calling thread until the result arrives, and returns it.
    pub fn wait(self) -> Result<T, GpuError> {
        let mut slot = self.shared.slot.lock();
        loop {
            match std::mem::replace(&mut *slot, Slot::Taken) {
                Slot::Ready(result) => return result,
                Slot::Taken => unreachable!("a GpuFuture's result is taken only by itself"),
                pending => {
                    *slot = pending;
                    slot = self.shared.ready.wait(slot);
                }
            }
        }
    }
}

impl<T> Future for GpuFuture<T> {
    type Output = Result<T, GpuError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = self.shared.slot.lock();
        match std::mem::replace(&mut *slot, Slot::Taken) {
            Slot::Ready(result) => Poll::Ready(result),
            Slot::Pending(_) => {
                *slot = Slot::Pending(Some(cx.waker().clone()));
                Poll::Pending
            }
            Slot::Taken => panic!("a GpuFuture was polled after it returned its result"),
        }
    }
}

impl<T> fmt::Debug for GpuFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GpuFuture")
            .field("ready", &self.is_ready())
            .finish()
    }
}

impl<T> Completer<T> {
    /// Resolves the future with `result`.
    pub(crate) fn complete(mut self, result: Result<T, GpuError>) {
        if let Some(shared) = self.shared.take() {
            resolve(&shared, result);
        }
    }
}

fn resolve<T>(shared: &Shared<T>, result: Result<T, GpuError>) {
    let waker = {
        let mut slot = shared.slot.lock();
        match std::mem::replace(&mut *slot, Slot::Ready(result)) {
            Slot::Pending(waker) => waker,
            // Resolved twice cannot happen (`complete` consumes the completer), and a taken
            // slot has no reader left: keep it taken.
            done => {
                *slot = done;
                None
            }
        }
    };
    shared.ready.notify_all();
    if let Some(waker) = waker {
        waker.wake();
    }
}

impl<T> Drop for Completer<T> {
    /// A job dropped without completing (its queue went away) resolves its future with an
    /// error instead of leaving it pending forever.
    fn drop(&mut self) {
        if let Some(shared) = self.shared.take() {
            resolve(
                &shared,
                Err(GpuError::Driver {
                    call: "veda GPU queue",
                    reason: "the job was dropped before it ran".into(),
                }),
            );
        }
    }
}

impl<T> fmt::Debug for Completer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Completer")
            .field("pending", &self.shared.is_some())
            .finish()
    }
}
