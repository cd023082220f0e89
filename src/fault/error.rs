//! `TaskError`: why an isolated task produced no value.

use std::fmt;
use std::time::Duration;

/// Why an isolated task (or one item of [`map_isolated`]) produced no value.
///
/// [`map_isolated`]: crate::iter::ParallelIterator::map_isolated
///
/// # Examples
///
/// ```
/// use veda::fault::{Task, TaskError};
///
/// let handle = Task::new().name("parse").spawn(|_| -> u32 { panic!("bad input") });
/// match handle.join() {
///     Err(TaskError::Panicked { message, task, .. }) => {
///         assert_eq!(message, "bad input");
///         assert_eq!(task.as_deref(), Some("parse"));
///     }
///     other => panic!("unexpected {other:?}"),
/// }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TaskError {
    /// The task's closure panicked.
    #[error(
        "task {} panicked: {message}{}: fix the panic, or give the task a recovery strategy \
         (retry, fallback or skip) if the failure is expected",
        TaskName(task),
        Location(location)
    )]
    Panicked {
        /// The panic message (the payload if it was a string, else a placeholder).
        message: String,
        /// Where the panic happened, when veda's panic hook saw it (`file:line:column`).
        location: Option<String>,
        /// The task's name, if it had one.
        task: Option<String>,
    },
    /// The task's closure returned an error.
    #[error(
        "task {} failed: {source}: the task reported this error itself; retry it if the \
         failure is transient",
        TaskName(task)
    )]
    Failed {
        /// The error the closure returned.
        source: Box<dyn std::error::Error + Send + Sync>,
        /// The task's name, if it had one.
        task: Option<String>,
    },
    /// The task did not finish within its timeout.
    #[error(
        "task {} timed out after {after:?}: raise the timeout with Task::timeout, or make \
         the task check TaskContext::is_cancelled and finish sooner",
        TaskName(task)
    )]
    TimedOut {
        /// The timeout that expired.
        after: Duration,
        /// The task's name, if it had one.
        task: Option<String>,
    },
    /// The task's turn came after its deadline, and it was dropped without running, as
    /// [`OnDeadlineMiss::Drop`](crate::OnDeadlineMiss::Drop) asks (see
    /// [`Task::deadline`](crate::fault::Task::deadline)).
    #[error(
        "task {} was dropped without running: its turn came {missed_by:?} after its \
         deadline; give it a later deadline or a higher priority, or keep \
         OnDeadlineMiss::RunLate to run it late",
        TaskName(task)
    )]
    DeadlineMissed {
        /// How long after its deadline its turn came.
        missed_by: Duration,
        /// The task's name, if it had one.
        task: Option<String>,
    },
    /// The task was cancelled, by [`TaskHandle::cancel`](crate::fault::TaskHandle::cancel) or
    /// because its pool shut down before it could run.
    #[error(
        "task {} was cancelled before it produced a value: nothing to fix unless the \
         cancellation was unexpected (a cancel() call, or the pool ending)",
        TaskName(task)
    )]
    Cancelled {
        /// The task's name, if it had one.
        task: Option<String>,
    },
    /// The task's circuit breaker was open, so the task was not run.
    #[error(
        "the circuit breaker {key:?} is open after repeated failures, so task {} was not \
         run: wait for its cool-down, give the task a fallback, or fix what keeps failing",
        TaskName(task)
    )]
    CircuitOpen {
        /// The breaker's key.
        key: String,
        /// The task's name, if it had one.
        task: Option<String>,
    },
    /// Every attempt allowed by the retry policy failed.
    #[error(
        "task {} failed {attempts} times, the most its retry policy allows: the last \
         attempt's error follows; raise RetryPolicy::max_attempts if the failures are transient",
        TaskName(task)
    )]
    RetriesExhausted {
        /// How many attempts ran.
        attempts: u32,
        /// The failure of the last attempt.
        #[source]
        last: Box<TaskError>,
        /// The task's name, if it had one.
        task: Option<String>,
    },
    /// The task failed and its recovery strategy was [`Recovery::Skip`](crate::fault::Recovery::Skip).
    #[error(
        "task {} failed and was skipped, as its recovery strategy asks: the cause follows",
        TaskName(task)
    )]
    Skipped {
        /// The failure that was skipped.
        #[source]
        cause: Box<TaskError>,
        /// The task's name, if it had one.
        task: Option<String>,
    },
}

impl TaskError {
    /// Whether the error is [`TaskError::Panicked`].
    pub fn is_panic(&self) -> bool {
        matches!(self, TaskError::Panicked { .. })
    }

    /// Whether the error is [`TaskError::Cancelled`].
    pub fn is_cancelled(&self) -> bool {
        matches!(self, TaskError::Cancelled { .. })
    }

    /// Whether the error is [`TaskError::DeadlineMissed`].
    pub fn is_deadline_missed(&self) -> bool {
        matches!(self, TaskError::DeadlineMissed { .. })
    }

    /// Whether the error is [`TaskError::TimedOut`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, TaskError::TimedOut { .. })
    }

    /// The underlying failure: the last attempt's error of [`TaskError::RetriesExhausted`],
    /// the cause of [`TaskError::Skipped`], else the error itself.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::fault::{RetryPolicy, Task};
    /// use std::time::Duration;
    ///
    /// let policy = RetryPolicy::new(2).initial_backoff(Duration::from_millis(1));
    /// let error = Task::new()
    ///     .retry(policy)
    ///     .spawn(|_| -> () { panic!("always") })
    ///     .join()
    ///     .unwrap_err();
    /// assert!(error.root_cause().is_panic());
    /// ```
    pub fn root_cause(&self) -> &TaskError {
        match self {
            TaskError::RetriesExhausted { last, .. } => last.root_cause(),
            TaskError::Skipped { cause, .. } => cause.root_cause(),
            other => other,
        }
    }
}

/// Prints a task's name, or `(unnamed)`.
struct TaskName<'a>(&'a Option<String>);

impl fmt::Display for TaskName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(name) => write!(f, "{name:?}"),
            None => f.write_str("(unnamed)"),
        }
    }
}

/// Prints ` at {location}` when known.
struct Location<'a>(&'a Option<String>);

impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(location) => write!(f, " (at {location})"),
            None => Ok(()),
        }
    }
}
