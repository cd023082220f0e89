//! Questions about the current thread and its pool, and cooperative yielding.

use crate::registry::{self, WorkerThread};
use crate::sleep::MAX_THREADS;

/// The number of threads in the current pool: the pool of the worker calling it, or the
/// global pool (started if needed) from any other thread.
///
/// # Examples
///
/// ```
/// let pool = veda::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
/// assert_eq!(pool.install(veda::current_num_threads), 3);
/// ```
#[inline]
pub fn current_num_threads() -> usize {
    match WorkerThread::current_ref() {
        Some(worker) => worker.registry().num_threads(),
        None => registry::global_num_threads(),
    }
}

/// The index of the current thread in its pool, or `None` outside every pool.
///
/// Workers have the indices `0..current_num_threads()`. A stand-in, a thread started while a
/// worker blocks in [`block_in_place`](crate::block_in_place), has an index of
/// `current_num_threads()` or more (below the pool's
/// [`max_threads`](crate::ThreadPool::max_threads)): code that keeps per-thread data in a
/// vector indexed by this value and uses `block_in_place` should size the vector by
/// `max_threads`. A thread that retires and is started again gets the same index.
///
/// # Examples
///
/// ```
/// assert_eq!(veda::current_thread_index(), None);
/// let pool = veda::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
/// assert!(pool.install(veda::current_thread_index).unwrap() < 2);
/// ```
#[inline]
pub fn current_thread_index() -> Option<usize> {
    WorkerThread::current_ref().map(WorkerThread::index)
}

/// Whether the current worker has jobs waiting in its own deque (`None` outside every pool).
#[inline]
pub fn current_thread_has_pending_tasks() -> Option<bool> {
    WorkerThread::current_ref().map(|worker| worker.has_pending_tasks())
}

/// The largest thread count a pool can have; larger requests are capped to it.
#[inline]
pub fn max_num_threads() -> usize {
    MAX_THREADS
}

/// What a [`yield_now`] or [`yield_local`] call did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Yield {
    /// Another job ran before the call returned.
    Executed,
    /// No job was waiting.
    Idle,
}

impl Yield {
    pub(crate) fn from_ran_job(ran_job: bool) -> Self {
        if ran_job {
            Yield::Executed
        } else {
            Yield::Idle
        }
    }
}

/// Lets the current worker run one waiting job — its own, a stolen one, or one injected
/// into its pool — before returning. `None` outside every pool.
///
/// # Examples
///
/// ```
/// assert_eq!(veda::yield_now(), None);
/// let pool = veda::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
/// assert_eq!(pool.install(veda::yield_now), Some(veda::Yield::Idle));
/// ```
pub fn yield_now() -> Option<Yield> {
    WorkerThread::current_ref().map(|worker| Yield::from_ran_job(worker.yield_once(false)))
}

/// Like [`yield_now`], but only runs a job from the current worker's own queues.
pub fn yield_local() -> Option<Yield> {
    WorkerThread::current_ref().map(|worker| Yield::from_ran_job(worker.yield_once(true)))
}
