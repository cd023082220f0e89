//! Latches that wake a sleeping worker thread when they are set.

use super::{AsCoreLatch, CoreLatch, Latch, LockLatch};
use crate::registry::{Registry, WorkerThread};
use crate::sync::{Arc, AtomicUsize, Ordering};
use crossbeam_utils::CachePadded;

/// The latch of a job whose owner is a worker thread (a `join`, or an `install` that crosses
/// from one pool into another).
#[derive(Debug)]
pub(crate) struct SpinLatch<'r> {
    core_latch: CoreLatch,
    registry: &'r Arc<Registry>,
    target_worker_index: usize,
    /// The setter belongs to another pool: it must keep the owner's registry alive itself.
    cross: bool,
}

impl<'r> SpinLatch<'r> {
    /// A latch that `thread` waits on, set by a worker of the same pool.
    #[inline]
    pub(crate) fn new(thread: &'r WorkerThread) -> Self {
        SpinLatch {
            core_latch: CoreLatch::new(),
            registry: thread.registry(),
            target_worker_index: thread.index(),
            cross: false,
        }
    }

    /// A latch that `thread` waits on, set by a worker of another pool.
    pub(crate) fn cross(thread: &'r WorkerThread) -> Self {
        SpinLatch {
            cross: true,
            ..SpinLatch::new(thread)
        }
    }
}

impl AsCoreLatch for SpinLatch<'_> {
    #[inline]
    fn as_core_latch(&self) -> &CoreLatch {
        &self.core_latch
    }
}

impl Latch for SpinLatch<'_> {
    #[inline]
    unsafe fn set(this: *const Self) {
        // Everything needed after the swap is copied out first: once set, the owner may
        // return and free the latch. A setter from another pool holds its own count of the
        // owner's registry, since the owner's pool may be dropped as soon as the owner wakes.
        // SAFETY: `this` is valid on entry and, as just said, not touched after the swap.
        unsafe {
            let cross_registry;
            let registry: &Registry = if (*this).cross {
                cross_registry = Arc::clone((*this).registry);
                &cross_registry
            } else {
                (*this).registry
            };
            let target = (*this).target_worker_index;
            if CoreLatch::set(&(*this).core_latch) {
                registry.notify_worker_latch_is_set(target);
            }
        }
    }
}

/// A latch set once, by any thread, for one known worker (its termination signal).
#[derive(Debug)]
pub(crate) struct OnceLatch {
    core_latch: CoreLatch,
}

impl OnceLatch {
    pub(crate) fn new() -> Self {
        OnceLatch {
            core_latch: CoreLatch::new(),
        }
    }

    /// Sets the latch and wakes `target_worker_index` if it sleeps on it.
    ///
    /// # Safety
    /// `this` must be valid on entry; it is not touched after it is set.
    pub(crate) unsafe fn set_and_tickle_one(
        this: *const Self,
        registry: &Registry,
        target_worker_index: usize,
    ) {
        // SAFETY: forwarded from this function's contract.
        if unsafe { CoreLatch::set(&(*this).core_latch) } {
            registry.notify_worker_latch_is_set(target_worker_index);
        }
    }
}

impl AsCoreLatch for OnceLatch {
    fn as_core_latch(&self) -> &CoreLatch {
        &self.core_latch
    }
}

/// Counts outstanding jobs; opens when the count drops to zero.
///
/// If the owner is a worker (of any pool), it waits by running its own pool's jobs
/// ([`CoreLatch`]), and whoever opens the latch wakes it through its own registry;
/// otherwise it blocks ([`LockLatch`]).
#[derive(Debug)]
pub(crate) struct CountLatch {
    /// On a cache line of its own: the jobs' ends write it while the owner spawns more jobs
    /// and probes `kind`'s latch, and the owner reads the fields beside the latch (the
    /// scope's registry) at every spawn.
    counter: CachePadded<AtomicUsize>,
    kind: CountLatchKind,
}

#[derive(Debug)]
enum CountLatchKind {
    Stealing {
        latch: CoreLatch,
        registry: Arc<Registry>,
        worker_index: usize,
    },
    Blocking {
        latch: LockLatch,
    },
}

impl CountLatch {
    /// A latch with `count` outstanding jobs, waited on by `owner` (a worker of any pool)
    /// or, when `owner` is `None`, by a blocking thread.
    pub(crate) fn with_count(count: usize, owner: Option<&WorkerThread>) -> Self {
        let kind = match owner {
            Some(owner) => CountLatchKind::Stealing {
                latch: CoreLatch::new(),
                registry: Arc::clone(owner.registry()),
                worker_index: owner.index(),
            },
            None => CountLatchKind::Blocking {
                latch: LockLatch::new(),
            },
        };
        CountLatch {
            counter: CachePadded::new(AtomicUsize::new(count)),
            kind,
        }
    }

    /// One more outstanding job.
    #[inline]
    pub(crate) fn increment(&self) {
        let previous = self.counter.fetch_add(1, Ordering::Relaxed);
        debug_assert!(
            previous != 0,
            "a count latch was incremented after it opened"
        );
    }

    /// Waits until the count reaches zero; `owner` must be the owner given at creation.
    pub(crate) fn wait(&self, owner: Option<&WorkerThread>) {
        match &self.kind {
            CountLatchKind::Stealing { latch, .. } => {
                let owner = owner.expect("a worker's count latch must be awaited by that worker");
                owner.wait_until(latch);
            }
            CountLatchKind::Blocking { latch } => latch.wait(),
        }
    }
}

impl Latch for CountLatch {
    unsafe fn set(this: *const Self) {
        // SAFETY: `this` is valid on entry and stays valid until the count reaches zero; on
        // the last decrement, the registry is cloned before the inner latch opens, after
        // which `*this` is not touched.
        unsafe {
            if (*this).counter.fetch_sub(1, Ordering::SeqCst) != 1 {
                return;
            }
            match &(*this).kind {
                CountLatchKind::Stealing {
                    latch,
                    registry,
                    worker_index,
                } => {
                    let registry = Arc::clone(registry);
                    let worker_index = *worker_index;
                    if CoreLatch::set(latch) {
                        registry.notify_worker_latch_is_set(worker_index);
                    }
                }
                CountLatchKind::Blocking { latch } => LockLatch::set(latch),
            }
        }
    }
}
