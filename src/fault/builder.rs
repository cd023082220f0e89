//! `Task`: the builder of isolated tasks.

use super::context::TaskContext;
use super::default_retry;
use super::handle::TaskHandle;
use super::lean;
use super::recovery::{Fallback, Recovery, RetryPolicy};
use super::task::{launch, Body, BodyError, Launch, ScopedBody};
use crate::priority::{Deadline, OnDeadlineMiss, Priority};
use crate::registry::Registry;
use crate::registry::{self, RegistryKeepalive, WorkerThread};
use crate::scope::Scope;
use crate::sync::Arc;
use crate::ThreadPool;
use std::fmt;
use std::time::{Duration, Instant};

/// Builds an isolated task: a closure whose panics and errors become a [`TaskError`](super::TaskError) on its
/// [`TaskHandle`] instead of reaching the pool, with an optional name, recovery strategy,
/// timeout, circuit breaker, [`Priority`] and deadline.
///
/// This is veda's one task builder: a plain `Task::new().spawn(f)` costs about what a
/// [`spawn`](crate::spawn) that sends its value back costs, and each option adds only what
/// it needs.
///
/// The closure receives a [`TaskContext`] and may run more than once (once per attempt), so
/// it is `FnMut`. Spawn it on the current pool ([`spawn`](Task::spawn)), on a given pool
/// ([`spawn_in`](Task::spawn_in)) or inside a scope, borrowing from it
/// ([`spawn_scoped`](Task::spawn_scoped)). The `try_` forms take a closure that returns a
/// `Result`; its errors count as failures just as panics do.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use veda::fault::{RetryPolicy, Task};
///
/// let handle = Task::new()
///     .name("fetch")
///     .retry(RetryPolicy::new(3).initial_backoff(Duration::from_millis(1)))
///     .timeout(Duration::from_secs(30))
///     .try_spawn(|ctx| if ctx.attempt() < 2 { Err("busy") } else { Ok(ctx.attempt()) });
/// assert_eq!(handle.join().unwrap(), 2);
/// ```
pub struct Task<T> {
    name: Option<String>,
    /// Every other option, boxed: a plain task (the common case) carries none, so the builder
    /// stays two words and deciding that a task takes the lean path is one check.
    options: Option<Box<Options<T>>>,
}

/// The options of a [`Task`] beyond its name.
struct Options<T> {
    retry: Option<RetryPolicy>,
    fallback: Option<Fallback<T>>,
    skip: bool,
    timeout: Option<Duration>,
    circuit: Option<String>,
    priority: Option<Priority>,
    deadline: Option<Instant>,
    on_deadline_miss: OnDeadlineMiss,
}

impl<T> Default for Options<T> {
    fn default() -> Self {
        Options {
            retry: None,
            fallback: None,
            skip: false,
            timeout: None,
            circuit: None,
            priority: None,
            deadline: None,
            on_deadline_miss: OnDeadlineMiss::RunLate,
        }
    }
}

impl<T> Options<T> {
    /// Whether a task with these options needs no runner (if it inherits `Normal`).
    fn is_lean(&self) -> bool {
        self.retry.is_none()
            && self.fallback.is_none()
            && !self.skip
            && self.timeout.is_none()
            && self.circuit.is_none()
            && self.deadline.is_none()
            && self.priority.is_none()
    }
}

impl<T> fmt::Debug for Task<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Task");
        debug.field("name", &self.name);
        if let Some(o) = &self.options {
            debug
                .field("retry", &o.retry)
                .field("fallback", &o.fallback.is_some())
                .field("skip", &o.skip)
                .field("timeout", &o.timeout)
                .field("circuit", &o.circuit)
                .field("priority", &o.priority)
                .field("deadline", &o.deadline)
                .field("on_deadline_miss", &o.on_deadline_miss);
        }
        debug.finish()
    }
}

impl<T: Send + 'static> Default for Task<T> {
    fn default() -> Self {
        Task::new()
    }
}

impl<T: Send + 'static> Task<T> {
    /// A task with the defaults: no name, no timeout, no breaker, and the retry policy of
    /// [`ConfigBuilder::fault_retry`](crate::ConfigBuilder::fault_retry) if one was
    /// configured (else failures propagate).
    pub fn new() -> Self {
        let options = default_retry().map(|policy| {
            Box::new(Options {
                retry: Some(policy),
                ..Options::default()
            })
        });
        Task {
            name: None,
            options,
        }
    }

    /// The options beyond the name, created on first use.
    fn options(&mut self) -> &mut Options<T> {
        self.options.get_or_insert_with(Box::default)
    }

    /// Names the task; the name appears in its errors.
    ///
    /// # Examples
    ///
    /// ```
    /// let handle = veda::fault::Task::new().name("resize").spawn(|_| ());
    /// assert_eq!(handle.name(), Some("resize"));
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the recovery strategy. `Retry` and `Fallback` combine (retries first, then the
    /// fallback); `Propagate` clears both, and `Skip` replaces the fallback.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::fault::{Recovery, Task};
    ///
    /// let error = Task::new()
    ///     .recovery(Recovery::Skip)
    ///     .spawn(|_| -> u8 { panic!("corrupt record") })
    ///     .join()
    ///     .unwrap_err();
    /// assert!(matches!(error, veda::fault::TaskError::Skipped { .. }));
    /// ```
    pub fn recovery(mut self, recovery: Recovery<T>) -> Self {
        let options = self.options();
        match recovery {
            Recovery::Propagate => {
                options.retry = None;
                options.fallback = None;
                options.skip = false;
            }
            Recovery::Retry(policy) => options.retry = Some(policy),
            Recovery::Fallback(fallback) => {
                options.fallback = Some(fallback);
                options.skip = false;
            }
            Recovery::Skip => {
                options.fallback = None;
                options.skip = true;
            }
        }
        self
    }

    /// Retries failed attempts as `policy` says (see [`RetryPolicy`]).
    pub fn retry(self, policy: RetryPolicy) -> Self {
        self.recovery(Recovery::Retry(policy))
    }

    /// Falls back to `fallback` once the task has failed for good.
    pub fn fallback(self, fallback: Fallback<T>) -> Self {
        self.recovery(Recovery::Fallback(fallback))
    }

    /// Falls back to `value` once the task has failed for good.
    ///
    /// # Examples
    ///
    /// ```
    /// let value = veda::fault::Task::new()
    ///     .fallback_value(0)
    ///     .spawn(|_| -> i32 { panic!("no") })
    ///     .join();
    /// assert_eq!(value.unwrap(), 0);
    /// ```
    pub fn fallback_value(self, value: T) -> Self {
        self.fallback(Fallback::value(value))
    }

    /// Resolves the handle with [`TaskError::TimedOut`](super::TaskError::TimedOut) if the task has not finished
    /// `timeout` after it was spawned (retries included). The running attempt is not
    /// interrupted: it sees [`TaskContext::is_cancelled`], and its value is dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let handle = veda::fault::Task::new()
    ///     .timeout(Duration::from_millis(10))
    ///     .spawn(|ctx| {
    ///         while !ctx.is_cancelled() {
    ///             std::thread::sleep(Duration::from_millis(1));
    ///         }
    ///     });
    /// assert!(handle.join().unwrap_err().is_timeout());
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options().timeout = Some(timeout);
        self
    }

    /// Guards the task with the circuit breaker of `key`, shared by every task naming it
    /// (see [`circuit_state`](super::circuit_state)). While the breaker is open, the task
    /// is not run: it resolves with [`TaskError::CircuitOpen`](super::TaskError::CircuitOpen), or its fallback.
    pub fn circuit(mut self, key: impl Into<String>) -> Self {
        self.options().circuit = Some(key.into());
        self
    }

    /// Runs the task at `priority` (each attempt): workers start queued work of higher
    /// levels first (see [`Priority`]). Without it, the task runs at the level of the task
    /// that spawns it, else at its pool's default level
    /// ([`current_priority`](crate::current_priority)).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::{fault::Task, Priority};
    ///
    /// let handle = Task::new()
    ///     .priority(Priority::Critical)
    ///     .spawn(|_| veda::current_priority());
    /// assert_eq!(handle.join().unwrap(), Priority::Critical);
    /// ```
    pub fn priority(mut self, priority: Priority) -> Self {
        self.options().priority = Some(priority);
        self
    }

    /// The moment by which the task should have started. Within its level, tasks with a
    /// deadline start earliest deadline first, before the level's tasks without one (a
    /// deadline never moves a task ahead of a more urgent level: give urgent work a
    /// [`priority`](Task::priority) too). A task whose turn comes later is counted as a
    /// miss ([`ThreadPool::deadline_misses`](crate::ThreadPool::deadline_misses), and
    /// telemetry's [`DeadlineCounts`](crate::telemetry::metrics::DeadlineCounts) with the
    /// `telemetry` feature), then runs late or is dropped, as
    /// [`on_deadline_miss`](Task::on_deadline_miss) says. The deadline concerns the first
    /// attempt only: retries run when their backoff ends.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use veda::{fault::Task, OnDeadlineMiss};
    ///
    /// // A deadline already past: the task is dropped when its turn comes.
    /// let past = Instant::now() - Duration::from_millis(1);
    /// let handle = Task::new()
    ///     .deadline(past)
    ///     .on_deadline_miss(OnDeadlineMiss::Drop)
    ///     .spawn(|_| unreachable!());
    /// assert!(handle.join().unwrap_err().is_deadline_missed());
    /// ```
    pub fn deadline(mut self, at: Instant) -> Self {
        self.options().deadline = Some(at);
        self
    }

    /// A [`deadline`](Task::deadline) `within` from now.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let handle = veda::fault::Task::new()
    ///     .deadline_in(Duration::from_secs(60))
    ///     .spawn(|_| 1);
    /// assert_eq!(handle.join().unwrap(), 1);
    /// ```
    pub fn deadline_in(self, within: Duration) -> Self {
        self.deadline(Instant::now() + within)
    }

    /// What happens when the task's turn comes after its [`deadline`](Task::deadline):
    /// [`OnDeadlineMiss::RunLate`] (the default) runs it anyway;
    /// [`OnDeadlineMiss::Drop`] drops it unrun, and the handle resolves with
    /// [`TaskError::DeadlineMissed`](super::TaskError::DeadlineMissed) — or the task's
    /// fallback value, or [`TaskError::Skipped`](super::TaskError::Skipped), if its
    /// recovery strategy has one (a dropped task is not retried).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use veda::{fault::Task, OnDeadlineMiss};
    ///
    /// // Too late to compute: serve the cached answer instead.
    /// let past = Instant::now() - Duration::from_millis(1);
    /// let answer = Task::new()
    ///     .deadline(past)
    ///     .on_deadline_miss(OnDeadlineMiss::Drop)
    ///     .fallback_value("cached")
    ///     .spawn(|_| "fresh")
    ///     .join();
    /// assert_eq!(answer.unwrap(), "cached");
    /// ```
    pub fn on_deadline_miss(mut self, policy: OnDeadlineMiss) -> Self {
        self.options().on_deadline_miss = policy;
        self
    }

    /// Spawns the task on the current pool: the pool of the calling worker, else the global
    /// pool.
    pub fn spawn<F>(self, mut func: F) -> TaskHandle<T>
    where
        F: FnMut(&mut TaskContext) -> T + Send + 'static,
    {
        let registry = current_registry();
        self.launch(&registry, None, move |ctx| Ok(func(ctx)))
    }

    /// Like [`spawn`](Task::spawn), for a closure that reports failures as errors.
    pub fn try_spawn<F, E>(self, mut func: F) -> TaskHandle<T>
    where
        F: FnMut(&mut TaskContext) -> Result<T, E> + Send + 'static,
        E: Into<BodyError>,
    {
        let registry = current_registry();
        self.launch(&registry, None, move |ctx| func(ctx).map_err(Into::into))
    }

    /// Spawns the task on `pool`.
    ///
    /// # Examples
    ///
    /// ```
    /// let pool = veda::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    /// let handle = veda::fault::Task::new().spawn_in(&pool, |_| veda::current_num_threads());
    /// assert_eq!(handle.join().unwrap(), 2);
    /// ```
    pub fn spawn_in<F>(self, pool: &ThreadPool, mut func: F) -> TaskHandle<T>
    where
        F: FnMut(&mut TaskContext) -> T + Send + 'static,
    {
        self.launch(pool.registry(), None, move |ctx| Ok(func(ctx)))
    }

    /// Like [`spawn_in`](Task::spawn_in), for a closure that reports failures as errors.
    pub fn try_spawn_in<F, E>(self, pool: &ThreadPool, mut func: F) -> TaskHandle<T>
    where
        F: FnMut(&mut TaskContext) -> Result<T, E> + Send + 'static,
        E: Into<BodyError>,
    {
        self.launch(pool.registry(), None, move |ctx| {
            func(ctx).map_err(Into::into)
        })
    }

    /// Spawns the task inside `scope`: the closure may borrow anything that outlives the
    /// scope, which does not end before the task has resolved (retries included). The value
    /// itself must be `'static`.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::fault::Task;
    ///
    /// let inputs = vec![1, 2, 3];
    /// let total = veda::scope(|s| {
    ///     let handle = Task::new().spawn_scoped(s, |_| inputs.iter().sum::<i32>());
    ///     handle.join().unwrap()
    /// });
    /// assert_eq!(total, 6);
    /// ```
    pub fn spawn_scoped<'scope, F>(self, scope: &Scope<'scope>, mut func: F) -> TaskHandle<T>
    where
        F: FnMut(&mut TaskContext) -> T + Send + 'scope,
    {
        self.launch_scoped(scope, Box::new(move |ctx| Ok(func(ctx))))
    }

    /// Like [`spawn_scoped`](Task::spawn_scoped), for a closure that reports failures as
    /// errors.
    pub fn try_spawn_scoped<'scope, F, E>(self, scope: &Scope<'scope>, mut func: F) -> TaskHandle<T>
    where
        F: FnMut(&mut TaskContext) -> Result<T, E> + Send + 'scope,
        E: Into<BodyError>,
    {
        self.launch_scoped(scope, Box::new(move |ctx| func(ctx).map_err(Into::into)))
    }

    fn launch_scoped<'scope>(
        self,
        scope: &Scope<'scope>,
        body: ScopedBody<'scope, T>,
    ) -> TaskHandle<T> {
        let hold = scope.hold();
        // Only the lifetime changes. The body may borrow for 'scope; it is owned by the
        // task's runner, which also owns `hold`, a count on the scope that is released only
        // when the runner is dropped, after the body (see the field order of `Runner`).
        // SAFETY: the scope does not end while it has a count, so every borrow of the body
        // stays valid for as long as the body exists.
        let body: Body<T> = unsafe { std::mem::transmute::<ScopedBody<'scope, T>, Body<T>>(body) };
        self.launch(scope.registry(), Some(hold), body)
    }

    /// Starts the task on `registry`, which the caller keeps from terminating meanwhile.
    fn launch<F>(
        self,
        registry: &Arc<Registry>,
        scope_hold: Option<crate::scope::ScopeHold>,
        body: F,
    ) -> TaskHandle<T>
    where
        F: FnMut(&mut TaskContext) -> Result<T, BodyError> + Send + 'static,
    {
        let lean = self
            .options
            .as_ref()
            .is_none_or(|options| options.is_lean())
            && registry.spawn_level() == Priority::Normal;
        if lean {
            // Nothing to keep between attempts: one small allocation, no runner.
            return TaskHandle::new(lean::launch(body, self.name, registry, scope_hold));
        }
        let options = *self.options.unwrap_or_default();
        launch(Launch {
            body,
            name: self.name,
            retry: options.retry,
            fallback: options.fallback.map(|fallback| fallback.0),
            skip: options.skip,
            timeout: options.timeout,
            circuit: options.circuit,
            level: options.priority.unwrap_or_else(|| registry.spawn_level()),
            deadline: options.deadline.map(|at| Deadline {
                at,
                on_miss: options.on_deadline_miss,
            }),
            registry: Arc::clone(registry),
            scope_hold,
        })
    }
}

/// A count on the pool of the calling worker, else on the global pool.
fn current_registry() -> RegistryKeepalive {
    match WorkerThread::current_ref() {
        Some(worker) => RegistryKeepalive::new(worker.registry()),
        None => registry::global_keepalive(),
    }
}
