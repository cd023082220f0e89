//! `ThreadPool`: a pool of worker threads, and the operations that run work on it.

mod builder;
mod configuration;

pub(crate) use builder::{ErrorKind, ThreadSpawn, ENV_NUM_THREADS_VARS};
pub use builder::{ThreadBuilder, ThreadPoolBuildError, ThreadPoolBuilder};
#[allow(deprecated)]
pub use configuration::{initialize, Configuration};

use crate::broadcast::{self, BroadcastContext};
use crate::join;
use crate::priority::{DeadlineMisses, Priority};
use crate::registry::{AdoptedThread, Registry};
use crate::scope::{self, Scope, ScopeFifo};
use crate::spawn;
use crate::sync::Arc;
use crate::Yield;
use std::error::Error;
use std::fmt;
use std::time::Duration;

/// A pool of worker threads.
///
/// Work runs on it through [`install`](ThreadPool::install) (and every parallel operation
/// called inside), [`spawn`](ThreadPool::spawn), [`scope`](ThreadPool::scope) and the other
/// methods. Dropping the pool lets queued and spawned work finish, then its threads exit; it
/// does not wait for them.
///
/// # Examples
///
/// ```
/// let pool = veda::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
/// let (a, b) = pool.join(|| 1 + 1, || 2 + 2);
/// assert_eq!((a, b), (2, 4));
/// ```
pub struct ThreadPool {
    registry: Arc<Registry>,
    adopted: Option<AdoptedThread>,
}

impl fmt::Debug for ThreadPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ThreadPool")
            .field("num_threads", &self.current_num_threads())
            .finish_non_exhaustive()
    }
}

impl ThreadPool {
    /// Builds a pool from the deprecated [`Configuration`].
    #[deprecated(note = "use `ThreadPoolBuilder::build`")]
    #[allow(deprecated)]
    pub fn new(configuration: Configuration) -> Result<ThreadPool, Box<dyn Error>> {
        Ok(configuration.into_builder().build()?)
    }

    pub(crate) fn build<S: ThreadSpawn>(
        builder: ThreadPoolBuilder<S>,
    ) -> Result<ThreadPool, ThreadPoolBuildError> {
        let (registry, adopted) = Registry::new(builder)?;
        Ok(ThreadPool { registry, adopted })
    }

    /// The pool's registry.
    pub(crate) fn registry(&self) -> &Arc<Registry> {
        &self.registry
    }

    /// Runs `op` on a thread of this pool and returns its result; parallel operations inside
    /// `op` use this pool.
    ///
    /// From a thread outside the pool, the caller blocks until `op` is done; from a worker of
    /// another pool, that worker keeps running its own pool's jobs meanwhile. Panics in `op`
    /// are re-raised here.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = veda::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
    /// assert_eq!(pool.install(veda::current_num_threads), 3);
    /// ```
    pub fn install<OP, R>(&self, op: OP) -> R
    where
        OP: FnOnce() -> R + Send,
        R: Send,
    {
        self.registry.in_worker(|_, _| op())
    }

    /// Runs `op` once on every thread of this pool and collects the results in thread-index
    /// order. See [`crate::broadcast`].
    pub fn broadcast<OP, R>(&self, op: OP) -> Vec<R>
    where
        OP: Fn(BroadcastContext<'_>) -> R + Sync,
        R: Send,
    {
        broadcast::broadcast_in(op, &self.registry)
    }

    /// The number of threads in this pool: its parallelism, whether or not all of them run
    /// at the moment (see [`ThreadPoolBuilder::min_threads`]).
    #[inline]
    pub fn current_num_threads(&self) -> usize {
        self.registry.num_threads()
    }

    /// The threads working for this pool right now (a veda extension): between
    /// [`min_threads`](ThreadPool::min_threads) and `current_num_threads` while no worker
    /// blocks, plus the stand-ins started for workers blocked in
    /// [`block_in_place`](crate::block_in_place); never more than
    /// [`max_threads`](ThreadPool::max_threads). A thread that retires stops counting before
    /// its exit handler runs.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = veda::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    /// assert_eq!(pool.live_threads(), 2);
    /// ```
    pub fn live_threads(&self) -> usize {
        self.registry.live_threads()
    }

    /// The threads this pool keeps while it idles (see
    /// [`ThreadPoolBuilder::min_threads`]).
    pub fn min_threads(&self) -> usize {
        self.registry.limits().min_threads
    }

    /// The most threads this pool runs at once, stand-ins included (see
    /// [`ThreadPoolBuilder::max_threads`]).
    pub fn max_threads(&self) -> usize {
        self.registry.limits().max_threads
    }

    /// How long an idle thread that may retire sleeps before it does (see
    /// [`ThreadPoolBuilder::keep_alive`]).
    pub fn keep_alive(&self) -> Duration {
        self.registry.limits().keep_alive
    }

    /// Runs `op` in this pool as the root of a recording and returns its result with the
    /// [`Trace`](crate::deterministic::Trace) of its dispatch decisions: see
    /// [`deterministic::record_trace`](crate::deterministic::record_trace) (cargo feature
    /// `deterministic`).
    ///
    /// # Errors
    ///
    /// [`TraceError::NotDeterministic`](crate::deterministic::TraceError::NotDeterministic)
    /// unless the pool's policy is `Deterministic` (then `op` does not run).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::{SchedulingPolicy, ThreadPoolBuilder};
    ///
    /// let pool = ThreadPoolBuilder::new()
    ///     .num_threads(2)
    ///     .scheduling_policy(SchedulingPolicy::Deterministic { seed: 9 })
    ///     .build()
    ///     .unwrap();
    /// let (total, trace) = pool.record_trace(|| veda::join(|| 20, || 22)).unwrap();
    /// assert_eq!(total, (20, 22));
    /// assert_eq!(trace.len(), 1);
    /// ```
    #[cfg(feature = "deterministic")]
    pub fn record_trace<OP, R>(
        &self,
        op: OP,
    ) -> Result<(R, crate::deterministic::Trace), crate::deterministic::TraceError>
    where
        OP: FnOnce() -> R + Send,
        R: Send,
    {
        self.install(|| crate::deterministic::record_trace(op))
    }

    /// The [`SchedulingPolicy`](crate::SchedulingPolicy) this pool follows.
    pub fn scheduling_policy(&self) -> crate::SchedulingPolicy {
        self.registry.scheduling_policy()
    }

    /// The index of the current thread in this pool, or `None` if it is not one of its
    /// workers. A stand-in (see [`block_in_place`](crate::block_in_place)) has an index of
    /// `current_num_threads()` or more, below [`max_threads`](ThreadPool::max_threads).
    #[inline]
    pub fn current_thread_index(&self) -> Option<usize> {
        self.registry.current_thread().map(|worker| worker.index())
    }

    /// Whether the current thread, a worker of this pool, has jobs waiting in its own deque;
    /// `None` if it is not one of this pool's workers.
    #[inline]
    pub fn current_thread_has_pending_tasks(&self) -> Option<bool> {
        self.registry
            .current_thread()
            .map(|worker| worker.has_pending_tasks())
    }

    /// [`crate::join`] on this pool.
    pub fn join<A, B, RA, RB>(&self, oper_a: A, oper_b: B) -> (RA, RB)
    where
        A: FnOnce() -> RA + Send,
        B: FnOnce() -> RB + Send,
        RA: Send,
        RB: Send,
    {
        self.install(|| join::join(oper_a, oper_b))
    }

    /// [`crate::scope()`] on this pool.
    pub fn scope<'scope, OP, R>(&self, op: OP) -> R
    where
        OP: FnOnce(&Scope<'scope>) -> R + Send,
        R: Send,
    {
        self.install(|| scope::scope(op))
    }

    /// [`crate::scope_fifo`] on this pool.
    pub fn scope_fifo<'scope, OP, R>(&self, op: OP) -> R
    where
        OP: FnOnce(&ScopeFifo<'scope>) -> R + Send,
        R: Send,
    {
        self.install(|| scope::scope_fifo(op))
    }

    /// [`crate::in_place_scope`] with its spawns going to this pool.
    pub fn in_place_scope<'scope, OP, R>(&self, op: OP) -> R
    where
        OP: FnOnce(&Scope<'scope>) -> R,
    {
        scope::in_place_scope_in(&self.registry, op)
    }

    /// [`crate::in_place_scope_fifo`] with its spawns going to this pool.
    pub fn in_place_scope_fifo<'scope, OP, R>(&self, op: OP) -> R
    where
        OP: FnOnce(&ScopeFifo<'scope>) -> R,
    {
        scope::in_place_scope_fifo_in(&self.registry, op)
    }

    /// [`crate::spawn`] on this pool.
    pub fn spawn<OP>(&self, op: OP)
    where
        OP: FnOnce() + Send + 'static,
    {
        spawn::spawn_in(op, &self.registry);
    }

    /// [`crate::spawn_fifo`] on this pool.
    pub fn spawn_fifo<OP>(&self, op: OP)
    where
        OP: FnOnce() + Send + 'static,
    {
        spawn::spawn_fifo_in(op, &self.registry);
    }

    /// [`crate::spawn_with_priority`] on this pool: `op` runs at `priority`.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::Priority;
    ///
    /// let pool = veda::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    /// let (sender, receiver) = std::sync::mpsc::channel();
    /// pool.spawn_with_priority(Priority::Critical, move || {
    ///     sender.send(veda::current_priority()).unwrap();
    /// });
    /// assert_eq!(receiver.recv().unwrap(), Priority::Critical);
    /// ```
    pub fn spawn_with_priority<OP>(&self, priority: Priority, op: OP)
    where
        OP: FnOnce() + Send + 'static,
    {
        spawn::spawn_at(op, &self.registry, priority);
    }

    /// The level of work on this pool that names none (see
    /// [`ThreadPoolBuilder::default_priority`]).
    pub fn default_priority(&self) -> Priority {
        self.registry.default_priority()
    }

    /// How long queued work may wait before it is served ahead of more urgent work (see
    /// [`ThreadPoolBuilder::aging_bound`]).
    pub fn aging_bound(&self) -> Duration {
        self.registry.priorities.aging_bound()
    }

    /// The tasks of this pool that had not started by their deadline, counted since the
    /// pool was built: those run late and those dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::{fault::Task, OnDeadlineMiss};
    /// use std::time::{Duration, Instant};
    ///
    /// let pool = veda::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    /// let past = Instant::now() - Duration::from_millis(1);
    /// Task::new().deadline(past).spawn_in(&pool, |_| ()).join().unwrap();
    /// let dropped = Task::new().deadline(past).on_deadline_miss(OnDeadlineMiss::Drop);
    /// assert!(dropped.spawn_in(&pool, |_| ()).join().is_err());
    /// let misses = pool.deadline_misses();
    /// assert_eq!((misses.ran_late, misses.dropped), (1, 1));
    /// ```
    pub fn deadline_misses(&self) -> DeadlineMisses {
        self.registry.deadline_misses()
    }

    /// The number of tasks waiting in this pool's priority queues (work at a level other
    /// than `Normal`, or with a deadline); work on the default path is not counted.
    pub fn queued_prioritized_tasks(&self) -> usize {
        self.registry.priorities.len()
    }

    /// [`crate::spawn_broadcast`] on this pool.
    pub fn spawn_broadcast<OP>(&self, op: OP)
    where
        OP: Fn(BroadcastContext<'_>) + Send + Sync + 'static,
    {
        broadcast::spawn_broadcast_in(op, &self.registry);
    }

    /// [`crate::yield_now`] for a worker of this pool; `None` on other threads.
    pub fn yield_now(&self) -> Option<Yield> {
        self.registry
            .current_thread()
            .map(|worker| Yield::from_ran_job(worker.yield_once(false)))
    }

    /// [`crate::yield_local`] for a worker of this pool; `None` on other threads.
    pub fn yield_local(&self) -> Option<Yield> {
        self.registry
            .current_thread()
            .map(|worker| Yield::from_ran_job(worker.yield_once(true)))
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        if let Some(adopted) = self.adopted.take() {
            adopted.release();
        }
        self.registry.terminate();
    }
}
