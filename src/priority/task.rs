//! Spawning with a level ([`spawn_with_priority`]), what deadlines share with fault
//! isolation's task builder (which gives tasks deadlines: [`OnDeadlineMiss`], the pool's
//! [`DeadlineMisses`]), and the registry and worker hooks that route such work through the
//! pool's priority queues.

use super::{current_level, levels_in_use, run_at, Priority};
use crate::job::{HeapJob, JobRef};
use crate::registry::{self, Registry, WorkerThread};
use crate::sync::Arc;
use std::time::Instant;

/// What happens to a task whose turn comes after its deadline
/// ([`fault::Task::on_deadline_miss`](crate::fault::Task::on_deadline_miss)).
///
/// Either way the miss is counted ([`ThreadPool::deadline_misses`](crate::ThreadPool::deadline_misses)).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use veda::{fault::Task, OnDeadlineMiss};
///
/// let handle = Task::new()
///     .deadline_in(Duration::from_secs(5))
///     .on_deadline_miss(OnDeadlineMiss::Drop)
///     .spawn(|_| 42);
/// assert_eq!(handle.join().unwrap(), 42);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum OnDeadlineMiss {
    /// Run it anyway, late.
    #[default]
    RunLate,
    /// Drop it without running it; its handle resolves with
    /// [`TaskError::DeadlineMissed`](crate::fault::TaskError::DeadlineMissed).
    Drop,
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

/// A task's deadline and what missing it does.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deadline {
    pub(crate) at: Instant,
    pub(crate) on_miss: OnDeadlineMiss,
}

/// Runs `func` asynchronously on the current pool at `priority`; otherwise like
/// [`spawn`](crate::spawn). For a handle on the task, a deadline, or fault isolation, build
/// it with [`fault::Task`](crate::fault::Task) and its
/// [`priority`](crate::fault::Task::priority).
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

/// Spawns `func` at `level` through the priority queues: the job holds a count on the
/// pool's terminate count until it has run.
pub(crate) fn spawn_prioritized<F>(registry: &Arc<Registry>, level: Priority, func: F)
where
    F: FnOnce() + Send + 'static,
{
    registry.increment_terminate_count();
    let job_registry = Arc::clone(registry);
    let job = HeapJob::new(move || {
        run_at(level, || job_registry.catch_unwind(func));
        job_registry.terminate();
    })
    .into_static_job_ref();
    registry.inject_prioritized(level, None, job);
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
