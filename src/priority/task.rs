//! Spawning with a level and a deadline: [`TaskOptions`], [`spawn_with`],
//! [`spawn_with_priority`], the [`SpawnHandle`] that learns how the task ended, and the
//! registry and worker hooks that route such work through the pool's priority queues.

use super::queue::DeadlineStart;
use super::{current_level, levels_in_use, run_at, Priority};
use crate::job::{HeapJob, JobRef};
use crate::registry::{self, Registry, WorkerThread};
use crate::sync::{Arc, Condvar, Mutex};
use std::fmt;
use std::time::{Duration, Instant};

/// What happens to a task that has not started by its deadline.
///
/// Either way the miss is counted ([`ThreadPool::deadline_misses`](crate::ThreadPool::deadline_misses)).
///
/// # Examples
///
/// ```
/// use veda::{OnDeadlineMiss, TaskOptions};
/// use std::time::Duration;
///
/// let options = TaskOptions::new()
///     .deadline_in(Duration::from_millis(5))
///     .on_deadline_miss(OnDeadlineMiss::Drop);
/// assert_eq!(options.deadline_miss_policy(), OnDeadlineMiss::Drop);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum OnDeadlineMiss {
    /// Run it anyway, late; its handle reports [`Completion::Late`].
    #[default]
    RunLate,
    /// Drop it without running it; its handle reports [`DeadlineMissed`].
    Drop,
}

/// How to spawn a task: its level, its deadline, and what a missed deadline does. Used by
/// [`spawn_with`] and [`ThreadPool::spawn_with`](crate::ThreadPool::spawn_with).
///
/// Every setting is optional: without a level the task inherits the spawning task's (see
/// [`current_priority`](crate::current_priority)); without a deadline it runs whenever its
/// level's turn comes. Within a level, tasks with a deadline start earliest deadline first,
/// and before the level's tasks without one.
///
/// # Examples
///
/// ```
/// use veda::{Priority, TaskOptions};
/// use std::time::Duration;
///
/// let handle = veda::spawn_with(
///     TaskOptions::new()
///         .priority(Priority::High)
///         .deadline_in(Duration::from_secs(60)),
///     || println!("urgent"),
/// );
/// assert!(handle.wait().is_ok());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TaskOptions {
    priority: Option<Priority>,
    deadline: Option<Instant>,
    on_miss: OnDeadlineMiss,
}

impl TaskOptions {
    /// No level (inherit it), no deadline.
    pub fn new() -> Self {
        Self::default()
    }

    /// The task's level.
    ///
    /// # Examples
    ///
    /// ```
    /// let options = veda::TaskOptions::new().priority(veda::Priority::Low);
    /// assert_eq!(options.get_priority(), Some(veda::Priority::Low));
    /// ```
    pub fn priority(mut self, priority: Priority) -> Self {
        self.priority = Some(priority);
        self
    }

    /// The moment by which the task should have started.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    ///
    /// let at = Instant::now() + Duration::from_millis(10);
    /// assert_eq!(veda::TaskOptions::new().deadline(at).get_deadline(), Some(at));
    /// ```
    pub fn deadline(mut self, at: Instant) -> Self {
        self.deadline = Some(at);
        self
    }

    /// A deadline `within` from now.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    ///
    /// let options = veda::TaskOptions::new().deadline_in(Duration::from_secs(1));
    /// assert!(options.get_deadline().unwrap() > Instant::now());
    /// ```
    pub fn deadline_in(self, within: Duration) -> Self {
        self.deadline(Instant::now() + within)
    }

    /// What happens if the task has not started by its deadline (default:
    /// [`OnDeadlineMiss::RunLate`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::{OnDeadlineMiss, TaskOptions};
    ///
    /// let options = TaskOptions::new().on_deadline_miss(OnDeadlineMiss::Drop);
    /// assert_eq!(options.deadline_miss_policy(), OnDeadlineMiss::Drop);
    /// ```
    pub fn on_deadline_miss(mut self, policy: OnDeadlineMiss) -> Self {
        self.on_miss = policy;
        self
    }

    /// The level set, if any.
    pub fn get_priority(&self) -> Option<Priority> {
        self.priority
    }

    /// The deadline set, if any.
    pub fn get_deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// What a missed deadline does.
    pub fn deadline_miss_policy(&self) -> OnDeadlineMiss {
        self.on_miss
    }
}

/// How a task that ran went, as its [`SpawnHandle`] reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Completion {
    /// It started by its deadline (or had none).
    OnTime,
    /// It started after its deadline and ran anyway ([`OnDeadlineMiss::RunLate`]).
    Late {
        /// How long after its deadline it started.
        late_by: Duration,
    },
}

/// A task that had not started by its deadline and was dropped without running
/// ([`OnDeadlineMiss::Drop`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[error(
    "the task was dropped without running: its turn came {missed_by:?} after its deadline; \
     give it a later deadline or a higher priority, or spawn it with OnDeadlineMiss::RunLate \
     to run it late"
)]
pub struct DeadlineMissed {
    /// How long after its deadline its turn came.
    pub missed_by: Duration,
}

/// The deadline misses a pool has counted since it was built.
///
/// # Examples
///
/// ```
/// let misses = veda::DeadlineMisses { ran_late: 2, dropped: 1 };
/// assert_eq!(misses.total(), 3);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct DeadlineMisses {
    /// Tasks that started after their deadline and ran late.
    pub ran_late: u64,
    /// Tasks dropped without running because their deadline had passed.
    pub dropped: u64,
}

impl DeadlineMisses {
    /// Every miss, run late or dropped.
    pub fn total(&self) -> u64 {
        self.ran_late + self.dropped
    }
}

/// How a task spawned with [`spawn_with`] ended, once it has.
///
/// Dropping the handle does not cancel the task. A panic in the task goes to its pool's
/// [`panic_handler`](crate::ThreadPoolBuilder::panic_handler), as for
/// [`spawn`](crate::spawn); the handle then reports the task as run.
///
/// # Examples
///
/// ```
/// use veda::{OnDeadlineMiss, TaskOptions};
/// use std::time::{Duration, Instant};
///
/// // A deadline already past: the task is dropped when its turn comes.
/// let past = Instant::now() - Duration::from_millis(1);
/// let options = TaskOptions::new().deadline(past).on_deadline_miss(OnDeadlineMiss::Drop);
/// let handle = veda::spawn_with(options, || unreachable!());
/// assert!(handle.wait().is_err());
/// ```
pub struct SpawnHandle {
    state: Arc<HandleState>,
}

/// What a task's job and its handle share.
pub(crate) struct HandleState {
    outcome: Mutex<Option<TaskOutcome>>,
    done: Condvar,
}

type TaskOutcome = Result<Completion, DeadlineMissed>;

impl HandleState {
    fn complete(&self, outcome: TaskOutcome) {
        *self.outcome.lock() = Some(outcome);
        self.done.notify_all();
    }
}

impl fmt::Debug for SpawnHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpawnHandle")
            .field("outcome", &self.try_outcome())
            .finish()
    }
}

impl SpawnHandle {
    /// How the task ended, or `None` while it is queued or running.
    ///
    /// # Examples
    ///
    /// ```
    /// let handle = veda::spawn_with(veda::TaskOptions::new(), || {});
    /// handle.wait().unwrap();
    /// assert_eq!(handle.try_outcome(), Some(Ok(veda::Completion::OnTime)));
    /// ```
    pub fn try_outcome(&self) -> Option<Result<Completion, DeadlineMissed>> {
        *self.state.outcome.lock()
    }

    /// Whether the task has run or was dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// let handle = veda::spawn_with(veda::TaskOptions::new(), || {});
    /// handle.wait().unwrap();
    /// assert!(handle.is_finished());
    /// ```
    pub fn is_finished(&self) -> bool {
        self.try_outcome().is_some()
    }

    /// Waits until the task has run (`Ok`) or was dropped for its deadline (`Err`).
    ///
    /// Called from a worker thread, the worker runs its pool's jobs while it waits, so
    /// waiting for a task of the same pool cannot hang it.
    ///
    /// # Examples
    ///
    /// ```
    /// let handle = veda::spawn_with(veda::TaskOptions::new(), || {});
    /// assert_eq!(handle.wait(), Ok(veda::Completion::OnTime));
    /// ```
    pub fn wait(&self) -> Result<Completion, DeadlineMissed> {
        let worker = WorkerThread::current_ref();
        let mut outcome = self.state.outcome.lock();
        loop {
            if let Some(outcome) = *outcome {
                return outcome;
            }
            outcome = match worker {
                None => self.state.done.wait(outcome),
                Some(worker) => {
                    drop(outcome);
                    let ran_a_job = worker.yield_once(false);
                    let guard = self.state.outcome.lock();
                    if ran_a_job || guard.is_some() {
                        guard
                    } else {
                        // Nothing to run here: the task runs on another thread. Sleep until
                        // it is done, looking for work again now and then.
                        let (guard, _timed_out) = self
                            .state
                            .done
                            .wait_timeout(guard, Duration::from_millis(1));
                        guard
                    }
                }
            };
        }
    }
}

/// A task's deadline and what missing it does.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deadline {
    pub(crate) at: Instant,
    pub(crate) on_miss: OnDeadlineMiss,
}

/// Spawns `func` on the current pool (the global pool outside every pool) as `options`
/// say, and returns a handle that learns how it ended.
///
/// Like [`spawn`](crate::spawn), the task keeps its pool alive until it has run; its panic
/// goes to the pool's panic handler.
///
/// # Examples
///
/// ```
/// use veda::{Priority, TaskOptions};
/// use std::time::Duration;
///
/// let handle = veda::spawn_with(
///     TaskOptions::new().priority(Priority::Critical).deadline_in(Duration::from_secs(10)),
///     || (),
/// );
/// assert!(handle.wait().is_ok());
/// ```
pub fn spawn_with<F>(options: TaskOptions, func: F) -> SpawnHandle
where
    F: FnOnce() + Send + 'static,
{
    registry::with_current_registry(|registry| spawn_with_in(options, func, registry))
}

/// `spawn_with` onto `registry`.
pub(crate) fn spawn_with_in<F>(
    options: TaskOptions,
    func: F,
    registry: &Arc<Registry>,
) -> SpawnHandle
where
    F: FnOnce() + Send + 'static,
{
    let state = Arc::new(HandleState {
        outcome: Mutex::new(None),
        done: Condvar::new(),
    });
    let level = options.priority.unwrap_or_else(|| registry.spawn_level());
    let deadline = options.deadline.map(|at| Deadline {
        at,
        on_miss: options.on_miss,
    });
    spawn_prioritized(registry, level, deadline, Some(Arc::clone(&state)), func);
    SpawnHandle { state }
}

/// Runs `func` asynchronously on the current pool at `priority`; otherwise like
/// [`spawn`](crate::spawn).
///
/// At [`Priority::Normal`] this is `spawn` exactly. Work of other levels waits in the pool's
/// priority queues, which workers consult in level order (see [`Priority`]).
///
/// # Examples
///
/// ```
/// use veda::Priority;
///
/// let (sender, receiver) = std::sync::mpsc::channel();
/// veda::spawn_with_priority(Priority::Background, move || {
///     sender.send(veda::current_priority()).unwrap();
/// });
/// assert_eq!(receiver.recv().unwrap(), Priority::Background);
/// ```
pub fn spawn_with_priority<F>(priority: Priority, func: F)
where
    F: FnOnce() + Send + 'static,
{
    registry::with_current_registry(|registry| {
        crate::spawn::spawn_at(func, registry, priority);
    });
}

/// Spawns `func` at `level` with an optional deadline and handle: the job holds a count on
/// the pool's terminate count until it has run or was dropped.
pub(crate) fn spawn_prioritized<F>(
    registry: &Arc<Registry>,
    level: Priority,
    deadline: Option<Deadline>,
    handle: Option<Arc<HandleState>>,
    func: F,
) where
    F: FnOnce() + Send + 'static,
{
    registry.increment_terminate_count();
    let job_registry = Arc::clone(registry);
    let job = HeapJob::new(move || {
        let outcome = run_task(&job_registry, level, deadline, func);
        if let Some(handle) = handle {
            handle.complete(outcome);
        }
        job_registry.terminate();
    })
    .into_static_job_ref();
    registry.inject_prioritized(level, deadline.map(|deadline| deadline.at), job);
}

/// Runs (or, past a dropping deadline, drops) a prioritized task's body.
fn run_task<F>(
    registry: &Registry,
    level: Priority,
    deadline: Option<Deadline>,
    func: F,
) -> TaskOutcome
where
    F: FnOnce() + Send,
{
    let missed = deadline.and_then(|deadline| {
        let now = Instant::now();
        (now > deadline.at).then(|| (now - deadline.at, deadline.on_miss))
    });
    let completion = match missed {
        None => {
            if deadline.is_some() {
                registry.priorities.count_deadline(DeadlineStart::OnTime);
            }
            Completion::OnTime
        }
        Some((missed_by, OnDeadlineMiss::Drop)) => {
            registry.priorities.count_deadline(DeadlineStart::Dropped);
            // A closure's captures may panic while dropped; that goes where its run's
            // panic would have gone.
            registry.catch_unwind(move || drop(func));
            return Err(DeadlineMissed { missed_by });
        }
        Some((late_by, OnDeadlineMiss::RunLate)) => {
            registry.priorities.count_deadline(DeadlineStart::Late);
            Completion::Late { late_by }
        }
    };
    run_at(level, || registry.catch_unwind(func));
    Ok(completion)
}

impl Registry {
    /// The level of work spawned or installed into this pool from the current thread: the
    /// current task's level, else this pool's default.
    #[inline]
    pub(crate) fn spawn_level(&self) -> Priority {
        if !levels_in_use() {
            return Priority::Normal;
        }
        current_level().unwrap_or(self.default_priority())
    }

    /// Queues `job` at `level`. Work at `Normal` with no deadline takes the default path (the
    /// current worker's deque, or the injector); the rest waits in the priority queues.
    pub(crate) fn inject_prioritized(
        &self,
        level: Priority,
        deadline: Option<Instant>,
        job: JobRef,
    ) {
        if level == Priority::Normal && deadline.is_none() {
            self.inject_or_push(job);
        } else {
            let was_empty = self.priorities.push(level, deadline, job);
            self.sleep.new_injected_jobs(1, was_empty);
        }
    }

    /// Like [`Registry::inject_prioritized`] with no deadline, but never onto the current
    /// worker's deque: for jobs whose caller blocks until they have run.
    pub(crate) fn inject_at(&self, level: Priority, job: JobRef) {
        if level == Priority::Normal {
            self.inject(job);
        } else {
            let was_empty = self.priorities.push(level, None, job);
            self.sleep.new_injected_jobs(1, was_empty);
        }
    }

    /// The deadline misses counted so far.
    pub(crate) fn deadline_misses(&self) -> DeadlineMisses {
        let (_, ran_late, dropped) = self.priorities.deadline_counts();
        DeadlineMisses { ran_late, dropped }
    }
}

impl WorkerThread {
    /// At a job boundary: urgent queued work first, then this worker's own jobs.
    #[inline]
    pub(crate) fn take_urgent_or_local_job(&self) -> Option<JobRef> {
        self.registry()
            .priorities
            .pop_urgent()
            .or_else(|| self.take_local_job())
    }
}
