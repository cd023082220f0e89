//! `ThreadPoolBuilder`, the spawn hooks it accepts, and the error it can return.

use super::ThreadPool;
use crate::config::{self, ConfigError};
use crate::job::JobRef;
use crate::priority::Priority;
use crate::registry::{self, ExitHandler, PanicHandler, Registry, StartHandler};
use crate::scheduling_policy::{SchedulingPolicy, UnknownSchedulingPolicy};
use crate::sleep::{Scaling, MAX_THREADS};
use crate::sync::Arc;
use crate::unwind;
use crossbeam_deque::Worker;
use std::any::Any;
use std::fmt;
use std::io;
use std::time::Duration;

/// Configures and builds a [`ThreadPool`], or the global pool with
/// [`build_global`](ThreadPoolBuilder::build_global).
///
/// Every setting is optional. The number of threads defaults to the `VEDA_NUM_THREADS`
/// environment variable, then `RAYON_NUM_THREADS`, then the number of logical CPUs.
///
/// By default a pool keeps all of its threads for its whole life, as Rayon's do. veda can
/// also scale them: [`min_threads`](ThreadPoolBuilder::min_threads),
/// [`max_threads`](ThreadPoolBuilder::max_threads) and
/// [`keep_alive`](ThreadPoolBuilder::keep_alive) bound how many threads idle and how many
/// may stand in for workers blocked in [`block_in_place`](crate::block_in_place).
///
/// # Examples
///
/// ```
/// let pool = veda::ThreadPoolBuilder::new()
///     .num_threads(4)
///     .thread_name(|index| format!("compute-{index}"))
///     .build()
///     .unwrap();
/// assert_eq!(pool.current_num_threads(), 4);
/// let name = pool.install(|| std::thread::current().name().map(str::to_owned));
/// assert!(name.unwrap().starts_with("compute-"));
/// ```
pub struct ThreadPoolBuilder<S = DefaultSpawn> {
    pub(crate) num_threads: usize,
    pub(crate) use_current_thread: bool,
    pub(crate) panic_handler: Option<Box<PanicHandler>>,
    pub(crate) get_thread_name: Option<Box<dyn FnMut(usize) -> String>>,
    pub(crate) stack_size: Option<usize>,
    pub(crate) start_handler: Option<Box<StartHandler>>,
    pub(crate) exit_handler: Option<Box<ExitHandler>>,
    pub(crate) spawn_handler: S,
    pub(crate) breadth_first: bool,
    pub(crate) scheduling_policy: Option<SchedulingPolicy>,
    pub(crate) min_threads: Option<usize>,
    pub(crate) max_threads: Option<usize>,
    pub(crate) keep_alive: Option<Duration>,
    pub(crate) default_priority: Option<Priority>,
    pub(crate) aging_bound: Option<Duration>,
}

impl Default for ThreadPoolBuilder {
    fn default() -> Self {
        ThreadPoolBuilder {
            num_threads: 0,
            use_current_thread: false,
            panic_handler: None,
            get_thread_name: None,
            stack_size: None,
            start_handler: None,
            exit_handler: None,
            spawn_handler: DefaultSpawn,
            breadth_first: false,
            scheduling_policy: None,
            min_threads: None,
            max_threads: None,
            keep_alive: None,
            default_priority: None,
            aging_bound: None,
        }
    }
}

impl<S> fmt::Debug for ThreadPoolBuilder<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ThreadPoolBuilder")
            .field("num_threads", &self.num_threads)
            .field("use_current_thread", &self.use_current_thread)
            .field("has_panic_handler", &self.panic_handler.is_some())
            .field("has_thread_name", &self.get_thread_name.is_some())
            .field("stack_size", &self.stack_size)
            .field("has_start_handler", &self.start_handler.is_some())
            .field("has_exit_handler", &self.exit_handler.is_some())
            .field("breadth_first", &self.breadth_first)
            .field("scheduling_policy", &self.scheduling_policy)
            .field("min_threads", &self.min_threads)
            .field("max_threads", &self.max_threads)
            .field("keep_alive", &self.keep_alive)
            .field("default_priority", &self.default_priority)
            .field("aging_bound", &self.aging_bound)
            .finish_non_exhaustive()
    }
}

impl ThreadPoolBuilder {
    /// A builder with every setting at its default.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a pool whose threads are spawned by `wrapper` inside a `std::thread::scope`,
    /// runs `with_pool` with it, then drops the pool and waits for its threads to exit.
    ///
    /// Because the threads are scoped, `wrapper` may borrow from the caller (to set up
    /// thread-local state around [`ThreadBuilder::run`], for example). A panic in
    /// `with_pool` is re-raised after the threads have exited.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    ///
    /// let started = AtomicUsize::new(0);
    /// let sum = veda::ThreadPoolBuilder::new()
    ///     .num_threads(2)
    ///     .build_scoped(
    ///         |thread| {
    ///             started.fetch_add(1, Ordering::Relaxed);
    ///             thread.run()
    ///         },
    ///         |pool| pool.install(|| (1..=10).sum::<i32>()),
    ///     )
    ///     .unwrap();
    /// assert_eq!(sum, 55);
    /// assert_eq!(started.load(Ordering::Relaxed), 2);
    /// ```
    pub fn build_scoped<W, F, R>(self, wrapper: W, with_pool: F) -> Result<R, ThreadPoolBuildError>
    where
        W: Fn(ThreadBuilder) + Sync,
        F: FnOnce(&ThreadPool) -> R,
    {
        let outcome = std::thread::scope(|scope| {
            let wrapper = &wrapper;
            let pool = self
                .spawn_handler(|thread| {
                    let mut builder = std::thread::Builder::new();
                    if let Some(name) = thread.name() {
                        builder = builder.name(name.to_owned());
                    }
                    if let Some(size) = thread.stack_size() {
                        builder = builder.stack_size(size);
                    }
                    builder.spawn_scoped(scope, move || wrapper(thread))?;
                    Ok(())
                })
                .build()?;
            let outcome = unwind::halt_unwinding(|| with_pool(&pool));
            drop(pool);
            Ok(outcome)
        })?;
        match outcome {
            Ok(result) => Ok(result),
            Err(payload) => unwind::resume_unwinding(payload),
        }
    }
}

impl<S: ThreadSpawn> ThreadPoolBuilder<S> {
    /// Starts the threads and returns the pool.
    ///
    /// Fails if a thread cannot be spawned, or if `use_current_thread` was asked from a
    /// thread that already belongs to a pool.
    pub fn build(self) -> Result<ThreadPool, ThreadPoolBuildError> {
        ThreadPool::build(self)
    }

    /// Starts the global pool with this configuration.
    ///
    /// Fails if the global pool is already running, whether started explicitly or lazily by
    /// an earlier parallel call (after [`crate::shutdown`] it may be built again).
    pub fn build_global(self) -> Result<(), ThreadPoolBuildError> {
        registry::init_global_registry(self)
    }
}

impl<S> ThreadPoolBuilder<S> {
    /// Replaces how threads are started: `spawn` receives each [`ThreadBuilder`] and must
    /// arrange for [`ThreadBuilder::run`] to be called on a new thread.
    ///
    /// The handler is called while the pool is built, once per thread, and never again: a
    /// pool built with one keeps all `num_threads` threads, starts no stand-ins (so
    /// [`block_in_place`](crate::block_in_place) just runs its closure), and fails to build
    /// if [`min_threads`](ThreadPoolBuilder::min_threads) or
    /// [`max_threads`](ThreadPoolBuilder::max_threads) ask otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut handles = Vec::new();
    /// let pool = veda::ThreadPoolBuilder::new()
    ///     .num_threads(2)
    ///     .spawn_handler(|thread| {
    ///         handles.push(std::thread::spawn(move || thread.run()));
    ///         Ok(())
    ///     })
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(pool.install(|| veda::current_num_threads()), 2);
    /// drop(pool);
    /// for handle in handles {
    ///     handle.join().unwrap();
    /// }
    /// ```
    pub fn spawn_handler<F>(self, spawn: F) -> ThreadPoolBuilder<CustomSpawn<F>>
    where
        F: FnMut(ThreadBuilder) -> io::Result<()>,
    {
        ThreadPoolBuilder {
            num_threads: self.num_threads,
            use_current_thread: self.use_current_thread,
            panic_handler: self.panic_handler,
            get_thread_name: self.get_thread_name,
            stack_size: self.stack_size,
            start_handler: self.start_handler,
            exit_handler: self.exit_handler,
            spawn_handler: CustomSpawn(spawn),
            breadth_first: self.breadth_first,
            scheduling_policy: self.scheduling_policy,
            min_threads: self.min_threads,
            max_threads: self.max_threads,
            keep_alive: self.keep_alive,
            default_priority: self.default_priority,
            aging_bound: self.aging_bound,
        }
    }

    /// Names each thread by its index.
    ///
    /// With the default spawner the closure is called once per index while the pool is
    /// built, for every index up to [`max_threads`](ThreadPoolBuilder::max_threads) (threads
    /// started later, stand-ins included, reuse those names); with a
    /// [`spawn_handler`](ThreadPoolBuilder::spawn_handler), once per thread as it is spawned.
    pub fn thread_name<F>(mut self, closure: F) -> Self
    where
        F: FnMut(usize) -> String + 'static,
    {
        self.get_thread_name = Some(Box::new(closure));
        self
    }

    /// The number of threads; 0 (the default) means the environment variables or the
    /// number of CPUs decide. Values above [`crate::max_num_threads`] are capped.
    ///
    /// This is the pool's parallelism: what
    /// [`current_num_threads`](crate::current_num_threads) reports, the range of worker
    /// indices, and the number of runs of a [`broadcast`](crate::broadcast), whether or not
    /// all of these threads run at the moment.
    pub fn num_threads(mut self, num_threads: usize) -> Self {
        self.num_threads = num_threads;
        self
    }

    /// The number of threads kept while the pool idles (a veda extension; the default is
    /// `num_threads`: no thread ever retires).
    ///
    /// With fewer, the pool starts `min_threads` threads; when work is published and no
    /// idle thread would take it, a thread is started for the next worker index, up to
    /// `num_threads`. A worker with an index of `min_threads` or more that has slept for
    /// the [`keep_alive`](ThreadPoolBuilder::keep_alive) retires: its thread runs the exit
    /// handler and ends, and a later thread for the same index runs the start handler
    /// again. May be 0. Building fails if it exceeds `num_threads`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let pool = veda::ThreadPoolBuilder::new()
    ///     .num_threads(4)
    ///     .min_threads(1)
    ///     .keep_alive(Duration::from_millis(100))
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(pool.current_num_threads(), 4);
    /// assert_eq!(pool.live_threads(), 1);
    /// assert_eq!(pool.install(|| (0..1000).sum::<i32>()), 499_500);
    /// ```
    pub fn min_threads(mut self, min_threads: usize) -> Self {
        self.min_threads = Some(min_threads);
        self
    }

    /// The most threads the pool may run at once, counting stand-ins: threads started while
    /// workers block in [`block_in_place`](crate::block_in_place) (a veda extension). The
    /// default is four times `num_threads` (at most [`crate::max_num_threads`]); values
    /// above that maximum are capped, and building fails if it is below `num_threads`.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = veda::ThreadPoolBuilder::new()
    ///     .num_threads(2)
    ///     .max_threads(3)
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(pool.max_threads(), 3);
    /// ```
    pub fn max_threads(mut self, max_threads: usize) -> Self {
        self.max_threads = Some(max_threads);
        self
    }

    /// How long an idle thread that may retire sleeps before it does (a veda extension;
    /// the default is [`Config::DEFAULT_KEEP_ALIVE`](crate::Config::DEFAULT_KEEP_ALIVE),
    /// 10 seconds). Threads that may retire are workers with an index of
    /// [`min_threads`](Self::min_threads) or more, and stand-ins nobody needs any more.
    /// Building fails if it is zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let pool = veda::ThreadPoolBuilder::new()
    ///     .keep_alive(Duration::from_secs(1))
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(pool.keep_alive(), Duration::from_secs(1));
    /// ```
    pub fn keep_alive(mut self, keep_alive: Duration) -> Self {
        self.keep_alive = Some(keep_alive);
        self
    }

    /// Makes the building thread worker 0 of the pool, instead of spawning a thread for it.
    ///
    /// The thread takes part in the pool's work only while it is inside a pool operation
    /// (`install`, `join`, a scope…). It stops being a worker when the pool is dropped on it.
    /// It never retires, so [`min_threads`](ThreadPoolBuilder::min_threads) is at least 1
    /// for such a pool.
    pub fn use_current_thread(mut self) -> Self {
        self.use_current_thread = true;
        self
    }

    /// Receives the panics of `spawn`ed jobs (and of start/exit handlers). Without a panic
    /// handler, such a panic aborts the process.
    pub fn panic_handler<H>(mut self, panic_handler: H) -> Self
    where
        H: Fn(Box<dyn Any + Send>) + Send + Sync + 'static,
    {
        self.panic_handler = Some(Box::new(panic_handler));
        self
    }

    /// The stack size of each worker thread, in bytes.
    pub fn stack_size(mut self, stack_size: usize) -> Self {
        self.stack_size = Some(stack_size);
        self
    }

    /// Makes each worker's own deque FIFO instead of LIFO.
    #[deprecated(note = "use `scope_fifo` and `spawn_fifo` for similar effect")]
    pub fn breadth_first(mut self) -> Self {
        self.breadth_first = true;
        self
    }

    /// Called on each worker thread, with its index, before it takes any work.
    pub fn start_handler<H>(mut self, start_handler: H) -> Self
    where
        H: Fn(usize) + Send + Sync + 'static,
    {
        self.start_handler = Some(Box::new(start_handler));
        self
    }

    /// Called on each worker thread, with its index, when it exits.
    pub fn exit_handler<H>(mut self, exit_handler: H) -> Self
    where
        H: Fn(usize) + Send + Sync + 'static,
    {
        self.exit_handler = Some(Box::new(exit_handler));
        self
    }

    /// Chooses the pool's [`SchedulingPolicy`] (a veda extension; without it the pool
    /// follows `VEDA_SCHEDULING_POLICY`, else [`SchedulingPolicy::Adaptive`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::SchedulingPolicy;
    ///
    /// let pool = veda::ThreadPoolBuilder::new()
    ///     .scheduling_policy(SchedulingPolicy::WorkStealing)
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(pool.install(|| veda::join(|| 1, || 2)), (1, 2));
    /// ```
    pub fn scheduling_policy(mut self, policy: SchedulingPolicy) -> Self {
        self.scheduling_policy = Some(policy);
        self
    }

    /// The level of work on this pool that names none and is not spawned from a task that
    /// has one (see [`Priority`]); [`Priority::Normal`] unless set. Work at a level other
    /// than `Normal` waits in the pool's priority queues rather than its deques, so a pool
    /// whose default is another level spawns at the cost of a locked queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::Priority;
    ///
    /// let pool = veda::ThreadPoolBuilder::new()
    ///     .num_threads(1)
    ///     .default_priority(Priority::Background)
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(pool.default_priority(), Priority::Background);
    /// assert_eq!(pool.install(veda::current_priority), Priority::Background);
    /// ```
    pub fn default_priority(mut self, priority: Priority) -> Self {
        self.default_priority = Some(priority);
        self
    }

    /// How long queued work may wait before it is served ahead of more urgent work: a task
    /// queued longer gets every other pick of the pool's workers, whatever its level, so no
    /// level starves. Must not be zero; the default is [`Config::DEFAULT_AGING_BOUND`].
    ///
    /// [`Config::DEFAULT_AGING_BOUND`]: crate::Config::DEFAULT_AGING_BOUND
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let pool = veda::ThreadPoolBuilder::new()
    ///     .aging_bound(Duration::from_millis(20))
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(pool.aging_bound(), Duration::from_millis(20));
    /// assert!(veda::ThreadPoolBuilder::new().aging_bound(Duration::ZERO).build().is_err());
    /// ```
    pub fn aging_bound(mut self, bound: Duration) -> Self {
        self.aging_bound = Some(bound);
        self
    }

    /// The aging bound this builder's pool will use.
    pub(crate) fn resolved_aging_bound(&self) -> Result<Duration, ThreadPoolBuildError> {
        config::resolve_aging_bound(self.aging_bound)
            .map_err(|error| ThreadPoolBuildError::new(ErrorKind::InvalidPrioritySettings(error)))
    }

    /// The policy this builder's pool will follow.
    pub(crate) fn resolved_scheduling_policy(
        &self,
    ) -> Result<SchedulingPolicy, ThreadPoolBuildError> {
        match self.scheduling_policy {
            Some(policy) => Ok(policy),
            None => SchedulingPolicy::from_env()
                .map(Option::unwrap_or_default)
                .map_err(|error| ThreadPoolBuildError::new(ErrorKind::InvalidEnvironment(error))),
        }
    }

    /// The thread limits this builder asks for; `can_start_threads` tells whether its spawner
    /// can start threads after the pool was built.
    pub(crate) fn resolved_scaling(
        &self,
        can_start_threads: bool,
    ) -> Result<Scaling, ThreadPoolBuildError> {
        let num_threads = self.resolved_num_threads();
        if !can_start_threads
            && (self.min_threads.is_some_and(|min| min < num_threads)
                || self.max_threads.is_some_and(|max| max > num_threads))
        {
            return Err(ThreadPoolBuildError::new(
                ErrorKind::ScalingNeedsDefaultSpawn,
            ));
        }
        let max_threads = self.max_threads.map(|max| max.min(MAX_THREADS));
        // The adopted thread is worker 0 and has no main loop to retire from.
        let min_threads = self.min_threads.map(|min| {
            if self.use_current_thread {
                min.max(1)
            } else {
                min
            }
        });
        config::resolve_scaling(
            num_threads,
            min_threads,
            max_threads,
            self.keep_alive,
            can_start_threads,
        )
        .map_err(|error| ThreadPoolBuildError::new(ErrorKind::InvalidThreadLimits(error)))
    }

    /// The thread count this builder will start.
    pub(crate) fn resolved_num_threads(&self) -> usize {
        let requested = if self.num_threads > 0 {
            self.num_threads
        } else {
            env_num_threads().unwrap_or_else(num_cpus::get)
        };
        requested.clamp(1, MAX_THREADS)
    }

    pub(crate) fn thread_name_for(&mut self, index: usize) -> Option<String> {
        self.get_thread_name.as_mut().map(|name| name(index))
    }
}

/// The thread count the environment asks for, if any: `VEDA_NUM_THREADS` wins over
/// `RAYON_NUM_THREADS` (and the deprecated `RAYON_RS_NUM_CPUS`). Zero or unparsable
/// values are ignored, as Rayon ignores them.
fn env_num_threads() -> Option<usize> {
    ENV_NUM_THREADS_VARS.iter().find_map(|name| {
        std::env::var(name)
            .ok()
            .and_then(|value| value.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
    })
}

/// The environment variables that set the thread count, strongest first.
pub(crate) const ENV_NUM_THREADS_VARS: [&str; 3] =
    ["VEDA_NUM_THREADS", "RAYON_NUM_THREADS", "RAYON_RS_NUM_CPUS"];

/// A thread of a pool that is about to start: hand it to a new thread and call
/// [`run`](ThreadBuilder::run) there. Given to the closures of
/// [`ThreadPoolBuilder::spawn_handler`] and [`ThreadPoolBuilder::build_scoped`].
pub struct ThreadBuilder {
    pub(crate) name: Option<String>,
    pub(crate) stack_size: Option<usize>,
    pub(crate) worker: Worker<JobRef>,
    pub(crate) index: usize,
    pub(crate) registry: Arc<Registry>,
}

impl ThreadBuilder {
    /// The index of this thread in its pool.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The name the builder chose for this thread, if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The stack size the builder chose for this thread, if any.
    pub fn stack_size(&self) -> Option<usize> {
        self.stack_size
    }

    /// Runs the worker on the current thread until the pool ends.
    pub fn run(self) {
        registry::main_loop(self);
    }
}

impl fmt::Debug for ThreadBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ThreadBuilder")
            .field("index", &self.index)
            .field("name", &self.name)
            .field("stack_size", &self.stack_size)
            .finish_non_exhaustive()
    }
}

mod sealed {
    pub trait Sealed {}
}

/// How a builder starts its threads (sealed; see
/// [`ThreadPoolBuilder::spawn_handler`]).
#[allow(unreachable_pub)] // nameable only through the builder's bounds, as in Rayon
pub trait ThreadSpawn: sealed::Sealed {
    /// Starts one thread.
    #[doc(hidden)]
    fn spawn(&mut self, thread: ThreadBuilder) -> io::Result<()>;

    /// Whether the pool can start threads the same way after it was built.
    #[doc(hidden)]
    fn can_start_threads_later(&self) -> bool;
}

/// The default spawner: `std::thread::Builder` with the configured name and stack size.
#[derive(Debug, Default)]
#[allow(unreachable_pub)] // the default type parameter of ThreadPoolBuilder, as in Rayon
pub struct DefaultSpawn;

impl sealed::Sealed for DefaultSpawn {}

impl ThreadSpawn for DefaultSpawn {
    fn spawn(&mut self, thread: ThreadBuilder) -> io::Result<()> {
        let registry = Arc::clone(&thread.registry);
        let (index, name, stack_size) = (thread.index, thread.name.clone(), thread.stack_size);
        registry.spawn_slot_thread(index, name, stack_size, move |_first_thread| thread.run())
    }

    fn can_start_threads_later(&self) -> bool {
        true
    }
}

/// A spawner given by [`ThreadPoolBuilder::spawn_handler`].
#[derive(Debug)]
#[allow(unreachable_pub)] // returned inside ThreadPoolBuilder<CustomSpawn<F>>, as in Rayon
pub struct CustomSpawn<F>(F);

impl<F> sealed::Sealed for CustomSpawn<F> where F: FnMut(ThreadBuilder) -> io::Result<()> {}

impl<F> ThreadSpawn for CustomSpawn<F>
where
    F: FnMut(ThreadBuilder) -> io::Result<()>,
{
    fn spawn(&mut self, thread: ThreadBuilder) -> io::Result<()> {
        (self.0)(thread)
    }

    fn can_start_threads_later(&self) -> bool {
        false
    }
}

/// Why a pool could not be built.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ThreadPoolBuildError {
    kind: ErrorKind,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum ErrorKind {
    #[error("The global thread pool has already been initialized.")]
    GlobalPoolAlreadyInitialized,
    #[error("The current thread is already part of another thread pool.")]
    CurrentThreadAlreadyInPool,
    #[error("{0}")]
    IOError(#[source] io::Error),
    #[error(transparent)]
    InvalidEnvironment(UnknownSchedulingPolicy),
    #[error(transparent)]
    InvalidThreadLimits(ConfigError),
    #[error(transparent)]
    InvalidPrioritySettings(ConfigError),
    #[error(
        "a pool whose threads come from a spawn handler cannot start threads later: leave \
         min_threads and max_threads unset (or equal to num_threads), or build the pool \
         without spawn_handler/build_scoped"
    )]
    ScalingNeedsDefaultSpawn,
}

impl ThreadPoolBuildError {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        ThreadPoolBuildError { kind }
    }

    pub(crate) fn into_kind(self) -> ErrorKind {
        self.kind
    }
}
