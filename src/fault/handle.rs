//! `TaskHandle`: the owner's side of an isolated task.

use super::completion::Completion;
use super::error::TaskError;
use crate::sync::Arc;
use crate::Yield;
use std::fmt;
use std::time::{Duration, Instant};

/// The outcome of an isolated task as its cell stores it: the error boxed, so that a cell
/// is not much larger than the value (a `TaskError` is several words; failures are rare).
pub(crate) type Outcome<T> = Result<T, Box<TaskError>>;

/// The outcome as the owner receives it.
fn unbox<T>(outcome: Outcome<T>) -> Result<T, TaskError> {
    outcome.map_err(|error| *error)
}

/// What a handle shares with its task: the completion and the task's name, alone (a task
/// with a runner) or beside the closure (a lean task).
pub(crate) trait OutcomeCell<T>: Send + Sync {
    fn completion(&self) -> &Completion<Outcome<T>>;
    fn name(&self) -> Option<&str>;
}

/// How long a worker that waits for a handle, and found no other job to run, blocks before
/// it looks for jobs again.
const HELP_INTERVAL: Duration = Duration::from_millis(1);

/// The owner's side of a task spawned by [`Task`](super::Task): wait for its outcome, poll
/// it, or cancel it.
///
/// Every handle resolves exactly once: with the task's value (or its fallback), or with a
/// [`TaskError`] saying why there is none. Dropping the handle detaches the task: it still
/// runs, and its outcome is dropped.
///
/// # Examples
///
/// ```
/// use veda::fault::Task;
///
/// let handle = Task::new().spawn(|_| 6 * 7);
/// assert_eq!(handle.join().unwrap(), 42);
/// ```
pub struct TaskHandle<T> {
    cell: Arc<dyn OutcomeCell<T>>,
}

impl<T> fmt::Debug for TaskHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskHandle")
            .field("name", &self.name())
            .field("finished", &self.is_finished())
            .finish()
    }
}

impl<T> TaskHandle<T> {
    pub(crate) fn new(cell: Arc<dyn OutcomeCell<T>>) -> Self {
        TaskHandle { cell }
    }

    fn completion(&self) -> &Completion<Outcome<T>> {
        self.cell.completion()
    }

    /// The task's name, if it has one.
    pub fn name(&self) -> Option<&str> {
        self.cell.name()
    }

    /// Whether the outcome is decided: [`join`](TaskHandle::join) would return at once.
    pub fn is_finished(&self) -> bool {
        self.completion().is_resolved()
    }

    /// Cancels the task: the handle resolves with [`TaskError::Cancelled`] at once, unless
    /// it was already resolved. A task that has not started never runs; a running one sees
    /// [`TaskContext::is_cancelled`](super::TaskContext::is_cancelled) and its value is
    /// dropped. Returns whether this call cancelled it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use veda::fault::Task;
    ///
    /// let handle = Task::new().spawn(|ctx| {
    ///     while !ctx.is_cancelled() {
    ///         std::thread::sleep(Duration::from_millis(1));
    ///     }
    /// });
    /// assert!(handle.cancel());
    /// assert!(handle.join().unwrap_err().is_cancelled());
    /// ```
    pub fn cancel(&self) -> bool {
        let cancelled = self
            .completion()
            .resolve(Err(Box::new(TaskError::Cancelled {
                task: self.name().map(str::to_owned),
            })))
            .is_ok();
        if cancelled {
            // A retry of this task waiting on the timer is let go now.
            super::timer::release_resolved();
        }
        cancelled
    }

    /// Waits for the outcome.
    ///
    /// Called on a worker thread, the worker runs other jobs of its pool while it waits, so
    /// waiting for a task queued behind the caller cannot deadlock.
    pub fn join(self) -> Result<T, TaskError> {
        // Most often the task is done by the time it is joined: one load and a swap.
        if let Some(outcome) = self.completion().try_take() {
            return unbox(outcome);
        }
        if crate::current_thread_index().is_none() {
            return unbox(self.completion().wait());
        }
        loop {
            if let Some(outcome) = self.completion().try_take() {
                return unbox(outcome);
            }
            if crate::yield_now() != Some(Yield::Executed) {
                if let Some(outcome) = self.completion().wait_timeout(HELP_INTERVAL) {
                    return unbox(outcome);
                }
            }
        }
    }

    /// The outcome if it is decided, else the handle back.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::fault::Task;
    ///
    /// let mut handle = Task::new().spawn(|_| "done");
    /// let outcome = loop {
    ///     match handle.try_join() {
    ///         Ok(outcome) => break outcome,
    ///         Err(pending) => handle = pending,
    ///     }
    /// };
    /// assert_eq!(outcome.unwrap(), "done");
    /// ```
    pub fn try_join(self) -> Result<Result<T, TaskError>, Self> {
        match self.completion().try_take() {
            Some(outcome) => Ok(unbox(outcome)),
            None => Err(self),
        }
    }

    /// Waits at most `timeout` for the outcome; gives the handle back if it is not decided
    /// by then (the task goes on: see [`Task::timeout`](super::Task::timeout) to bound the
    /// task itself).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use veda::fault::Task;
    ///
    /// let handle = Task::new().spawn(|_| 1);
    /// let outcome = handle.join_timeout(Duration::from_secs(60)).expect("a second is plenty");
    /// assert_eq!(outcome.unwrap(), 1);
    /// ```
    pub fn join_timeout(self, timeout: Duration) -> Result<Result<T, TaskError>, Self> {
        if crate::current_thread_index().is_none() {
            return match self.completion().wait_timeout(timeout) {
                Some(outcome) => Ok(unbox(outcome)),
                None => Err(self),
            };
        }
        let Some(deadline) = Instant::now().checked_add(timeout) else {
            // Longer than the clock can count: no different from waiting as long as it takes.
            return Ok(self.join());
        };
        loop {
            if let Some(outcome) = self.completion().try_take() {
                return Ok(unbox(outcome));
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(self);
            }
            if crate::yield_now() != Some(Yield::Executed) {
                if let Some(outcome) = self.completion().wait_timeout(remaining.min(HELP_INTERVAL))
                {
                    return Ok(unbox(outcome));
                }
            }
        }
    }
}
