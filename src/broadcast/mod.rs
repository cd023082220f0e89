//! `broadcast` and `spawn_broadcast`: run one closure on every thread of a pool.
//!
//! Each worker has its own broadcast queue, which it checks right after its deque; the
//! broadcaster puts one job in each and wakes every sleeping worker.

use crate::job::{ArcJob, StackJob};
use crate::latch::{CountLatch, LatchRef};
use crate::registry::{self, Registry, WorkerThread};
use crate::sync::Arc;
use std::fmt;
use std::marker::PhantomData;

/// Runs `op` once on every thread of the current pool (the global pool outside every pool)
/// and returns the results in thread-index order.
///
/// Each thread runs its call when it next looks for work, so a thread busy with a long job
/// delays the whole broadcast. A panic in any call is re-raised here after all calls ended.
///
/// # Examples
///
/// ```
/// let pool = veda::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
/// let indices = pool.broadcast(|ctx| ctx.index());
/// assert_eq!(indices, [0, 1, 2]);
/// ```
pub fn broadcast<OP, R>(op: OP) -> Vec<R>
where
    OP: Fn(BroadcastContext<'_>) -> R + Sync,
    R: Send,
{
    registry::with_current_registry(|registry| broadcast_in(op, registry))
}

/// Runs `op` once on every thread of the current pool (the global pool outside every pool),
/// without waiting. Panics go to the pool's panic handler, as for [`crate::spawn`].
///
/// # Examples
///
/// ```
/// let pool = veda::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
/// let (sender, receiver) = std::sync::mpsc::channel();
/// pool.spawn_broadcast(move |ctx| sender.send(ctx.index()).unwrap());
/// let mut seen: Vec<usize> = receiver.iter().take(2).collect();
/// seen.sort();
/// assert_eq!(seen, [0, 1]);
/// ```
pub fn spawn_broadcast<OP>(op: OP)
where
    OP: Fn(BroadcastContext<'_>) + Send + Sync + 'static,
{
    registry::with_current_registry(|registry| spawn_broadcast_in(op, registry));
}

/// `broadcast` on `registry`.
pub(crate) fn broadcast_in<OP, R>(op: OP, registry: &Arc<Registry>) -> Vec<R>
where
    OP: Fn(BroadcastContext<'_>) -> R + Sync,
    R: Send,
{
    let run = |_migrated: bool| BroadcastContext::with_current(&op);
    // A worker of any pool waits by running its own pool's jobs (which may be what the
    // broadcast's runs are waiting for, when pools call into each other).
    let current = WorkerThread::current_ref();
    let num_threads = registry.num_threads();
    let latch = CountLatch::with_count(num_threads, current);
    let jobs: Vec<_> = (0..num_threads)
        .map(|_| StackJob::new(&run, LatchRef::new(&latch)))
        .collect();
    // SAFETY: the jobs stay in `jobs` until the latch below has counted all of them done.
    let job_refs = jobs.iter().map(|job| unsafe { job.as_job_ref() });
    registry.inject_broadcast(job_refs);
    latch.wait(current);
    jobs.into_iter().map(StackJob::into_result).collect()
}

/// `spawn_broadcast` on `registry`.
pub(crate) fn spawn_broadcast_in<OP>(op: OP, registry: &Arc<Registry>)
where
    OP: Fn(BroadcastContext<'_>) + Send + Sync + 'static,
{
    let num_threads = registry.num_threads();
    // One terminate count per run keeps the pool alive until every thread has run it.
    for _ in 0..num_threads {
        registry.increment_terminate_count();
    }
    let job = {
        let registry = Arc::clone(registry);
        ArcJob::new(move || {
            registry.catch_unwind(|| BroadcastContext::with_current(&op));
            registry.terminate();
        })
    };
    let job_refs = (0..num_threads).map(|_| ArcJob::as_static_job_ref(&job));
    registry.inject_broadcast(job_refs);
}

/// What a broadcast call learns about the thread it runs on.
pub struct BroadcastContext<'a> {
    worker: &'a WorkerThread,
    /// Not `Send`/`Sync`: the context describes the current thread.
    _not_send_sync: PhantomData<*mut ()>,
}

impl<'a> BroadcastContext<'a> {
    /// Runs `func` with the context of the current worker thread.
    pub(crate) fn with_current<R>(func: impl FnOnce(BroadcastContext<'_>) -> R) -> R {
        let worker = WorkerThread::current_ref().expect("broadcast jobs run on worker threads");
        func(BroadcastContext {
            worker,
            _not_send_sync: PhantomData,
        })
    }

    /// The index of the current thread in its pool.
    #[inline]
    pub fn index(&self) -> usize {
        self.worker.index()
    }

    /// The number of threads the broadcast runs on: the size of the pool.
    #[inline]
    pub fn num_threads(&self) -> usize {
        self.worker.registry().num_threads()
    }
}

impl fmt::Debug for BroadcastContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BroadcastContext")
            .field("index", &self.index())
            .field("num_threads", &self.num_threads())
            .finish_non_exhaustive()
    }
}
