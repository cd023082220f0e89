//! `TaskContext`: what an isolated task's closure knows about its own run.

use crate::sync::Arc;
use std::any::Any;
use std::fmt;

/// Tells whether a task's handle was resolved by someone else (cancelled, timed out).
pub(crate) trait Resolved: Send + Sync {
    fn is_resolved(&self) -> bool;
}

/// Handed to an isolated task's closure on every attempt: the attempt number, whether the
/// task was cancelled meanwhile, and a checkpoint slot that survives from one attempt to
/// the next, so that a retry can resume instead of starting over.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use veda::fault::{RetryPolicy, Task};
///
/// let policy = RetryPolicy::new(3).initial_backoff(Duration::from_millis(1));
/// let handle = Task::new().retry(policy).spawn(|ctx| {
///     // Resume from the last checkpoint, if an earlier attempt saved one.
///     let mut done: u32 = ctx.checkpoint().unwrap_or(0);
///     while done < 10 {
///         done += 1;
///         ctx.save_checkpoint(done);
///         if done == 5 && ctx.attempt() == 1 {
///             panic!("transient failure half-way");
///         }
///     }
///     (done, ctx.attempt())
/// });
/// assert_eq!(handle.join().unwrap(), (10, 2));
/// ```
pub struct TaskContext {
    attempt: u32,
    checkpoint: Option<Box<dyn Any + Send>>,
    status: Arc<dyn Resolved>,
}

impl fmt::Debug for TaskContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskContext")
            .field("attempt", &self.attempt)
            .field("has_checkpoint", &self.checkpoint.is_some())
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

impl TaskContext {
    pub(crate) fn new(status: Arc<dyn Resolved>) -> Self {
        TaskContext {
            attempt: 0,
            checkpoint: None,
            status,
        }
    }

    /// Starts the next attempt.
    pub(crate) fn next_attempt(&mut self) {
        self.attempt += 1;
    }

    /// The current attempt, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Whether the task's outcome was already decided elsewhere — it was cancelled, or it
    /// timed out — so that whatever this attempt computes will be discarded. Long-running
    /// tasks should check it now and then and return early.
    ///
    /// # Examples
    ///
    /// ```
    /// use veda::fault::Task;
    ///
    /// let handle = Task::new().spawn(|ctx| {
    ///     let mut steps = 0u64;
    ///     while !ctx.is_cancelled() && steps < 1_000 {
    ///         steps += 1;
    ///     }
    ///     steps
    /// });
    /// handle.cancel();
    /// ```
    pub fn is_cancelled(&self) -> bool {
        self.status.is_resolved()
    }

    /// Saves `state`, replacing any earlier checkpoint; a later attempt of the same task
    /// reads it back with [`checkpoint`](TaskContext::checkpoint).
    pub fn save_checkpoint<C: Any + Send>(&mut self, state: C) {
        self.checkpoint = Some(Box::new(state));
    }

    /// A copy of the last saved checkpoint, if there is one of type `C`.
    pub fn checkpoint<C: Any + Send + Clone>(&self) -> Option<C> {
        self.checkpoint.as_ref()?.downcast_ref::<C>().cloned()
    }

    /// Takes the last saved checkpoint out, if there is one of type `C`.
    pub fn take_checkpoint<C: Any + Send>(&mut self) -> Option<C> {
        match self.checkpoint.take()?.downcast::<C>() {
            Ok(state) => Some(*state),
            Err(other) => {
                self.checkpoint = Some(other);
                None
            }
        }
    }
}
